// What a boundary change would do, before it is saved: the cells it modifies (area before → after), the
// parcels whose accountable person changes (from → to, with names), the gaps and overlaps it creates or
// closes, and the responsibilities it ends. A refused change shows the server's reason and every place
// it names (a self-intersection, an overlap with a neighbour, land outside the parent), each one a
// button that flies the map there. The pure helpers at the top are unit-tested.
import { ApiError } from '../api/client.js'
import type { AccountableState, AreaDiff, AreaPiece, EditResult, ParcelChange } from '../api/types.js'
import { formatArea, t, tKey } from '../i18n/index.js'
import { h } from '../util/dom.js'
import { errorMessage } from './errors.js'

export interface MapPoint {
  point: [number, number]
  label: string
}

const isPoint = (v: unknown): v is [number, number] =>
  Array.isArray(v) &&
  v.length >= 2 &&
  typeof v[0] === 'number' &&
  typeof v[1] === 'number' &&
  Number.isFinite(v[0]) &&
  Number.isFinite(v[1])

/** Every place a refused edit names in its details (location, overlaps[].location, …). */
export function problemLocations(e: unknown): MapPoint[] {
  if (!(e instanceof ApiError) || typeof e.details !== 'object' || e.details === null) return []
  const d = e.details as Record<string, unknown>
  const out: MapPoint[] = []
  if (isPoint(d.location))
    out.push({ point: [d.location[0], d.location[1]], label: typeof d.cell === 'string' ? d.cell : e.code })
  if (Array.isArray(d.overlaps)) {
    for (const o of d.overlaps as { code?: unknown; areaM2?: unknown; location?: unknown }[]) {
      if (isPoint(o.location))
        out.push({
          point: [o.location[0], o.location[1]],
          label: `${String(o.code ?? '')} ${typeof o.areaM2 === 'number' ? formatArea(o.areaM2) : ''}`.trim(),
        })
    }
  }
  return out
}

/** A 409 stale_version: the cell's current version and boundary, to show and reload. */
export function staleState(e: unknown): { code: string; currentVersion: number; geometry: unknown } | null {
  if (!(e instanceof ApiError) || e.code !== 'stale_version') return null
  const d = (e.details ?? {}) as { code?: string; currentVersion?: number; current?: { geometry?: unknown } | null }
  return { code: d.code ?? '', currentVersion: d.currentVersion ?? 0, geometry: d.current?.geometry ?? null }
}

/**
 * Whether the server compared the parcel before and after. It answers "unknown" for a side it did not
 * look at: with trimSiblings, the parcels of a trimmed neighbour outside the edited area come back as
 * unknown → their (unchanged) state. Those are listed apart, not counted as changes.
 */
export function compared(p: ParcelChange): boolean {
  return p.from.status !== 'unknown' && p.to.status !== 'unknown'
}

/** Whether the people answering for a parcel change (not only its match status). */
export function accountableChanged(p: ParcelChange): boolean {
  return (
    compared(p) &&
    (p.from.accountableCode !== p.to.accountableCode || JSON.stringify(p.from.people) !== JSON.stringify(p.to.people))
  )
}

/** Parcels whose accountable person changes first, then those whose status only changes. */
export function sortParcelChanges(parcels: ParcelChange[]): ParcelChange[] {
  return parcels
    .filter(compared)
    .sort(
      (a, b) =>
        Number(accountableChanged(b)) - Number(accountableChanged(a)) || a.externalId.localeCompare(b.externalId),
    )
}

export interface PreviewCounts {
  cells: number
  parcelsReassigned: number
  parcelsRestatused: number
  gapsCreated: number
  gapsClosed: number
  overlapsCreated: number
  overlapsClosed: number
  endedResponsibilities: number
  /** parcels the server did not compare (see compared()) */
  parcelsNotCompared: number
}

