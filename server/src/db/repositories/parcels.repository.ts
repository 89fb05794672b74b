import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB, LandUse } from '../schema.js'
import { difference, geomFromGeoJSON, geomRef } from '../postgis.js'
import { likePrefix } from '../like.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface NewParcel {
  externalId: string
  landUse: LandUse
  ownerName: string | null
  geojson: string
}

// Parcel geometry is written 2D (ST_Force2D): a GeoJSON position may carry an elevation, the column
// has none, and an API caller's third number must not turn into a database error.
export async function insertParcels(db: Executor, regionId: number, parcels: NewParcel[]): Promise<number[]> {
  if (parcels.length === 0) return []
  const { rows } = await sql<{ id: number }>`
    INSERT INTO parcels (region_id, external_id, land_use, owner_name, boundary)
    SELECT ${regionId}, t.eid, t.lu, t.owner, ST_Multi(ST_Force2D(${geomFromGeoJSON(sql.ref<string>('t.g'))}))
    FROM unnest(${parcels.map((p) => p.externalId)}::text[], ${parcels.map((p) => p.landUse)}::text[],
                ${parcels.map((p) => p.ownerName)}::text[], ${parcels.map((p) => p.geojson)}::text[]) AS t(eid, lu, owner, g)
    RETURNING id`.execute(db)
  return rows.map((r) => r.id)
}

export interface CheckedInsert {
  /** the new parcel's id; null when the geometry is invalid, lies outside the region or the external id already exists */
  id: number | null
  valid: boolean
  reason: string | null
  location: [number, number] | null
  /** area outside the region (0 when invalid: not measured) and a point of it */
  outsideM2: number
  outsideAt: [number, number] | null
}

/**
 * Bulk import in one round trip per batch: each geometry is parsed once, judged by ST_IsValidDetail,
 * measured against the region (area outside it, beyond `maxOutsideM2`: not inserted), and the rest are
 * inserted unless their external id exists already (ON CONFLICT DO NOTHING).
 * Returns one entry per input row, in order.
 */
export async function insertParcelsChecked(
  db: Executor,
  regionId: number,
  parcels: NewParcel[],
  maxOutsideM2: number,
): Promise<CheckedInsert[]> {
  if (parcels.length === 0) return []
  const { rows } = await sql<{
    i: number
    valid: boolean
    reason: string | null
    x: number | null
    y: number | null
    id: number | null
    outside: number
    ox: number | null
    oy: number | null
  }>`
    WITH input AS MATERIALIZED (
      SELECT t.i, t.eid, t.lu, t.owner, g.geom, d.valid, d.reason, d.location,
             CASE WHEN NOT d.valid THEN NULL
                  WHEN NOT (g.geom && r.boundary) THEN g.geom
                  WHEN ST_CoveredBy(g.geom, r.boundary) THEN NULL
                  ELSE ${difference(geomRef('g.geom'), geomRef('r.boundary'))} END AS outside_part
      FROM unnest(${parcels.map((p) => p.externalId)}::text[], ${parcels.map((p) => p.landUse)}::text[],
                  ${parcels.map((p) => p.ownerName)}::text[], ${parcels.map((p) => p.geojson)}::text[])
           WITH ORDINALITY AS t(eid, lu, owner, g, i)
      CROSS JOIN LATERAL (SELECT ST_Force2D(${geomFromGeoJSON(sql.ref<string>('t.g'))}) AS geom) g
      CROSS JOIN LATERAL ST_IsValidDetail(g.geom) d
      CROSS JOIN (SELECT boundary FROM regions WHERE id = ${regionId}) r
    ),
    measured AS MATERIALIZED (
      SELECT input.*, COALESCE(ST_Area(outside_part::geography), 0) AS outside_m2 FROM input
    ),
    ins AS (
      INSERT INTO parcels (region_id, external_id, land_use, owner_name, boundary)
      SELECT ${regionId}, eid, lu, owner, ST_Multi(geom) FROM measured WHERE valid AND outside_m2 <= ${maxOutsideM2} ORDER BY i
      ON CONFLICT (external_id) DO NOTHING
      RETURNING id, external_id
    )
    SELECT m.i::int AS i, m.valid, m.reason, ST_X(m.location) AS x, ST_Y(m.location) AS y, ins.id, m.outside_m2 AS outside,
           CASE WHEN m.outside_part IS NULL OR ST_IsEmpty(m.outside_part) THEN NULL ELSE ST_X(ST_PointOnSurface(m.outside_part)) END AS ox,
           CASE WHEN m.outside_part IS NULL OR ST_IsEmpty(m.outside_part) THEN NULL ELSE ST_Y(ST_PointOnSurface(m.outside_part)) END AS oy
    FROM measured m LEFT JOIN ins ON ins.external_id = m.eid
    ORDER BY m.i`.execute(db)
  // PGlite answers a failed GEOS operation with no rows rather than an error: never read that as "none inserted"
  if (rows.length !== parcels.length)
    throw new Error(`insertParcelsChecked: ${rows.length} answers for ${parcels.length} parcels`)
  return rows.map((r) => ({
    id: r.id,
    valid: r.valid,
    reason: r.reason,
    location: r.x === null || r.y === null ? null : [r.x, r.y],
    outsideM2: r.outside,
    outsideAt: r.ox === null || r.oy === null ? null : [r.ox, r.oy],
  }))
}

