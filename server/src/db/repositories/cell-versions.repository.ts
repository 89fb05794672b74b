import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../schema.js'

type Executor = Kysely<DB> | Transaction<DB>

/** Snapshots the current state of these cells as their newest version, closing the previous one. */
export async function recordCellVersions(
  db: Executor,
  cellIds: number[],
  at: Date | string | null,
  changedBy: string,
  reason: string | null,
  editId: number | null = null,
) {
  if (cellIds.length === 0) return
  await sql`
    UPDATE cell_versions SET valid_to = COALESCE(${at}::timestamptz, now())
    WHERE cell_id = ANY(${cellIds}::int[]) AND valid_to IS NULL`.execute(db)
  await sql`
    INSERT INTO cell_versions (cell_id, version, code, name, level, parent_id, boundary, retired, valid_from, changed_by, reason, edit_id)
    SELECT id, version, code, name, level, parent_id, boundary, retired_at IS NOT NULL, COALESCE(${at}::timestamptz, now()), ${changedBy}, ${reason}, ${editId}::bigint
    FROM grid_cells WHERE id = ANY(${cellIds}::int[])`.execute(db)
}

export interface CellVersionRow {
  version: number
  name: string
  retired: boolean
  valid_from: Date
  valid_to: Date | null
  changed_by: string | null
  reason: string | null
  area_m2: number | null
  geometry: string | null
  parent_code: string | null
  edit_id: number | null
}

export async function cellVersions(db: Executor, cellId: number): Promise<CellVersionRow[]> {
  const { rows } = await sql<CellVersionRow>`
    SELECT v.version, v.name, v.retired, v.valid_from, v.valid_to, v.changed_by, v.reason,
           ST_Area(v.boundary::geography) AS area_m2, ST_AsGeoJSON(v.boundary, 7) AS geometry, p.code AS parent_code, v.edit_id
    FROM cell_versions v LEFT JOIN grid_cells p ON p.id = v.parent_id
    WHERE v.cell_id = ${cellId} ORDER BY v.version`.execute(db)
  return rows
}

export interface HistoricCellAtPoint {
  id: number
  code: string
  name: string
  level: number
  parent_id: number | null
  interior: boolean
  has_children: boolean
}

/**
 * Cells as they were at the end of a day covering a point, finest first, with whether they had
 * children then: the history path of "who was accountable here on date D".
 */
export async function cellsAtPointOn(
  db: Executor,
  lon: number,
  lat: number,
  day: string,
): Promise<HistoricCellAtPoint[]> {
  const { rows } = await sql<HistoricCellAtPoint>`
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS g),
    asof AS (SELECT (${day}::date + 1)::timestamptz AS t),
    state AS (
      SELECT v.* FROM cell_versions v, asof
      WHERE v.valid_from < asof.t AND (v.valid_to IS NULL OR v.valid_to >= asof.t) AND NOT v.retired
    )
    SELECT s.cell_id AS id, s.code, s.name, s.level, s.parent_id, ST_Contains(s.boundary, pt.g) AS interior,
           EXISTS (SELECT 1 FROM state k WHERE k.parent_id = s.cell_id) AS has_children
    FROM state s, pt
    WHERE ST_Intersects(s.boundary, pt.g)
    ORDER BY s.level DESC, ST_Contains(s.boundary, pt.g) DESC, s.code`.execute(db)
  return rows
}

/** Whether any cell changed after the end of this day (if not, the current state answers for it). */
export async function changedSince(db: Executor, day: string): Promise<boolean> {
  const { rows } = await sql<{ changed: boolean }>`
    SELECT EXISTS (SELECT 1 FROM cell_versions WHERE valid_from >= (${day}::date + 1)::timestamptz) AS changed`.execute(
    db,
  )
  return rows[0]!.changed
}
