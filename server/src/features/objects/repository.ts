// Supervised objects in SQL: writes, the match-aware reads (status as of a date from the stored match
// and the staffing then, by the parcel rule), the map layer as GeoJSON built in SQL, and the coverage
// report's list of objects nobody answers for directly.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { statusCase } from '../../db/repositories/parcels.repository.js'
import type { CoverageScope } from '../../db/repositories/coverage.repository.js'
import { likeContains } from '../../db/like.js'

type Executor = Kysely<DB> | Transaction<DB>

const matchStatus = statusCase(sql.ref('m.placement'), sql.ref('a.status'))

export function objectTypes(db: Executor) {
  return db
    .selectFrom('object_types')
    .select(['code', 'name_zh', 'name_en', 'geometry_kind', 'checklist'])
    .where('active', '=', true)
    .orderBy('sort_order')
    .orderBy('code')
    .execute()
}

export function patrolFrequencies(db: Executor) {
  return db.selectFrom('patrol_frequencies').select(['risk_level', 'visits_per_month']).execute()
}

/** The region whose outline covers the object's anchor point (a point on its surface). */
export async function regionOfGeometry(db: Executor, geojson: string): Promise<number | undefined> {
  return (await regionsOfGeometries(db, [geojson]))[0] ?? undefined
}

/** Leaf cells a geometry lies in or touches (for a supervisor's scope: the cells a filing acts on). */
export async function leafCellsTouching(db: Executor, geojson: string): Promise<number[]> {
  const { rows } = await sql<{ cell_id: number }>`
    SELECT DISTINCT s.cell_id FROM grid_cells_subdivided s
    WHERE s.is_leaf AND ST_Intersects(s.geom, ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326))`.execute(db)
  return rows.map((r) => r.cell_id)
}

export interface NewObject {
  regionId: number
  code: string
  name: string
  typeCode: string
  riskLevel: string
  geojson: string
  attributes: Record<string, unknown>
  status: 'filed' | 'accepted'
  filedBy: number | null
  now: Date
}