export async function existingExternalIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db.selectFrom('parcels').select('external_id').where('external_id', 'in', ids).execute()
  return new Set(rows.map((r) => r.external_id))
}

export function findParcel(db: Executor, by: { id: number } | { externalId: string }) {
  let q = db.selectFrom('parcels').select(['id', 'external_id', 'land_use', 'owner_name', 'region_id'])
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('external_id', '=', by.externalId)
  return q.executeTakeFirst()
}

/**
 * Status of a parcel as of a date, derived from its stored geometric match and the staffing then:
 * unowned (partly or wholly outside every leaf cell) > inherited (its cell is vacant) > straddling > matched.
 */
export const statusCase = (placement: RawBuilder<unknown>, cellStatus: RawBuilder<unknown>) => sql<string>`
  CASE WHEN ${placement} = 'uncovered' THEN 'unowned'
       WHEN ${cellStatus} = 'vacant' THEN 'inherited'
       WHEN ${placement} = 'straddling' THEN 'straddling'
       ELSE 'matched' END`

export interface ParcelFilter {
  bbox?: readonly [number, number, number, number]
  statuses?: string[]
  cellIds?: number[]
  externalIds?: string[]
  at: string
  limit: number
  offset: number
  withGeometry: boolean
}

/** Parcels with their status, as GeoJSON text built in SQL. */
export async function parcelFeatures(db: Executor, f: ParcelFilter): Promise<{ geojson: string; total: number }> {
  const where = [sql`TRUE`]
  if (f.bbox)
    where.push(sql`p.boundary && ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326)`)
  if (f.cellIds) where.push(sql`m.cell_id = ANY(${f.cellIds}::int[])`)
  if (f.externalIds) where.push(sql`p.external_id = ANY(${f.externalIds}::text[])`)
  const status = statusCase(sql.ref('m.placement'), sql.ref('a.status'))
  const { rows } = await sql<{ fc: string; total: number }>`
    WITH acc AS (SELECT * FROM cell_accountability(${f.at}::date)),
    rowsel AS (
      SELECT p.id, p.external_id, p.land_use, p.owner_name, p.boundary, m.placement, m.shares,
             m.uncovered_area_m2, m.parcel_area_m2, c.code AS cell_code, acc_cell.code AS accountable_code,
             ${status} AS status
      FROM parcels p
      LEFT JOIN parcel_matches m ON m.parcel_id = p.id
      LEFT JOIN acc a ON a.cell_id = m.cell_id
      LEFT JOIN grid_cells c ON c.id = m.cell_id
      LEFT JOIN grid_cells acc_cell ON acc_cell.id = a.accountable_cell_id
      WHERE ${sql.join(where, sql` AND `)}
    ),
    filtered AS (
      SELECT r.*, count(*) OVER () AS total FROM rowsel r
      WHERE ${f.statuses ? sql`r.status = ANY(${f.statuses}::text[])` : sql`TRUE`}
      ORDER BY r.id LIMIT ${f.limit} OFFSET ${f.offset}
    )
    SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
      'type', 'Feature', 'id', s.id,
      'geometry', CASE WHEN ${f.withGeometry} THEN ST_AsGeoJSON(s.boundary, 7)::json END,
      'properties', json_build_object(
        'id', s.id, 'externalId', s.external_id, 'landUse', s.land_use, 'ownerName', s.owner_name,
        'status', s.status, 'cellCode', s.cell_code, 'accountableCode', s.accountable_code,
        'areaM2', round(s.parcel_area_m2::numeric, 1), 'uncoveredAreaM2', round(s.uncovered_area_m2::numeric, 1)))
      ORDER BY s.id), '[]'::json))::text AS fc,
      COALESCE(max(s.total), 0)::int AS total
    FROM filtered s`.execute(db)
  return { geojson: rows[0]!.fc, total: rows[0]!.total }
}

