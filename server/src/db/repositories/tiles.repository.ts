// Mapbox Vector Tiles, one SQL statement per tile.
//
// Every layer is a `source` (rows of properties + a geometry in EPSG:4326, pre-clipped to the tile and a
// margin so a huge cell costs only the part that shows) finished in one of two ways:
//  - `mvtTile`: ST_AsMVT(ST_AsMVTGeom(…)) on the server, the encoded tile comes back as bytea;
//  - `tileRows`: the same steps ST_AsMVTGeom takes, written out in SQL (transform to tile coordinates,
//    drop points closer than half a unit, simplify by half a unit, clip to the tile plus buffer, snap to
//    the integer grid, make valid, exterior rings positive), returned as GeoJSON in tile coordinates for
//    an encoder in Node (the embedded PostGIS is built without protobuf-c).
// Both give the same features and properties and geometry equal to within a tile unit (checked by
// test/routes/tiles.test.ts on the server).
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../schema.js'
import { geomFromGeoJSON } from '../postgis.js'
import { flagInCells } from '../../features/flags/repository-read.js'
import { statusCase } from './parcels.repository.js'

type Executor = Kysely<DB> | Transaction<DB>

export const TILE_EXTENT = 4096
export const TILE_BUFFER = 64
/** Half the width of the Web-Mercator square, metres (what ST_TileEnvelope uses). */
const MERCATOR_HALF = 20037508.342789244

export interface TileAddress {
  z: number
  x: number
  y: number
}

/** Longitude/latitude bounds of a Web-Mercator tile, optionally grown by `margin` tile widths. */
export function tileBounds4326({ z, x, y }: TileAddress, margin = 0): [number, number, number, number] {
  const n = 2 ** z
  const lon = (tx: number) => (tx / n) * 360 - 180
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI
  return [lon(x - margin), lat(Math.min(n, y + 1 + margin)), lon(x + 1 + margin), lat(Math.max(0, y - margin))]
}

/** A margin of twice the buffer: the final clip (buffer) is done by the encoder step on a pre-clipped shape. */
const PRECLIP_MARGIN = (2 * TILE_BUFFER) / TILE_EXTENT

function envelope4326(t: TileAddress, margin: number): RawBuilder<unknown> {
  const [a, b, c, d] = tileBounds4326(t, margin)
  return sql`ST_MakeEnvelope(${a}::float8, ${b}::float8, ${c}::float8, ${d}::float8, 4326)`
}

export type PolygonLayer = 'cells' | 'parcels' | 'gaps' | 'overlaps'
export type TileLayer = PolygonLayer | 'flags'

export interface CoveragePiece {
  /** GeoJSON geometry text, EPSG:4326 */
  geometry: string
  bbox: number[]
  properties: Record<string, string | number | boolean | null>
}

export type TileQuery =
  | { layer: 'cells'; level: number | null; at: string }
  | { layer: 'parcels'; at: string }
  /** cellIds: only flags dispatched or escalated to these cells (the rule of GET /api/flags.geojson); null: all */
  | { layer: 'flags'; cellIds: number[] | null }
  | { layer: 'gaps' | 'overlaps'; pieces: CoveragePiece[] }

/**
 * Rows of (id, properties…, g) for one tile. `g` is pre-clipped to the tile plus a margin; the
 * index condition (`&&`) uses the exact bounds plus the margin.
 */
