// The URL hash keeps the map position and the selection, so a link can be shared and a reload
// restores the view:  #map=13.25/35.17512/113.05811&sel=cell:410822101201&panel=coverage&pt=113.05,35.17
// Pure functions: parseHash(formatHash(s)) returns s (up to the stated precision).

export type Selection =
  | { kind: 'cell'; code: string }
  | { kind: 'parcel'; id: number }
  | { kind: 'person'; id: number }
  | { kind: 'flag'; id: number }

/**
 * edit: the admin's boundary tools for the selected cell; flags: inbox / list / a flag; report: report a
 * problem; ledger: monthly ledgers and the review queue; assessment: scores and ranks; units: units and
 * their responsibility letters
 */
export type PanelName =
  | 'coverage'
  | 'supervisor'
  | 'layers'
  | 'edit'
  | 'flags'
  | 'report'
  | 'ledger'
  | 'assessment'
  | 'units'
  | 'patrol'
  | 'inspections'
export const PANELS: readonly PanelName[] = [
  'coverage',
  'supervisor',
  'layers',
  'edit',
  'flags',
  'report',
  'ledger',
  'assessment',
  'units',
  'patrol',
  'inspections',
]

export interface MapView {
  zoom: number
  lat: number
  lon: number
}

export interface UrlState {
  view?: MapView
  selection?: Selection
  panel?: PanelName
  /** where the accountability popup is open */
  point?: [number, number]
}

const round = (n: number, digits: number) => Number(n.toFixed(digits))

/** Enough decimals that a pixel at this zoom is not lost (cf. OpenStreetMap's permalinks). */
export function coordinateDigits(zoom: number): number {
  return Math.max(2, Math.min(7, Math.ceil(Math.log10((256 * 2 ** zoom) / 360))))
}

export function formatHash(s: UrlState): string {
  const parts: string[] = []
  if (s.view) {
    const d = coordinateDigits(s.view.zoom)
    parts.push(`map=${s.view.zoom.toFixed(2)}/${s.view.lat.toFixed(d)}/${s.view.lon.toFixed(d)}`)
  }
  if (s.selection) {
    const key = s.selection.kind === 'cell' ? s.selection.code : String(s.selection.id)
    parts.push(`sel=${s.selection.kind}:${encodeURIComponent(key)}`)
  }
  if (s.panel) parts.push(`panel=${s.panel}`)
  if (s.point) parts.push(`pt=${round(s.point[0], 6)},${round(s.point[1], 6)}`)
  return parts.length ? `#${parts.join('&')}` : ''
}

const finite = (values: number[]) => values.every((n) => Number.isFinite(n))

export function parseHash(hash: string): UrlState {
  const state: UrlState = {}
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const map = params.get('map')?.split('/').map(Number)
  if (map && map.length === 3 && finite(map)) {
    const [zoom, lat, lon] = map as [number, number, number]
    if (zoom >= 0 && zoom <= 24 && Math.abs(lat) <= 85.06 && Math.abs(lon) <= 180) state.view = { zoom, lat, lon }
  }
  const sel = params.get('sel')
  const m = sel ? /^(cell|parcel|person|flag):(.+)$/.exec(sel) : null
  if (m) {
    const kind = m[1] as Selection['kind']
    const key = m[2]!
    if (kind === 'cell' && /^[\w.-]{1,32}$/.test(key)) state.selection = { kind, code: key }
    else if (kind !== 'cell' && /^[1-9]\d{0,9}$/.test(key)) state.selection = { kind, id: Number(key) }
  }
  const panel = params.get('panel')
  if (panel && (PANELS as readonly string[]).includes(panel)) state.panel = panel as PanelName
  const pt = params.get('pt')?.split(',').map(Number)
  if (pt && pt.length === 2 && finite(pt) && Math.abs(pt[0]!) <= 180 && Math.abs(pt[1]!) <= 90)
    state.point = [pt[0]!, pt[1]!]
  return state
}