export function previewCounts(r: EditResult): PreviewCounts {
  const reassigned = r.parcels.filter(accountableChanged).length
  const notCompared = r.parcels.filter((p) => !compared(p)).length
  return {
    cells: r.cells.length,
    parcelsReassigned: reassigned,
    parcelsRestatused: r.parcels.length - reassigned - notCompared,
    parcelsNotCompared: notCompared,
    gapsCreated: r.gaps.created.length,
    gapsClosed: r.gaps.closed.length,
    overlapsCreated: r.overlaps.created.length,
    overlapsClosed: r.overlaps.closed.length,
    endedResponsibilities: r.endedResponsibilities.length,
  }
}

/** The places a preview points at: gaps and overlaps it creates or closes. */
export function previewPlaces(r: EditResult): MapPoint[] {
  const out: MapPoint[] = []
  const add = (pieces: AreaPiece[], label: string) => {
    for (const p of pieces) if (isPoint(p.point)) out.push({ point: [p.point[0], p.point[1]], label })
  }
  add(r.gaps.created, 'gap+')
  add(r.overlaps.created, 'overlap+')
  add(r.gaps.closed, 'gap-')
  add(r.overlaps.closed, 'overlap-')
  return out
}

// ---- rendering -------------------------------------------------------------------------------------

export interface PreviewViewActions {
  flyTo(point: [number, number]): void
}

const areaOrDash = (m2: number | null) => (m2 === null ? '—' : formatArea(m2))

function personList(s: AccountableState): HTMLElement {
  // the server sends "name (role)"; the role is translated where it is a known one
  const names = s.people.map((p) =>
    p.replace(/\((grid_chief|grid_member|specialist)\)$/, (_m, role: string) => `(${tKey(`role_${role}`, role)})`),
  )
  return h(
    'div',
    { class: 'acc-state' },
    h('span', { class: 'code' }, s.accountableCode ?? '—'),
    ' ',
    h('span', { class: 'badge' }, tKey(`parcelStatusShort_${s.status}`, s.status)),
    h('div', { class: 'names' }, names.length ? names.join('、') : t('popupNoPeople')),
  )
}

function areaDiffList(kind: 'gap' | 'overlap', diff: AreaDiff, actions: PreviewViewActions): HTMLElement | null {
  const rows: HTMLElement[] = []
  const row = (label: string, p: AreaPiece, cls: string) =>
    h(
      'li',
      { class: cls },
      h(
        'button',
        { type: 'button', onclick: () => isPoint(p.point) && actions.flyTo([p.point[0], p.point[1]]) },
        h('span', {}, label),
        h(
          'span',
          { class: 'meta' },
          `${formatArea(p.areaM2)}${p.cellCodes.length ? ` · ${p.cellCodes.join(' / ')}` : ''}`,
        ),
      ),
    )
  for (const p of diff.created)
    rows.push(row(t(kind === 'gap' ? 'previewGapCreated' : 'previewOverlapCreated'), p, 'bad'))
  for (const p of diff.closed)
    rows.push(row(t(kind === 'gap' ? 'previewGapClosed' : 'previewOverlapClosed'), p, 'good'))
  for (const c of diff.changed)
    rows.push(
      row(
        t(kind === 'gap' ? 'previewGapChanged' : 'previewOverlapChanged', { before: formatArea(c.before.areaM2) }),
        c.after,
        c.after.areaM2 > c.before.areaM2 ? 'bad' : 'good',
      ),
    )
  return rows.length ? h('ul', { class: 'item-list diff-list', 'data-testid': `preview-${kind}s` }, rows) : null
}

