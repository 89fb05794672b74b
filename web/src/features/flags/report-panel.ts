// "Report a problem": an inspector (or an admin) says where — a tap on the map, the device's location,
// or an area drawn on the map — what kind of problem it is, describes it and adds photos (the phone's
// camera opens directly: capture="environment"). The photos are checked here against the server's
// limits before anything is sent, and sent as files (multipart/form-data). When an open flag of the
// same kind is near, the server answers 409 possible_duplicate: the form then offers "same as #N"
// (the report and photos are added to that flag) or "it's different, submit anyway".
import type { Polygon } from 'geojson'
import type { ApiClient } from '../../api/client.js'
import type { DuplicateCandidate, FlagCategory, FlagReport, FlagReportResult } from '../../api/types.js'
import { lang, t, tKey } from '../../i18n/index.js'
import type { MapDrawing } from '../../map/draw/drawing.js'
import { clear, h } from '../../util/dom.js'
import { errorMessage } from '../../panels/errors.js'
import { problemLocations } from '../../panels/edit-preview.js'
import { checkPhotoFiles, duplicateCandidates, formatBytes, formatDateTime, PHOTO_LIMITS } from './rules.js'
import { stateBadge } from './flags-panel.js'

export interface ReportHost {
  api: ApiClient
  drawing: MapDrawing
  categories(): Promise<FlagCategory[]>
  /** the panel takes map taps while it waits for a location (null gives them back) */
  takeMapClicks(handler: ((lon: number, lat: number) => void) | null): void
  /** the point being reported (null clears the marker) */
  setDraft(point: [number, number] | null): void
  flyTo(point: [number, number], zoom?: number): void
  flagsChanged(): void
  openFlag(id: number): void
}

type Location =
  | { kind: 'point'; lon: number; lat: number; source: 'tap' | 'device'; accuracyM?: number }
  | { kind: 'area'; geometry: Polygon }
type Mode = 'tap' | 'area'

export class ReportPanel {
  readonly el = h('div', { class: 'report', 'data-testid': 'report-panel' })
  private categories: FlagCategory[] = []
  private categoriesError: unknown = null
  private location: Location | null = null
  private mode: Mode = 'tap'
  private locating = false
  private locateError: string | null = null
  private files: File[] = []
  private photoProblems: string[] = []
  private submitting = false
  private error: unknown = null
  private duplicates: DuplicateCandidate[] | null = null
  private done: FlagReportResult | null = null
  private active = false
  private readonly category = h('select', { id: 'report-category', 'data-testid': 'report-category', required: true })
  private readonly description = h('textarea', {
    id: 'report-description',
    rows: 3,
    maxlength: 4000,
    'data-testid': 'report-description',
  })
  // the native file button speaks the browser's language, not the app's: a label stands in for it
  private readonly photoInput = h('input', {
    id: 'report-photos',
    class: 'visually-hidden',
    type: 'file',
    accept: 'image/*',
    capture: 'environment',
    multiple: true,
    'data-testid': 'report-photos',
  })

  constructor(private readonly host: ReportHost) {
    this.photoInput.addEventListener('change', () => {
      this.addFiles([...(this.photoInput.files ?? [])])
      this.photoInput.value = ''
    })
    this.render()
  }

  /** The panel opened: load the categories, take map taps. */
  activate() {
    this.active = true
    if (!this.categories.length) void this.loadCategories()
    this.listen()
    this.render()
  }

  /** The panel closed: give the map back, stop drawing, hide the marker. */
  deactivate() {
    this.active = false
    this.host.takeMapClicks(null)
    if (this.mode === 'area') this.host.drawing.stop()
    this.host.setDraft(null)
  }

  private listen() {
    const waiting = this.active && !this.done && this.mode === 'tap'
    this.host.takeMapClicks(waiting ? (lon, lat) => this.setPoint(lon, lat, 'tap') : null)
  }

  private async loadCategories() {
    try {
      this.categories = (await this.host.categories()).filter((c) => c.active)
      this.categoriesError = null
    } catch (e) {
      this.categoriesError = e
    }
    this.render()
  }

  private setPoint(lon: number, lat: number, source: 'tap' | 'device', accuracyM?: number) {
    this.location = { kind: 'point', lon, lat, source, accuracyM }
    this.host.setDraft([lon, lat])
    this.duplicates = null
    this.error = null
    this.render()
  }

