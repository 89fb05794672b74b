// "Where" in the report form: a tap on the map, the device's location, or an area drawn on the map,
// and what has been picked so far.
import type { Polygon } from 'geojson'
import { t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'

export type ReportLocation =
  | { kind: 'point'; lon: number; lat: number; source: 'tap' | 'device'; accuracyM?: number }
  | { kind: 'area'; geometry: Polygon }
export type ReportMode = 'tap' | 'area'

export interface WhereState {
  mode: ReportMode
  location: ReportLocation | null
  locating: boolean
  locateError: string | null
  setMode(mode: ReportMode): void
  useDeviceLocation(): void
  /** offer drawing an area (a flag may be an area; an inspection finding is a point) */
  areas?: boolean
}

function pickedView(mode: ReportMode, loc: ReportLocation | null): HTMLElement {
  if (!loc)
    return h(
      'p',
      { class: 'hint', 'data-testid': 'report-where-hint' },
      mode === 'tap' ? t('reportTapHint') : t('reportAreaHint'),
    )
  if (loc.kind === 'point')
    return h(
      'p',
      { class: 'located', 'data-testid': 'report-location' },
      t(loc.source === 'device' ? 'reportAtDevice' : 'reportAtTap', {
        lon: loc.lon.toFixed(6),
        lat: loc.lat.toFixed(6),
      }),
      loc.accuracyM ? ` (±${Math.round(loc.accuracyM)} m)` : '',
    )
  return h(
    'p',
    { class: 'located', 'data-testid': 'report-location' },
    t('reportArea', { n: loc.geometry.coordinates[0]!.length - 1 }),
  )
}

/** What a form that asks for the device's position shows and does with the answer. */
export interface DeviceLocating {
  /** the state changed (asking, or failed): render */
  changed(locating: boolean, error: string | null): void
  found(lon: number, lat: number, accuracyM: number): void
}

/** Asks the device for its position once (high accuracy), each outcome said in the app's words. */
export function locateDevice(d: DeviceLocating): void {
  if (!('geolocation' in navigator)) return d.changed(false, t('reportNoGeolocation'))
  d.changed(true, null)
  navigator.geolocation.getCurrentPosition(
    (pos) => d.found(pos.coords.longitude, pos.coords.latitude, pos.coords.accuracy),
    (err) => d.changed(false, t('reportGeolocationFailed', { reason: err.message || String(err.code) })),
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
  )
}

export function whereFieldset(w: WhereState): HTMLElement {
  return h(
    'fieldset',
    { class: 'where' },
    h('legend', {}, t('reportWhere')),
    h(
      'div',
      { class: 'segmented' },
      h(
        'button',
        {
          type: 'button',
          'aria-pressed': String(w.mode === 'tap'),
          'data-testid': 'report-mode-tap',
          onclick: () => w.setMode('tap'),
        },
        t('reportTap'),
      ),
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'report-locate',
          disabled: w.locating,
          onclick: () => w.useDeviceLocation(),
        },
        w.locating ? t('reportLocating') : t('reportUseLocation'),
      ),
      w.areas === false
        ? null
        : h(
            'button',
            {
              type: 'button',
              'aria-pressed': String(w.mode === 'area'),
              'data-testid': 'report-mode-area',
              onclick: () => w.setMode('area'),
            },
            t('reportDrawArea'),
          ),
    ),
    pickedView(w.mode, w.location),
    w.locateError ? h('div', { class: 'small warn' }, w.locateError) : null,
  )
}