export async function insertObjects(db: Executor, items: NewObject[]): Promise<number[]> {
  if (items.length === 0) return []
  const rows = await db
    .insertInto('supervised_objects')
    .values(
      items.map((o) => ({
        region_id: o.regionId,
        code: o.code,
        name: o.name,
        type_code: o.typeCode,
        risk_level: o.riskLevel,
        geom: sql`ST_SetSRID(ST_GeomFromGeoJSON(${o.geojson}), 4326)`,
        attributes: JSON.stringify(o.attributes),
        status: o.status,
        filed_by: o.filedBy,
        reviewed_by: o.status === 'accepted' ? o.filedBy : null,
        reviewed_at: o.status === 'accepted' ? o.now : null,
        created_at: o.now,
        updated_at: o.now,
      })),
    )
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** A second insert of a code that a concurrent transaction committed first (PostgreSQL unique_violation). */
export const isDuplicateCode = (e: unknown) =>
  (e as { code?: string; constraint?: string }).code === '23505' &&
  (e as { constraint?: string }).constraint === 'supervised_objects_code_key'

export async function existingCodes(db: Executor, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return []
  const rows = await db.selectFrom('supervised_objects').select('code').where('code', 'in', codes).execute()
  return rows.map((r) => r.code)
}

/** The row as stored, locked for a write. */
export function lockObject(db: Executor, id: number) {
  return db
    .selectFrom('supervised_objects as o')
    .leftJoin('object_matches as m', 'm.object_id', 'o.id')
    .select([
      'o.id',
      'o.code',
      'o.name',
      'o.type_code',
      'o.risk_level',
      'o.status',
      'o.return_reason',
      'o.retired_reason',
      'o.attributes',
      'o.version',
      'o.filed_by',
      'o.region_id',
      'm.cell_id',
      sql<string>`ST_AsGeoJSON(o.geom, 7)`.as('geometry'),
    ])
    .where('o.id', '=', id)
    .forUpdate('o')
    .executeTakeFirst()
}

export interface ObjectChange {
  name?: string
  typeCode?: string
  riskLevel?: string
  geojson?: string
  attributes?: Record<string, unknown>
  status?: 'filed' | 'accepted' | 'returned' | 'retired'
  returnReason?: string | null
  retiredReason?: string | null
  reviewedBy?: number | null
  reviewedAt?: Date | null
  now: Date
}

export async function updateObject(db: Executor, id: number, c: ObjectChange): Promise<void> {
  await db
    .updateTable('supervised_objects')
    .set({
      ...(c.name !== undefined ? { name: c.name } : {}),
      ...(c.typeCode !== undefined ? { type_code: c.typeCode } : {}),
      ...(c.riskLevel !== undefined ? { risk_level: c.riskLevel } : {}),
      ...(c.geojson !== undefined ? { geom: sql`ST_SetSRID(ST_GeomFromGeoJSON(${c.geojson}), 4326)` } : {}),
      ...(c.attributes !== undefined ? { attributes: JSON.stringify(c.attributes) } : {}),
      ...(c.status !== undefined ? { status: c.status } : {}),
      ...(c.returnReason !== undefined ? { return_reason: c.returnReason } : {}),
      ...(c.retiredReason !== undefined ? { retired_reason: c.retiredReason } : {}),
      ...(c.reviewedBy !== undefined ? { reviewed_by: c.reviewedBy } : {}),
      ...(c.reviewedAt !== undefined ? { reviewed_at: c.reviewedAt } : {}),
      version: sql`version + 1`,
      updated_at: c.now,
    })
    .where('id', '=', id)
    .execute()
}

export interface ObjectFilter {
  bbox?: readonly [number, number, number, number]
  typeCodes?: string[]
  statuses: string[]
  matchStatuses?: string[]
  riskLevels?: string[]
  cellIds?: number[]
  ids?: number[]
  q?: string
  at: string
  limit: number
  offset: number
}

/** The objects of a filter as a GeoJSON FeatureCollection (text built in SQL) and the total before paging. */
export async function objectFeatures(db: Executor, f: ObjectFilter): Promise<{ geojson: string; total: number }> {
  const where: RawBuilder<unknown>[] = [sql`o.status = ANY(${f.statuses}::text[])`]
  if (f.bbox) where.push(sql`o.geom && ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326)`)
  if (f.typeCodes) where.push(sql`o.type_code = ANY(${f.typeCodes}::text[])`)
  if (f.riskLevels) where.push(sql`o.risk_level = ANY(${f.riskLevels}::text[])`)
  if (f.cellIds) where.push(sql`m.cell_id = ANY(${f.cellIds}::int[])`)
  if (f.ids) where.push(sql`o.id = ANY(${f.ids}::int[])`)
  if (f.q) where.push(sql`(${likeContains('o.code', f.q, 'ILIKE')} OR ${likeContains('o.name', f.q, 'ILIKE')})`)
  const { rows } = await sql<{ fc: string; total: number }>`
    WITH acc AS (SELECT * FROM cell_accountability(${f.at}::date)),
    rowsel AS (
      SELECT o.*, t.name_zh AS type_name, pf.visits_per_month, c.code AS cell_code, ac.code AS accountable_code,
             CASE WHEN m.object_id IS NULL THEN NULL ELSE ${matchStatus} END AS match_status
      FROM supervised_objects o
      JOIN object_types t ON t.code = o.type_code
      JOIN patrol_frequencies pf ON pf.risk_level = o.risk_level
      LEFT JOIN object_matches m ON m.object_id = o.id
      LEFT JOIN acc a ON a.cell_id = m.cell_id
      LEFT JOIN grid_cells c ON c.id = m.cell_id
      LEFT JOIN grid_cells ac ON ac.id = a.accountable_cell_id
      WHERE ${sql.join(where, sql` AND `)}
    ),
    filtered AS (
      SELECT r.*, count(*) OVER () AS total FROM rowsel r
      WHERE ${f.matchStatuses ? sql`r.match_status = ANY(${f.matchStatuses}::text[])` : sql`TRUE`}
      ORDER BY r.code LIMIT ${f.limit} OFFSET ${f.offset}
    )
    SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
      'type', 'Feature', 'id', s.id, 'geometry', ST_AsGeoJSON(s.geom, 7)::json,
      'properties', json_build_object(
        'id', s.id, 'code', s.code, 'name', s.name, 'typeCode', s.type_code, 'typeName', s.type_name,
        'riskLevel', s.risk_level, 'visitsPerMonth', s.visits_per_month, 'status', s.status,
        'returnReason', s.return_reason, 'matchStatus', s.match_status, 'cellCode', s.cell_code,
        'accountableCode', s.accountable_code, 'attributes', s.attributes, 'version', s.version,
        'anchor', json_build_array(round(ST_X(s.anchor)::numeric, 7), round(ST_Y(s.anchor)::numeric, 7))))
      ORDER BY s.code), '[]'::json))::text AS fc,
      COALESCE(max(s.total), 0)::int AS total
    FROM filtered s`.execute(db)
  return { geojson: rows[0]!.fc, total: rows[0]!.total }
}

export interface ObjectDetailRow {
  region_code: string
  placement: string | null
  match_status: string | null
  cell_id: number | null
  cell_code: string | null
  object_area_m2: number | null
  uncovered_area_m2: number | null
  shares: { cellId: number; cellCode: string; cellName: string; areaM2: number }[] | null
  retired_reason: string | null
  filed_by_login: string | null
  reviewed_by_login: string | null
  reviewed_at: Date | null
  created_at: Date
  updated_at: Date
}

/** What the detail adds to the map properties: region, match figures, shares and the review trail. */
export async function objectDetailRow(db: Executor, id: number, at: string): Promise<ObjectDetailRow | undefined> {
  const { rows } = await sql<ObjectDetailRow>`
    SELECT r.code AS region_code, m.placement, m.cell_id, c.code AS cell_code, m.object_area_m2, m.uncovered_area_m2,
           CASE WHEN m.object_id IS NULL THEN NULL ELSE ${matchStatus} END AS match_status,
           o.retired_reason, fu.login AS filed_by_login, ru.login AS reviewed_by_login, o.reviewed_at,
           o.created_at, o.updated_at,
           (SELECT json_agg(json_build_object('cellId', sc.id, 'cellCode', sc.code, 'cellName', sc.name,
                   'areaM2', round((s->>'areaM2')::numeric, 1)) ORDER BY (s->>'areaM2')::float8 DESC)
            FROM jsonb_array_elements(m.shares) s JOIN grid_cells sc ON sc.id = (s->>'cellId')::int) AS shares
    FROM supervised_objects o
    JOIN regions r ON r.id = o.region_id
    LEFT JOIN object_matches m ON m.object_id = o.id
    LEFT JOIN grid_cells c ON c.id = m.cell_id
    LEFT JOIN LATERAL cell_accountability_of(ARRAY[m.cell_id], ${at}::date) a ON TRUE
    LEFT JOIN users fu ON fu.id = o.filed_by
    LEFT JOIN users ru ON ru.id = o.reviewed_by
    WHERE o.id = ${id}`.execute(db)
  return rows[0]
}

export interface ObjectIssueRow {
  id: number
  code: string
  name: string
  type_code: string
  status: string
  cell_code: string | null
  accountable_code: string | null
  point: number[]
}

function objectInScope(scope: CoverageScope): RawBuilder<boolean> {
  return scope.kind === 'region'
    ? sql<boolean>`o.region_id = ${scope.regionId}`
    : sql<boolean>`ST_Intersects((SELECT boundary FROM grid_cells WHERE id = ${scope.cellId}), o.anchor)`
}

/** Objects in force (not retired) of the scope that are unowned, straddling or inherited, by the parcel rule. */
export async function objectIssues(db: Executor, scope: CoverageScope, at: string, limit: number) {
  const { rows } = await sql<ObjectIssueRow>`
    WITH acc AS (SELECT * FROM cell_accountability(${at}::date)),
    st AS (
      SELECT o.id, o.code, o.name, o.type_code, c.code AS cell_code, ac.code AS accountable_code,
             ARRAY[ST_X(o.anchor), ST_Y(o.anchor)]::float8[] AS point, ${matchStatus} AS status
      FROM object_matches m
      JOIN supervised_objects o ON o.id = m.object_id
      LEFT JOIN acc a ON a.cell_id = m.cell_id
      LEFT JOIN grid_cells c ON c.id = m.cell_id
      LEFT JOIN grid_cells ac ON ac.id = a.accountable_cell_id
      WHERE o.status <> 'retired' AND (m.placement <> 'inside' OR a.status = 'vacant') AND ${objectInScope(scope)}
    )
    SELECT * FROM (
      SELECT st.*, row_number() OVER (PARTITION BY status ORDER BY code) AS rn FROM st WHERE status <> 'matched'
    ) x WHERE rn <= ${limit} ORDER BY status, code`.execute(db)
  return rows
}

/** Objects of a region in force, by match status as of a date. */
export async function matchCounts(db: Executor, ids: number[], at: string): Promise<Record<string, number>> {
  const { rows } = await sql<{ status: string; n: number }>`
    SELECT CASE WHEN m.object_id IS NULL THEN 'unmatched' ELSE ${matchStatus} END AS status, count(*)::int AS n
    FROM supervised_objects o
    LEFT JOIN object_matches m ON m.object_id = o.id
    LEFT JOIN cell_accountability(${at}::date) a ON a.cell_id = m.cell_id
    WHERE o.id = ANY(${ids}::int[])
    GROUP BY 1`.execute(db)
  return Object.fromEntries(rows.map((r) => [r.status, r.n]))
}

/** The parent of a cell (the reviewer's level), or the cell itself at the top. */
export async function reviewCellOf(db: Executor, cellId: number): Promise<number> {
  const row = await db.selectFrom('grid_cells').select(['id', 'parent_id']).where('id', '=', cellId).executeTakeFirst()
  return row?.parent_id ?? cellId
}

/** For each geometry (GeoJSON text), the region whose outline covers its anchor point; null for none. */
export async function regionsOfGeometries(db: Executor, geojson: string[]): Promise<(number | null)[]> {
  if (geojson.length === 0) return []
  const { rows } = await sql<{ i: number; region_id: number | null }>`
    SELECT t.i::int AS i,
           (SELECT r.id FROM regions r
            WHERE ST_Covers(r.boundary, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON(t.txt), 4326)))
            ORDER BY r.code LIMIT 1) AS region_id
    FROM unnest(${geojson}::text[]) WITH ORDINALITY AS t(txt, i)
    ORDER BY t.i`.execute(db)
  return rows.map((r) => r.region_id)
}

/** Objects in force whose code or name contains the text (taken literally), for the search box. */
export async function searchObjects(db: Executor, q: string, limit: number) {
  const { rows } = await sql<{ id: number; code: string; name: string; type_name: string; bbox: number[] }>`
    SELECT o.id, o.code, o.name, t.name_zh AS type_name,
           ARRAY[ST_XMin(o.geom), ST_YMin(o.geom), ST_XMax(o.geom), ST_YMax(o.geom)]::float8[] AS bbox
    FROM supervised_objects o JOIN object_types t ON t.code = o.type_code
    WHERE o.status <> 'retired' AND (${likeContains('o.code', q, 'ILIKE')} OR ${likeContains('o.name', q, 'ILIKE')})
    ORDER BY o.code LIMIT ${limit}`.execute(db)
  return rows
}