  private useDeviceLocation() {
    this.setMode('tap')
    if (!('geolocation' in navigator)) {
      this.locateError = t('reportNoGeolocation')
      return this.render()
    }
    this.locating = true
    this.locateError = null
    this.render()
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        this.locating = false
        this.setPoint(pos.coords.longitude, pos.coords.latitude, 'device', pos.coords.accuracy)
        this.host.flyTo([pos.coords.longitude, pos.coords.latitude], 16)
      },
      (err) => {
        this.locating = false
        this.locateError = t('reportGeolocationFailed', { reason: err.message || String(err.code) })
        this.render()
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
    )
  }

  private setMode(mode: Mode) {
    if (mode === this.mode && mode === 'tap') return
    this.mode = mode
    if (mode === 'area') {
      this.location = null
      this.host.setDraft(null)
      void this.host.drawing.drawNew('polygon', (g) => {
        if (g.type === 'Polygon') this.location = { kind: 'area', geometry: g }
        this.render()
      })
    } else {
      this.host.drawing.stop()
      if (this.location?.kind === 'area') this.location = null
    }
    this.listen()
    this.render()
  }

  private addFiles(chosen: File[]) {
    const { accepted, problems } = checkPhotoFiles([...this.files, ...chosen])
    this.files = accepted
    this.photoProblems = problems.map((p) =>
      tKey(`photoProblem_${p.reason}`, p.reason, {
        name: p.name,
        max: formatBytes(PHOTO_LIMITS.maxBytes),
        n: PHOTO_LIMITS.maxCount,
      }),
    )
    this.render()
  }

  private async submit(extra: { sameAs?: number; confirmNotDuplicate?: boolean } = {}) {
    if (!this.location) {
      this.error = new Error(t('reportWhereFirst'))
      return this.render()
    }
    if (!this.category.value) {
      this.error = new Error(t('reportCategoryFirst'))
      return this.render()
    }
    // an area being edited: take its latest shape
    if (this.location.kind === 'area') {
      const g = this.host.drawing.geometry()
      if (g?.type === 'Polygon') this.location = { kind: 'area', geometry: g }
    }
    const report: FlagReport = {
      category: this.category.value,
      description: this.description.value.trim() || undefined,
      location:
        this.location.kind === 'point'
          ? { lon: this.location.lon, lat: this.location.lat }
          : { geometry: this.location.geometry },
      photos: this.files,
      ...extra,
    }
    this.submitting = true
    this.error = null
    this.render()
    try {
      this.done = await this.host.api.reportFlag(report)
      this.duplicates = null
      this.host.drawing.stop()
      this.host.flagsChanged()
      this.listen()
    } catch (e) {
      const dup = duplicateCandidates(e)
      if (dup) this.duplicates = dup
      else {
        this.error = e
        const at = problemLocations(e)[0]
        if (at) this.host.flyTo(at.point)
      }
    } finally {
      this.submitting = false
    }
    this.render()
    this.el
      .querySelector<HTMLElement>(
        '[data-testid=report-result], [data-testid=report-duplicates], [data-testid=report-error]',
      )
      ?.scrollIntoView({ block: 'nearest' })
  }

  /** Start over for the next report (category kept: inspectors often report several of one kind). */
  private reset() {
    this.done = null
    this.location = null
    this.duplicates = null
    this.error = null
    this.files = []
    this.photoProblems = []
    this.description.value = ''
    this.mode = 'tap'
    this.host.setDraft(null)
    this.host.drawing.stop()
    this.listen()
    this.render()
  }

  // ---- rendering -----------------------------------------------------------------------------------

  render() {
    if (this.done) return clear(this.el, this.doneView(this.done))
    const selected = this.category.value
    clear(
      this.category,
      h('option', { value: '' }, t('reportChooseCategory')),
      this.categories.map((c) =>
        h('option', { value: c.code, selected: c.code === selected }, lang() === 'en' ? c.name.en : c.name.zh),
      ),
    )
    const loc = this.location
    const where = !loc
      ? h(
          'p',
          { class: 'hint', 'data-testid': 'report-where-hint' },
          this.mode === 'tap' ? t('reportTapHint') : t('reportAreaHint'),
        )
      : loc.kind === 'point'
        ? h(
            'p',
            { class: 'located', 'data-testid': 'report-location' },
            t(loc.source === 'device' ? 'reportAtDevice' : 'reportAtTap', {
              lon: loc.lon.toFixed(6),
              lat: loc.lat.toFixed(6),
            }),
            loc.accuracyM ? ` (±${Math.round(loc.accuracyM)} m)` : '',
          )
        : h(
            'p',
            { class: 'located', 'data-testid': 'report-location' },
            t('reportArea', { n: loc.geometry.coordinates[0]!.length - 1 }),
          )
    clear(
      this.el,
      h('p', { class: 'small muted' }, t('reportIntro')),
      h(
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
              'aria-pressed': String(this.mode === 'tap'),
              'data-testid': 'report-mode-tap',
              onclick: () => this.setMode('tap'),
            },
            t('reportTap'),
          ),
          h(
            'button',
            {
              type: 'button',
              'data-testid': 'report-locate',
              disabled: this.locating,
              onclick: () => this.useDeviceLocation(),
            },
            this.locating ? t('reportLocating') : t('reportUseLocation'),
          ),
          h(
            'button',
            {
              type: 'button',
              'aria-pressed': String(this.mode === 'area'),
              'data-testid': 'report-mode-area',
              onclick: () => this.setMode('area'),
            },
            t('reportDrawArea'),
          ),
        ),
        where,
        this.locateError ? h('div', { class: 'small warn' }, this.locateError) : null,
      ),
      h('label', { for: 'report-category' }, t('reportCategory')),
      this.categoriesError ? h('div', { class: 'small warn' }, errorMessage(this.categoriesError).message) : null,
      this.category,
      h('label', { for: 'report-description' }, t('reportDescription')),
      this.description,
      h(
        'div',
        { class: 'field-label' },
        t('reportPhotos', { n: PHOTO_LIMITS.maxCount, max: formatBytes(PHOTO_LIMITS.maxBytes) }),
      ),
      this.photoInput,
      h(
        'label',
        { for: 'report-photos', class: 'button file-button', 'data-testid': 'report-photos-button' },
        `＋ ${t('reportAddPhoto')}`,
      ),
      this.files.length
        ? h(
            'ul',
            { class: 'photo-list', 'data-testid': 'report-photo-list' },
            this.files.map((f, i) =>
              h(
                'li',
                {},
                h('span', {}, f.name),
                h('span', { class: 'small muted' }, ` ${formatBytes(f.size)}`),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'icon-button',
                    'aria-label': t('remove'),
                    onclick: () => {
                      this.files.splice(i, 1)
                      this.render()
                    },
                  },
                  '×',
                ),
              ),
            ),
          )
        : null,
      this.photoProblems.map((p) => h('div', { class: 'small warn', 'data-testid': 'photo-problem' }, p)),
      this.duplicates ? this.duplicatesView(this.duplicates) : null,
      this.error
        ? h(
            'div',
            { class: 'inline-error', role: 'alert', 'data-testid': 'report-error' },
            errorMessage(this.error).message,
          )
        : null,
      this.duplicates
        ? null
        : h(
            'div',
            { class: 'actions submit-row' },
            h(
              'button',
              {
                type: 'button',
                class: 'button primary big',
                'data-testid': 'report-submit',
                disabled: this.submitting,
                onclick: () => void this.submit(),
              },
              this.submitting ? t('reportSending') : t('reportSubmit'),
            ),
          ),
    )
  }

  private duplicatesView(candidates: DuplicateCandidate[]): HTMLElement {
    return h(
      'section',
      { class: 'duplicates', role: 'alert', 'data-testid': 'report-duplicates' },
      h('strong', {}, t('reportDuplicateTitle', { n: candidates.length })),
      h('p', { class: 'small' }, t('reportDuplicateIntro')),
      h(
        'ul',
        { class: 'item-list' },
        candidates.map((c) =>
          h(
            'li',
            { 'data-candidate': c.id },
            h(
              'div',
              { class: 'row' },
              h('strong', {}, `#${c.id}`),
              ' ',
              stateBadge(c.state),
              h(
                'span',
                { class: 'small muted' },
                ` ${t('reportDistance', { m: Math.round(c.distanceM) })} · ${formatDateTime(c.createdAt)}`,
              ),
            ),
            c.description ? h('div', { class: 'small' }, c.description) : null,
            h(
              'button',
              {
                type: 'button',
                class: 'button primary',
                'data-testid': 'report-same-as',
                disabled: this.submitting,
                onclick: () => void this.submit({ sameAs: c.id }),
              },
              t('reportSameAs', { id: c.id }),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            'data-testid': 'report-different',
            disabled: this.submitting,
            onclick: () => void this.submit({ confirmNotDuplicate: true }),
          },
          t('reportDifferent'),
        ),
      ),
    )
  }

  private doneView(r: FlagReportResult): HTMLElement {
    const f = r.flag
    const routing = f.routing
    const explanation =
      routing.rule === 'fallback_gap'
        ? t('reportRoutedGap', {
            cell: `${routing.accountableCellName ?? ''} ${routing.accountableCellCode ?? ''}`.trim(),
          })
        : routing.rule === 'fallback_vacant'
          ? t('reportRoutedVacant', {
              cell: `${routing.accountableCellName ?? ''} ${routing.accountableCellCode ?? ''}`.trim(),
            })
          : routing.rule === 'direct'
            ? t('reportRoutedDirect', {
                cell: `${routing.accountableCellName ?? ''} ${routing.accountableCellCode ?? ''}`.trim(),
              })
            : t('reportRoutedNobody')
    return h(
      'section',
      { class: 'report-done', role: 'status', 'data-testid': 'report-result', 'data-flag': f.id, 'data-kind': r.kind },
      h(
        'h3',
        {},
        r.kind === 'same_as' ? t('reportAddedTo', { id: f.id }) : t('reportCreated', { id: f.id }),
        ' ',
        stateBadge(f.state),
      ),
      f.unowned ? h('p', { class: 'notice-box', 'data-testid': 'report-unowned' }, t('reportUnowned')) : null,
      h('p', { 'data-testid': 'report-routing', 'data-rule': routing.rule ?? '' }, explanation),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'button primary',
            'data-testid': 'report-view',
            onclick: () => this.host.openFlag(f.id),
          },
          t('reportViewFlag'),
        ),
        h(
          'button',
          { type: 'button', class: 'button', 'data-testid': 'report-another', onclick: () => this.reset() },
          t('reportAnother'),
        ),
      ),
    )
  }
}