export function previewView(r: EditResult, actions: PreviewViewActions): HTMLElement {
  const counts = previewCounts(r)
  const parcels = sortParcelChanges(r.parcels)
  const shown = parcels.slice(0, 200)
  return h(
    'div',
    { class: 'preview', 'data-testid': 'edit-preview' },
    h(
      'p',
      { class: 'preview-summary', 'data-testid': 'preview-summary' },
      t('previewSummary', {
        cells: counts.cells,
        parcels: counts.parcelsReassigned,
        gapsCreated: counts.gapsCreated,
        gapsClosed: counts.gapsClosed,
        overlapsCreated: counts.overlapsCreated,
        overlapsClosed: counts.overlapsClosed,
      }),
    ),
    h('h3', {}, t('previewCells', { n: r.cells.length })),
    h(
      'table',
      { class: 'preview-table', 'data-testid': 'preview-cells' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, t('previewCell')),
          h('th', {}, t('previewChange')),
          h('th', { class: 'num' }, t('previewArea')),
        ),
      ),
      h(
        'tbody',
        {},
        r.cells.map((c) =>
          h(
            'tr',
            { 'data-code': c.code, 'data-change': c.change },
            h(
              'td',
              {},
              h('div', {}, c.name),
              h('div', { class: 'code' }, `${c.code} · v${c.versionBefore ?? '–'}→v${c.versionAfter}`),
            ),
            h('td', {}, tKey(`change_${c.change}`, c.change)),
            h('td', { class: 'num' }, `${areaOrDash(c.areaBeforeM2)} → ${areaOrDash(c.areaAfterM2)}`),
          ),
        ),
      ),
    ),
    h('h3', {}, t('previewParcels', { n: counts.parcelsReassigned, m: counts.parcelsRestatused })),
    parcels.length
      ? h(
          'ul',
          { class: 'parcel-changes', 'data-testid': 'preview-parcels' },
          shown.map((p) =>
            h(
              'li',
              { 'data-parcel': p.externalId, 'data-reassigned': String(accountableChanged(p)) },
              h('div', { class: 'pid' }, p.externalId),
              h(
                'div',
                { class: 'from-to' },
                personList(p.from),
                h('span', { class: 'arrow', 'aria-label': t('previewTo') }, '→'),
                personList(p.to),
              ),
            ),
          ),
          parcels.length > shown.length
            ? h('li', { class: 'muted small' }, t('previewMoreParcels', { n: parcels.length - shown.length }))
            : null,
        )
      : h('p', { class: 'muted small' }, t('previewNoParcels')),
    counts.parcelsNotCompared
      ? h(
          'details',
          { class: 'small muted not-compared', 'data-testid': 'preview-not-compared' },
          h('summary', {}, t('previewNotCompared', { n: counts.parcelsNotCompared })),
          h(
            'p',
            {},
            r.parcels
              .filter((p) => !compared(p))
              .slice(0, 200)
              .map((p) => `${p.externalId} → ${p.to.accountableCode ?? '—'}`)
              .join('，'),
          ),
        )
      : null,
    h('h3', {}, t('previewDefects')),
    areaDiffList('gap', r.gaps, actions) ?? h('p', { class: 'muted small' }, t('previewNoGapChange')),
    areaDiffList('overlap', r.overlaps, actions) ?? h('p', { class: 'muted small' }, t('previewNoOverlapChange')),
    r.endedResponsibilities.length
      ? h(
          'p',
          { class: 'notice-box', 'data-testid': 'preview-ended' },
          t('previewEnded', { n: r.endedResponsibilities.length }),
        )
      : null,
  )
}

/** A refused edit: the server's message and a button for each place it names. */
export function editErrorView(e: unknown, actions: PreviewViewActions & { reload?: () => void }): HTMLElement {
  const { message, code } = errorMessage(e)
  const places = problemLocations(e)
  const stale = staleState(e)
  return h(
    'div',
    { class: 'inline-error edit-error', role: 'alert', 'data-testid': 'edit-error', 'data-code': code ?? '' },
    h('div', {}, message, code ? h('span', { class: 'small muted' }, ` (${code})`) : null),
    places.length
      ? h(
          'div',
          { class: 'places' },
          places.map((p) =>
            h(
              'button',
              {
                type: 'button',
                class: 'button',
                'data-testid': 'error-location',
                onclick: () => actions.flyTo(p.point),
              },
              `${t('showOnMap')} · ${p.label}`,
            ),
          ),
        )
      : null,
    stale
      ? h(
          'div',
          { class: 'places' },
          h('span', { class: 'small' }, t('staleCurrent', { code: stale.code, version: stale.currentVersion })),
          actions.reload
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'button primary',
                  'data-testid': 'stale-reload',
                  onclick: () => actions.reload!(),
                },
                t('staleReload'),
              )
            : null,
        )
      : null,
  )
}
