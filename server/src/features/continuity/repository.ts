// The rows duty continuity is computed from: cells with their staffing rule, the days each cell
// existed (cell_versions), and the duties overlapping a range. One query each, whatever the range.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB, Role } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface ContinuityCellRow {
  id: number
  code: string
  name: string
  name_en: string | null
  level: number
  /** the level-2 cell the cell lies in (itself for a township), null for the county */
  township_id: number | null
  township_code: string | null
  /** as cell_staffing_of counts it: no current (unretired) child */
  is_leaf: boolean
  chiefs_required: number
  members_required: number
  has_versions: boolean
  retired: boolean
}

/**
 * Cells with the rule cell_staffing_of applies to them (staffing_rules by level, else one chief and,
 * for a leaf, one member), restricted to `cellIds` and their descendants when given.
 */
export async function continuityCells(db: Executor, cellIds: number[] | null): Promise<ContinuityCellRow[]> {
  const { rows } = await sql<ContinuityCellRow>`
    WITH RECURSIVE tree AS (
      SELECT c.id, CASE WHEN c.level = 2 THEN c.id END AS township_id, ARRAY[c.id] AS path
      FROM grid_cells c WHERE c.parent_id IS NULL
      UNION ALL
      SELECT k.id, CASE WHEN k.level = 2 THEN k.id ELSE tree.township_id END, tree.path || k.id
      FROM grid_cells k JOIN tree ON k.parent_id = tree.id
    )
    SELECT c.id, c.code, c.name, c.name_en, c.level, t.township_id, tc.code AS township_code,
           NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL) AS is_leaf,
           COALESCE(s.chiefs_required, 1)::int AS chiefs_required,
           COALESCE(s.members_required,
             CASE WHEN EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL)
                  THEN 0 ELSE 1 END)::int AS members_required,
           EXISTS (SELECT 1 FROM cell_versions v WHERE v.cell_id = c.id) AS has_versions,
           c.retired_at IS NOT NULL AS retired
    FROM tree t
    JOIN grid_cells c ON c.id = t.id
    LEFT JOIN grid_cells tc ON tc.id = t.township_id
    LEFT JOIN staffing_rules s ON s.level = c.level
    WHERE ${cellIds}::int[] IS NULL OR t.path && ${cellIds}::int[]
    ORDER BY c.level, c.code`.execute(db)
  return rows
}

export interface ExistenceRow {
  cell_id: number
  first_day: string
  /** the last day the cell's state at the end of the day was this (unretired) version; null = still */
  last_day: string | null
}

/**
 * The days each cell existed, from its unretired versions: a cell exists on day D when its state at
 * the end of D (the start of D + 1, as cellsAtPointOn reads history) is an unretired version.
 */
export async function cellExistence(
  db: Executor,
  cellIds: number[],
  from: string,
  to: string,
): Promise<ExistenceRow[]> {
  if (cellIds.length === 0) return []
  const { rows } = await sql<ExistenceRow>`
    SELECT v.cell_id, to_char(v.valid_from::date, 'YYYY-MM-DD') AS first_day,
           CASE WHEN v.valid_to IS NULL THEN NULL ELSE to_char(v.valid_to::date - 1, 'YYYY-MM-DD') END AS last_day
    FROM cell_versions v
    WHERE v.cell_id = ANY(${cellIds}::int[]) AND NOT v.retired
      AND v.valid_from < (${to}::date + 1)::timestamptz
      AND (v.valid_to IS NULL OR v.valid_to >= (${from}::date + 1)::timestamptz)
    ORDER BY v.cell_id, v.valid_from`.execute(db)
  return rows
}

export interface DutyRow {
  id: number
  cell_id: number
  person_id: number
  person_name: string
  person_name_en: string | null
  role: Role
  starts_on: string
  ends_on: string | null
}

/** Duties of these cells overlapping [from, to]. */
export async function dutiesOverlapping(db: Executor, cellIds: number[], from: string, to: string): Promise<DutyRow[]> {
  if (cellIds.length === 0) return []
  const { rows } = await sql<DutyRow>`
    SELECT r.id, r.cell_id, r.person_id, p.name AS person_name, p.name_en AS person_name_en, r.role,
           r.starts_on, r.ends_on
    FROM responsibilities r JOIN people p ON p.id = r.person_id
    WHERE r.cell_id = ANY(${cellIds}::int[]) AND r.starts_on <= ${to}::date
      AND (r.ends_on IS NULL OR r.ends_on >= ${from}::date)
    ORDER BY r.cell_id, r.role, r.starts_on, r.id`.execute(db)
  return rows
}