export interface ParcelMatchRow {
  id: number
  external_id: string
  land_use: LandUse
  owner_name: string | null
  placement: string | null
  status: string | null
  cell_id: number | null
  cell_code: string | null
  accountable_cell_id: number | null
  shares: { cellId: number; cellCode: string; cellName: string; areaM2: number }[] | null
  parcel_area_m2: number | null
  uncovered_area_m2: number | null
  geometry: string
}

export async function parcelMatch(
  db: Executor,
  by: { id: number } | { point: [number, number] },
  at: string,
): Promise<ParcelMatchRow | undefined> {
  const where =
    'id' in by
      ? sql`p.id = ${by.id}`
      : sql`ST_Intersects(p.boundary, ST_SetSRID(ST_MakePoint(${by.point[0]}, ${by.point[1]}), 4326))`
  const { rows } = await sql<ParcelMatchRow>`
    SELECT p.id, p.external_id, p.land_use, p.owner_name, m.placement, m.cell_id, c.code AS cell_code,
           a.accountable_cell_id, m.parcel_area_m2, m.uncovered_area_m2, ST_AsGeoJSON(p.boundary, 7) AS geometry,
           CASE WHEN m.parcel_id IS NULL THEN NULL ELSE ${statusCase(sql.ref('m.placement'), sql.ref('a.status'))} END AS status,
           (SELECT json_agg(json_build_object('cellId', sc.id, 'cellCode', sc.code, 'cellName', sc.name,
                   'areaM2', round((s->>'areaM2')::numeric, 1)) ORDER BY (s->>'areaM2')::float8 DESC)
            FROM jsonb_array_elements(m.shares) s JOIN grid_cells sc ON sc.id = (s->>'cellId')::int) AS shares
    FROM parcels p
    LEFT JOIN parcel_matches m ON m.parcel_id = p.id
    LEFT JOIN grid_cells c ON c.id = m.cell_id
    -- only this parcel's cell and its ancestors, not the whole grid (a hot path: point lookups)
    LEFT JOIN LATERAL cell_accountability_of(ARRAY[m.cell_id], ${at}::date) a ON TRUE
    WHERE ${where}
    ORDER BY p.id LIMIT 1`.execute(db)
  return rows[0]
}

export async function searchParcels(db: Executor, q: string, limit: number) {
  const { rows } = await sql<{
    id: number
    external_id: string
    land_use: string
    owner_name: string | null
    bbox: number[]
  }>`
    SELECT id, external_id, land_use, owner_name,
           ARRAY[ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary)]::float8[] AS bbox
    FROM parcels WHERE ${likePrefix('external_id', q, 'ILIKE')}
    ORDER BY external_id LIMIT ${limit}`.execute(db)
  return rows
}

/** Parcel counts by status for parcels matched to any of these cells. */
export async function statusCountsOfCells(
  db: Executor,
  cellIds: number[],
  at: string,
): Promise<Record<string, number>> {
  if (cellIds.length === 0) return {}
  const { rows } = await sql<{ status: string; n: number }>`
    SELECT ${statusCase(sql.ref('m.placement'), sql.ref('a.status'))} AS status, count(*)::int AS n
    FROM parcel_matches m LEFT JOIN cell_accountability(${at}::date) a ON a.cell_id = m.cell_id
    WHERE m.cell_id = ANY(${cellIds}::int[])
    GROUP BY 1`.execute(db)
  return Object.fromEntries(rows.map((r) => [r.status, r.n]))
}

export async function updateParcel(
  db: Executor,
  id: number,
  p: { geojson?: string; landUse?: LandUse; ownerName?: string | null },
) {
  const { rows } = await sql<{ id: number }>`
    UPDATE parcels SET
      boundary = COALESCE(ST_Multi(ST_Force2D(${geomFromGeoJSON(sql<string | null>`${p.geojson ?? null}::text`)})), boundary),
      land_use = COALESCE(${p.landUse ?? null}::text, land_use),
      owner_name = CASE WHEN ${p.ownerName !== undefined} THEN ${p.ownerName ?? null}::text ELSE owner_name END,
      updated_at = now()
    WHERE id = ${id} RETURNING id`.execute(db)
  return rows[0]
}

export function deleteParcel(db: Executor, id: number) {
  return db.deleteFrom('parcels').where('id', '=', id).returning(['id', 'external_id']).executeTakeFirst()
}
