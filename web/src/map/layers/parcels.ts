// Land parcels coloured by how they match the grid. Drawn from PARCEL_MIN_ZOOM only: below it the
// loader fetches nothing (a county holds hundreds of thousands of parcels).
import type {
  ExpressionSpecification,
  FillLayerSpecification,
  LineLayerSpecification,
} from '@maplibre/maplibre-gl-style-spec'
import { PARCEL_TILE_LAYER, SOURCES } from '../sources.js'
import { theme } from '../theme.js'

export const PARCEL_MIN_ZOOM = 13

export const parcelColor: ExpressionSpecification = [
  'match',
  ['get', 'status'],
  'straddling',
  theme.parcel.straddling,
  'unowned',
  theme.parcel.unowned,
  'inherited',
  theme.parcel.inherited,
  theme.parcel.matched,
]

export const parcelFill: FillLayerSpecification = {
  id: 'parcel-fill',
  type: 'fill',
  source: SOURCES.parcels,
  minzoom: PARCEL_MIN_ZOOM,
  paint: { 'fill-color': parcelColor, 'fill-opacity': 0.42 },
}

export const parcelLine: LineLayerSpecification = {
  id: 'parcel-line',
  type: 'line',
  source: SOURCES.parcels,
  minzoom: PARCEL_MIN_ZOOM,
  paint: { 'line-color': parcelColor, 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 0.5, 16, 1.5] },
}

// The same parcels from the server's vector tiles, for views that hold more than the GeoJSON loader
// sends. Hidden by default; parcel-mode.ts shows either these or the GeoJSON pair, never both.
export const parcelTileFill: FillLayerSpecification = {
  ...parcelFill,
  id: 'parcel-tile-fill',
  source: SOURCES.parcelTiles,
  'source-layer': PARCEL_TILE_LAYER,
  layout: { visibility: 'none' },
}

export const parcelTileLine: LineLayerSpecification = {
  ...parcelLine,
  id: 'parcel-tile-line',
  source: SOURCES.parcelTiles,
  'source-layer': PARCEL_TILE_LAYER,
  layout: { visibility: 'none' },
}
