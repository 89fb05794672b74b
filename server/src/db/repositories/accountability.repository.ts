import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface CellAtPoint {
  id: number
  code: string
  name: string
  name_en: string | null
  level: number
  parent_id: number | null
  /** the point is inside the cell, not on its boundary */
  interior: boolean
  has_children: boolean
}

/** Every active cell whose boundary covers the point (interior or boundary), finest level first. */
export async function cellsAtPoint(db: Executor, lon: number, lat: number): Promise<CellAtPoint[]> {
  const { rows } = await sql<CellAtPoint>`
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS g)
    SELECT c.id, c.code, c.name, c.name_en, c.level, c.parent_id, ST_Contains(c.boundary, pt.g) AS interior,
           EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL) AS has_children
    FROM grid_cells c, pt
    WHERE c.retired_at IS NULL AND ST_Intersects(c.boundary, pt.g)
    ORDER BY c.level DESC, ST_Contains(c.boundary, pt.g) DESC, c.code`.execute(db)
  return rows
}

export interface CellStaffingRow {
  id: number
  code: string
  name: string
  name_en: string | null
  level: number
  parent_id: number | null
  status: string
  accountable_cell_id: number | null
}

export async function cellsWithStaffing(db: Executor, ids: number[], at: string): Promise<CellStaffingRow[]> {
  if (ids.length === 0) return []
  const { rows } = await sql<CellStaffingRow>`
    SELECT c.id, c.code, c.name, c.name_en, c.level, c.parent_id, a.status, a.accountable_cell_id
    FROM grid_cells c JOIN cell_accountability_of(${ids}::int[], ${at}::date) a ON a.cell_id = c.id
    WHERE c.id = ANY(${ids}::int[])`.execute(db)
  return rows
}

export async function regionAtPoint(db: Executor, lon: number, lat: number) {
  const { rows } = await sql<{ id: number; code: string; name: string }>`
    SELECT id, code, name FROM regions
    WHERE ST_Intersects(boundary, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)) ORDER BY code LIMIT 1`.execute(db)
  return rows[0]
}

/** The region a cell belongs to, and whether the point lies in that region (a cell may overhang its outline). */
export async function regionOfCellAt(db: Executor, cellId: number, lon: number, lat: number) {
  const { rows } = await sql<{ id: number; code: string; name: string; contains_point: boolean }>`
    SELECT r.id, r.code, r.name, ST_Intersects(r.boundary, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)) AS contains_point
    FROM grid_cells c JOIN regions r ON r.id = c.region_id WHERE c.id = ${cellId}`.execute(db)
  return rows[0]
}

/** The active child of a cell nearest to the point (geodesic; ties: lowest code), if it has children. */
export async function nearestChildCell(db: Executor, cellId: number, lon: number, lat: number) {
  const { rows } = await sql<{ id: number; code: string }>`
    SELECT k.id, k.code FROM grid_cells k
    WHERE k.parent_id = ${cellId} AND k.retired_at IS NULL
    ORDER BY ST_Distance(k.boundary::geography, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography), k.code
    LIMIT 1`.execute(db)
  return rows[0]
}
