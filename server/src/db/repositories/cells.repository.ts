import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../schema.js'
import { geomFromGeoJSON } from '../postgis.js'
import { likeContains, likePrefix } from '../like.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface NewCell {
  code: string
  name: string
  nameEn: string | null
  level: number
  parentCode: string | null
  regionId: number
  geojson: string
}

/** Inserts a batch whose parents already exist (earlier batches or the database). */
export async function insertCells(db: Executor, cells: NewCell[]): Promise<{ id: number; code: string }[]> {
  if (cells.length === 0) return []
  const { rows } = await sql<{ id: number; code: string }>`
    INSERT INTO grid_cells (region_id, code, name, name_en, level, parent_id, boundary)
    SELECT t.region_id, t.code, t.name, t.name_en, t.level, p.id,
           ST_Multi(ST_Force2D(${geomFromGeoJSON(sql.ref<string>('t.g'))}))
    FROM unnest(${cells.map((c) => c.regionId)}::int[], ${cells.map((c) => c.code)}::text[],
                ${cells.map((c) => c.name)}::text[], ${cells.map((c) => c.nameEn)}::text[],
                ${cells.map((c) => c.level)}::int[], ${cells.map((c) => c.parentCode)}::text[],
                ${cells.map((c) => c.geojson)}::text[])
         AS t(region_id, code, name, name_en, level, parent_code, g)
    LEFT JOIN grid_cells p ON p.code = t.parent_code
    RETURNING id, code`.execute(db)
  return rows
}

export function findCellsByCodes(db: Executor, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([])
  return db
    .selectFrom('grid_cells')
    .select(['id', 'code', 'level', 'region_id', 'retired_at'])
    .where('code', 'in', codes)
    .execute()
}

export function findCell(db: Executor, by: { code: string } | { id: number }) {
  let q = db
    .selectFrom('grid_cells')
    .select(['id', 'code', 'name', 'name_en', 'level', 'parent_id', 'region_id', 'version', 'retired_at', 'updated_at'])
  q = 'code' in by ? q.where('code', '=', by.code) : q.where('id', '=', by.id)
  return q.executeTakeFirst()
}

export interface CellListFilter {
  regionId?: number
  level?: number
  parentId?: number
  bbox?: readonly [number, number, number, number]
  ids?: number[]
  at: string
  soon: string
  contacts: boolean
  /** simplification tolerance in degrees; 0 = full detail */
  simplify: number
  limit: number
  offset: number
}

/**
 * Cells as a GeoJSON FeatureCollection text, built in SQL, with staffing as of `at`, whether that
 * staffing degrades by `soon` (expiring), and the current responsible people.
 */
export async function cellFeatures(db: Executor, f: CellListFilter): Promise<{ geojson: string; total: number }> {
  const where = [sql`c.retired_at IS NULL`]
  if (f.regionId !== undefined) where.push(sql`c.region_id = ${f.regionId}`)
  if (f.level !== undefined) where.push(sql`c.level = ${f.level}`)
  if (f.parentId !== undefined) where.push(sql`c.parent_id = ${f.parentId}`)
  if (f.ids !== undefined) where.push(sql`c.id = ANY(${f.ids}::int[])`)
  if (f.bbox)
    where.push(sql`c.boundary && ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326)`)
  const { rows } = await sql<{ fc: string; total: number }>`
    WITH now_staff AS (SELECT * FROM cell_accountability(${f.at}::date)),
    soon_staff AS (SELECT * FROM cell_staffing(${f.soon}::date)),
    selected AS (
      SELECT c.*, count(*) OVER () AS total FROM grid_cells c
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY c.level, c.code
      LIMIT ${f.limit} OFFSET ${f.offset}
    ),
    people AS (
      SELECT r.cell_id, json_agg(json_build_object(
               'personId', p.id, 'name', p.name, 'nameEn', p.name_en, 'role', r.role,
               'phone', CASE WHEN ${f.contacts} THEN p.phone END, 'endsOn', r.ends_on)
             ORDER BY r.role, p.name) AS people
      FROM responsibilities r JOIN people p ON p.id = r.person_id
      WHERE r.cell_id IN (SELECT id FROM selected)
        AND r.starts_on <= ${f.at}::date AND (r.ends_on IS NULL OR r.ends_on >= ${f.at}::date)
      GROUP BY r.cell_id
    )
    SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
      'type', 'Feature', 'id', s.id,
      'geometry', ST_AsGeoJSON(CASE WHEN ${f.simplify}::float8 > 0
                    THEN ST_SimplifyPreserveTopology(s.boundary, ${f.simplify}::float8) ELSE s.boundary END, 7)::json,
      'properties', json_build_object(
        'id', s.id, 'code', s.code, 'name', s.name, 'nameEn', s.name_en, 'level', s.level,
        'parentCode', parent.code, 'version', s.version,
        'staffing', a.status,
        'expiring', a.status <> 'vacant' AND (soon.status = 'vacant' OR (a.status = 'staffed' AND soon.status <> 'staffed')),
        'accountableCode', acc.code,
        'people', COALESCE(pe.people, '[]'::json)))
      ORDER BY s.level, s.code), '[]'::json))::text AS fc,
      COALESCE(max(s.total), 0)::int AS total
    FROM selected s
    LEFT JOIN grid_cells parent ON parent.id = s.parent_id
    LEFT JOIN now_staff a ON a.cell_id = s.id
    LEFT JOIN grid_cells acc ON acc.id = a.accountable_cell_id
    LEFT JOIN soon_staff soon ON soon.cell_id = s.id
    LEFT JOIN people pe ON pe.cell_id = s.id`.execute(db)
  return { geojson: rows[0]!.fc, total: rows[0]!.total }
}

