// Which rendering the parcels use: the GeoJSON the loader fetches by bbox (full properties, at most
// `cap` features), or the server's vector tiles (every parcel, no cap). The rule: GeoJSON while the
// view's total fits the cap, tiles as soon as it does not — so a street-scale view keeps exact
// GeoJSON, and a city-scale view shows every parcel instead of "N of M, zoom in". The switch follows
// the server's count (x-total-count), not a zoom threshold: parcel density varies too much across
// a province for one zoom to fit everywhere. `force` (a debug flag) pins either mode.
import type { Map as MapLibreMap } from 'maplibre-gl'
import { PARCEL_MIN_ZOOM, parcelFill, parcelLine, parcelTileFill, parcelTileLine } from './layers/parcels.js'

export type ParcelRenderMode = 'geojson' | 'tiles'

export interface ParcelModeInput {
  /** parcels in the view, as the server counted them */
  total: number
  /** most features one GeoJSON request sends */
  cap: number
  zoom: number
  minZoom?: number
  force?: ParcelRenderMode | null
}

export function chooseParcelMode(i: ParcelModeInput): ParcelRenderMode {
  if (i.force) return i.force
  // below the parcel zoom nothing is drawn either way; GeoJSON fetches nothing there
  if (i.zoom < (i.minZoom ?? PARCEL_MIN_ZOOM)) return 'geojson'
  return i.total > i.cap ? 'tiles' : 'geojson'
}

const GEOJSON_LAYERS = [parcelFill.id, parcelLine.id]
const TILE_LAYERS = [parcelTileFill.id, parcelTileLine.id]

/** Each parcel layer's visibility for a mode and the legend's parcel switch. */
export function parcelLayerVisibility(
  mode: ParcelRenderMode,
  groupVisible: boolean,
): Record<string, 'visible' | 'none'> {
  const out: Record<string, 'visible' | 'none'> = {}
  for (const id of GEOJSON_LAYERS) out[id] = groupVisible && mode === 'geojson' ? 'visible' : 'none'
  for (const id of TILE_LAYERS) out[id] = groupVisible && mode === 'tiles' ? 'visible' : 'none'
  return out
}

const states = new WeakMap<MapLibreMap, { mode: ParcelRenderMode; visible: boolean }>()

export function parcelMode(map: MapLibreMap): ParcelRenderMode {
  return states.get(map)?.mode ?? 'geojson'
}

/** Change the mode and/or the legend switch; hidden tile layers make MapLibre fetch no tiles. */
export function applyParcelLayers(map: MapLibreMap, patch: { mode?: ParcelRenderMode; visible?: boolean }) {
  const prev = states.get(map) ?? { mode: 'geojson', visible: true }
  const next = { mode: patch.mode ?? prev.mode, visible: patch.visible ?? prev.visible }
  states.set(map, next)
  for (const [id, v] of Object.entries(parcelLayerVisibility(next.mode, next.visible))) {
    if (map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== v) map.setLayoutProperty(id, 'visibility', v)
  }
}
