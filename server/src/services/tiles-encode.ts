// Encodes tile rows (GeoJSON in tile coordinates, built in SQL by tiles.repository) as a Mapbox Vector
// Tile with @maplibre/vt-pbf, for the embedded database whose PostGIS has no ST_AsMVT.
import { fromGeojsonVt } from '@maplibre/vt-pbf'
import type { TileRow } from '../db/repositories/tiles.repository.js'
import { TILE_EXTENT } from '../db/repositories/tiles.repository.js'

type Position = [number, number]
type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: Geometry[] }

interface VtFeature {
  id: number
  type: 1 | 3
  tags: Record<string, unknown>
  geometry: Position[] | Position[][]
}

function rings(g: Geometry): Position[][] {
  switch (g.type) {
    case 'Polygon':
      return g.coordinates
    case 'MultiPolygon':
      return g.coordinates.flat()
    case 'GeometryCollection':
      return g.geometries.flatMap(rings)
    default:
      return []
  }
}

function points(g: Geometry): Position[] {
  if (g.type === 'Point') return [g.coordinates]
  if (g.type === 'MultiPoint') return g.coordinates
  if (g.type === 'GeometryCollection') return g.geometries.flatMap(points)
  return []
}

/** One layer → tile bytes; an empty buffer when no row has geometry. */
export function encodeTile(layerName: string, rows: TileRow[], columns: string[], isPoints: boolean): Buffer {
  const features: VtFeature[] = []
  for (const row of rows) {
    const g = JSON.parse(row.geom) as Geometry
    const tags: Record<string, unknown> = {}
    for (const c of columns) if (row[c] !== null && row[c] !== undefined) tags[c] = row[c]
    if (isPoints) {
      const p = points(g)
      if (p.length > 0) features.push({ id: row.id, type: 1, tags, geometry: p })
    } else {
      const r = rings(g).filter((ring) => ring.length >= 4)
      if (r.length > 0) features.push({ id: row.id, type: 3, tags, geometry: r })
    }
  }
  if (features.length === 0) return Buffer.alloc(0)
  const bytes = fromGeojsonVt({ [layerName]: { features } as never }, { version: 2, extent: TILE_EXTENT })
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