function source(q: TileQuery, t: TileAddress): { sql: RawBuilder<unknown>; columns: string[]; points: boolean } {
  const env = envelope4326(t, PRECLIP_MARGIN)
  const clip = (g: RawBuilder<unknown>) => sql`ST_ClipByBox2D(${g}, ${env})`
  switch (q.layer) {
    case 'cells':
      // staffing from cell_staffing(at): the same definition the API uses (vacant/understaffed/staffed)
      return {
        columns: ['code', 'name', 'level', 'staffing'],
        points: false,
        sql: sql`
          SELECT c.id, c.code, c.name, c.level::int AS level, s.status AS staffing, ${clip(sql`c.boundary`)} AS g
          FROM grid_cells c
          LEFT JOIN cell_staffing(${q.at}::date) s ON s.cell_id = c.id
          WHERE c.retired_at IS NULL AND c.boundary && ${env}
            ${q.level !== null ? sql`AND c.level = ${q.level}` : sql``}`,
      }
    case 'parcels':
      // statusCase reads only whether the matched cell is vacant, which cell_staffing answers for the
      // cells in this tile alone (cell_accountability would walk every cell's ancestors).
      return {
        columns: ['externalId', 'landUse', 'status'],
        points: false,
        sql: sql`
          SELECT p.id, p.external_id AS "externalId", p.land_use AS "landUse",
                 CASE WHEN m.parcel_id IS NULL THEN 'unmatched'
                      ELSE ${statusCase(sql.ref('m.placement'), sql.ref('s.status'))} END AS status,
                 ${clip(sql`p.boundary`)} AS g
          FROM parcels p
          LEFT JOIN parcel_matches m ON m.parcel_id = p.id
          LEFT JOIN cell_staffing(${q.at}::date) s ON s.cell_id = m.cell_id
          WHERE p.boundary && ${env}`,
      }
    case 'flags':
      return {
        columns: ['state', 'category'],
        points: true,
        sql: sql`
          SELECT f.id, f.state, f.category, f.anchor AS g FROM flags f
          WHERE f.anchor && ${env}
            ${q.cellIds === null ? sql`` : sql`AND ${flagInCells(q.cellIds)}`}`,
      }
    case 'gaps':
    case 'overlaps': {
      const columns =
        q.layer === 'gaps'
          ? ['parentCode', 'missingLevel', 'kind', 'areaM2', 'allowed']
          : ['parentCode', 'level', 'cellCodes', 'areaM2']
      const types: Record<string, string> = {
        parentCode: 'text',
        missingLevel: 'int',
        kind: 'text',
        areaM2: 'float8',
        allowed: 'boolean',
        level: 'int',
        cellCodes: 'text',
      }
      const doc = JSON.stringify(q.pieces.map((p, i) => ({ ...p.properties, id: i + 1, g: p.geometry })))
      return {
        columns,
        points: false,
        sql: sql`
          SELECT (e->>'id')::int AS id,
                 ${sql.join(columns.map((c) => sql`(e->>${c})::${sql.raw(types[c]!)} AS ${sql.ref(c)}`))},
                 ${clip(geomFromGeoJSON(sql<string>`e->>'g'`))} AS g
          FROM json_array_elements(${doc}::json) e`,
      }
    }
  }
}

/** The encoded tile from ST_AsMVT (server only); an empty buffer when nothing is in the tile. */
export async function mvtTile(db: Executor, layerName: string, q: TileQuery, t: TileAddress): Promise<Buffer> {
  const src = source(q, t)
  const { rows } = await sql<{ mvt: Buffer | null }>`
    WITH src AS (${src.sql})
    SELECT ST_AsMVT(tile, ${layerName}, ${TILE_EXTENT}, 'geom', 'id') AS mvt FROM (
      SELECT src.id, ${sql.join(src.columns.map((c) => sql.ref(`src.${c}`)))},
             ST_AsMVTGeom(ST_Transform(src.g, 3857), ST_TileEnvelope(${t.z}, ${t.x}, ${t.y}), ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom
      FROM src
    ) tile WHERE tile.geom IS NOT NULL`.execute(db)
  return rows[0]?.mvt ?? Buffer.alloc(0)
}

export interface TileRow {
  id: number
  /** GeoJSON geometry text in tile coordinates (0..extent, y down), integers */
  geom: string
  [property: string]: unknown
}

/** The tile's features in tile coordinates, for an encoder in Node. */
export async function tileRows(
  db: Executor,
  q: TileQuery,
  t: TileAddress,
): Promise<{ rows: TileRow[]; columns: string[]; points: boolean }> {
  const src = source(q, t)
  // 3857 → tile units: x' = (x − xmin)·E/size, y' = (ymax − y)·E/size
  const size = (2 * MERCATOR_HALF) / 2 ** t.z
  const k = TILE_EXTENT / size
  const xmin = -MERCATOR_HALF + t.x * size
  const ymax = MERCATOR_HALF - t.y * size
  const toTile = (g: RawBuilder<unknown>) =>
    sql`ST_Affine(ST_Transform(${g}, 3857), ${k}::float8, 0, 0, ${-k}::float8, ${-xmin * k}::float8, ${ymax * k}::float8)`
  const box = sql`ST_MakeEnvelope(${-TILE_BUFFER}, ${-TILE_BUFFER}, ${TILE_EXTENT + TILE_BUFFER}, ${TILE_EXTENT + TILE_BUFFER}, 3857)`
  const finish = src.points
    ? sql`CASE WHEN ST_Intersects(tg, ${box}) THEN ST_SnapToGrid(tg, 1) END`
    : sql`ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(
          ST_ClipByBox2D(ST_Simplify(ST_RemoveRepeatedPoints(tg, 0.5), 0.5, true), ${box}), 1)), 3))`
  const { rows } = await sql<TileRow>`
    WITH src AS (${src.sql}),
    t AS (SELECT src.*, ${toTile(sql`src.g`)} AS tg FROM src),
    f AS (SELECT t.*, ${finish} AS fg FROM t)
    SELECT f.id, ${sql.join(src.columns.map((c) => sql.ref(`f.${c}`)))}, ST_AsGeoJSON(f.fg, 0) AS geom
    FROM f WHERE f.fg IS NOT NULL AND NOT ST_IsEmpty(f.fg)
    ORDER BY f.id`.execute(db)
  return { rows, columns: src.columns, points: src.points }
}
