// Source ids shared by the style, the loaders and the interactions.
import type { FeatureCollection } from 'geojson'

export const SOURCES = {
  basemap: 'basemap',
  context: 'context',
  region: 'region',
  townships: 'cells-township',
  villages: 'cells-village',
  labels: 'cell-labels',
  gaps: 'gaps',
  overlaps: 'overlaps',
  /** one point per gap and overlap, so they stand out while the map is zoomed out */
  defectPoints: 'defect-points',
  parcels: 'parcels',
  /** the server's parcel vector tiles (/tiles/parcels/{z}/{x}/{y}.pbf), used when a view holds too many for GeoJSON */
  parcelTiles: 'parcel-tiles',
  highlight: 'highlight',
  /** inspectors' flags (points, and areas with a point at their anchor) */
  flags: 'flags',
  /** the supervision inventory (监管清单): polygons, and a point per object for every zoom */
  objects: 'objects',
  /** an old version's outline, shown from a cell's history */
  history: 'history-outline',
  /** where the editor points at: a validation problem, a gap or overlap a preview creates or closes */
  editMarks: 'edit-marks',
  /** the point a flag is being reported at */
  draft: 'flag-draft',
  /** the patrol being walked on this phone: its track since the page opened, and where the phone is */
  walk: 'patrol-walk',
} as const

/** The layer name inside the server's parcel tiles (properties: externalId, landUse, status). */
export const PARCEL_TILE_LAYER = 'parcels'
/** Zoom range of the server's parcel tiles (server/src/services/tiles.service.ts PARCELS_MIN_ZOOM, MAX_ZOOM). */
export const PARCEL_TILE_ZOOM = { min: 13, max: 22 } as const
/** The parcel tile template, relative to the origin the app is served from (same-origin: the session cookie goes along). */
export const parcelTilesUrl = (origin = '') => `${origin}/tiles/parcels/{z}/{x}/{y}.pbf`

export type SourceId = (typeof SOURCES)[keyof typeof SOURCES]

/** The cell levels of the grid: the county is cut into townships (2), townships into villages (3). */
export const LEVEL = { township: 2, village: 3 } as const

export const emptyCollection = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] })