export async function cellDetail(db: Executor, cellId: number, at: string) {
  const { rows } = await sql<{
    id: number
    code: string
    name: string
    name_en: string | null
    level: number
    version: number
    parent_code: string | null
    parent_name: string | null
    region_code: string
    geometry: string
    bbox: number[]
    area_m2: number
    staffing: string
    accountable_code: string | null
    retired_at: Date | null
  }>`
    SELECT c.id, c.code, c.name, c.name_en, c.level, c.version, c.retired_at, p.code AS parent_code, p.name AS parent_name,
           r.code AS region_code, ST_AsGeoJSON(c.boundary, 7) AS geometry,
           ARRAY[ST_XMin(c.boundary), ST_YMin(c.boundary), ST_XMax(c.boundary), ST_YMax(c.boundary)]::float8[] AS bbox,
           ST_Area(c.boundary::geography) AS area_m2,
           COALESCE(a.status, 'retired') AS staffing, acc.code AS accountable_code
    FROM grid_cells c
    JOIN regions r ON r.id = c.region_id
    LEFT JOIN grid_cells p ON p.id = c.parent_id
    LEFT JOIN cell_accountability(${at}::date) a ON a.cell_id = c.id
    LEFT JOIN grid_cells acc ON acc.id = a.accountable_cell_id
    WHERE c.id = ${cellId}`.execute(db)
  return rows[0]
}

export function childCells(db: Executor, cellId: number) {
  return db
    .selectFrom('grid_cells')
    .select(['id', 'code', 'name', 'level'])
    .where('parent_id', '=', cellId)
    .where('retired_at', 'is', null)
    .orderBy('code')
    .execute()
}

/** Ancestors of a cell, nearest first (excluding the cell). */
export async function ancestorIds(db: Executor, cellId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    WITH RECURSIVE up AS (
      SELECT parent_id AS id, 1 AS depth FROM grid_cells WHERE id = ${cellId}
      UNION ALL
      SELECT c.parent_id, up.depth + 1 FROM up JOIN grid_cells c ON c.id = up.id WHERE c.parent_id IS NOT NULL
    )
    SELECT id FROM up WHERE id IS NOT NULL ORDER BY depth`.execute(db)
  return rows.map((r) => r.id)
}

/** Cells a person is responsible for on a date, with every cell below them. */
export async function personCellIdsWithDescendants(db: Executor, personId: number, at: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    WITH RECURSIVE own AS (
      SELECT DISTINCT r.cell_id AS id FROM responsibilities r
      WHERE r.person_id = ${personId} AND r.starts_on <= ${at}::date AND (r.ends_on IS NULL OR r.ends_on >= ${at}::date)
      UNION
      SELECT c.id FROM grid_cells c JOIN own ON c.parent_id = own.id WHERE c.retired_at IS NULL
    )
    SELECT id FROM own`.execute(db)
  return rows.map((r) => r.id)
}

export async function searchCells(db: Executor, q: string, limit: number) {
  const { rows } = await sql<{
    id: number
    code: string
    name: string
    name_en: string | null
    level: number
    bbox: number[]
  }>`
    SELECT id, code, name, name_en, level,
           ARRAY[ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary)]::float8[] AS bbox
    FROM grid_cells
    WHERE retired_at IS NULL AND (${likePrefix('code', q)} OR ${likeContains('name', q)} OR ${likeContains('name_en', q, 'ILIKE')})
    ORDER BY (code = ${q}) DESC, level, code
    LIMIT ${limit}`.execute(db)
  return rows
}

export function cellBbox(db: Executor, ids: number[]) {
  if (ids.length === 0) return Promise.resolve(null)
  return sql<{ bbox: number[] | null }>`
    SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)]::float8[] AS bbox
    FROM (SELECT ST_Extent(boundary)::geometry AS e FROM grid_cells WHERE id = ANY(${ids}::int[])) x
    WHERE e IS NOT NULL`
    .execute(db)
    .then((r) => r.rows[0]?.bbox ?? null)
}

/** Every active cell below a cell. */
export async function descendantIds(db: Executor, cellId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    WITH RECURSIVE down AS (
      SELECT id FROM grid_cells WHERE parent_id = ${cellId} AND retired_at IS NULL
      UNION ALL
      SELECT c.id FROM grid_cells c JOIN down ON c.parent_id = down.id WHERE c.retired_at IS NULL
    )
    SELECT id FROM down`.execute(db)
  return rows.map((r) => r.id)
}
