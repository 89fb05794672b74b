// Reading flags for the figures and reports built on them: escalation candidates, the monthly
// assessment, and the coverage report's unowned flags.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB, FlagState, RoutingRule } from '../../db/schema.js'
import type { CoverageScope } from '../../db/repositories/coverage.repository.js'
import { intersects, type Geom } from '../../db/postgis.js'
import { flagInCells } from './repository-read.js'

type Executor = Kysely<DB> | Transaction<DB>

// ---------------------------------------------------------------- escalation

export interface EscalationCandidate {
  id: number
  limit: 'ack' | 'complete'
}

/** Flags past a limit they have not yet been escalated for, oldest deadline first. */
export async function escalationCandidates(db: Executor, now: Date): Promise<EscalationCandidate[]> {
  const { rows } = await sql<{ id: number; kind: 'ack' | 'complete' }>`
    SELECT id, 'ack'::text AS kind, ack_due_at AS due FROM flags
    WHERE state = 'dispatched' AND ack_due_at < ${now} AND ack_escalated_at IS NULL
    UNION ALL
    SELECT id, 'complete'::text, complete_due_at FROM flags
    WHERE state IN ('dispatched', 'in_progress') AND complete_due_at < ${now} AND complete_escalated_at IS NULL
    ORDER BY due, id, kind`.execute(db)
  return rows.map((r) => ({ id: r.id, limit: r.kind }))
}

// ---------------------------------------------------------------- assessment

export interface AssessmentFlagRow {
  id: number
  state: FlagState
  created_at: Date
  dispatched_at: Date | null
  complete_due_at: Date | null
  completed_at: Date | null
  received: boolean
  registered: boolean
  due: boolean
  first_close: Date | null
  reopened_after_close: boolean
  accountable_cell_id: number | null
  accountable_code: string | null
  accountable_name: string | null
  accountable_level: number | null
  township_cell_id: number | null
  township_code: string | null
  township_name: string | null
}

/**
 * Every flag that counts for the month [start, end): reported in it, registered in it, due in it
 * (completion deadline inside it) or closed (verified) in it, with what the figures need.
 */
export async function assessmentRows(db: Executor, start: Date, end: Date): Promise<AssessmentFlagRow[]> {
  const { rows } = await sql<AssessmentFlagRow>`
    WITH closes AS (
      SELECT flag_id, min(at) AS first_close FROM flag_events
      WHERE action = 'verify' AND at >= ${start} AND at < ${end} GROUP BY flag_id
    ),
    regs AS (
      SELECT DISTINCT flag_id FROM flag_events WHERE action = 'register' AND at >= ${start} AND at < ${end}
    ),
    marked AS (
      SELECT f.*, (f.created_at >= ${start} AND f.created_at < ${end}) AS received,
             (r.flag_id IS NOT NULL) AS registered,
             (f.dispatched_at IS NOT NULL AND f.complete_due_at >= ${start} AND f.complete_due_at < ${end}) AS due,
             cl.first_close
      FROM flags f LEFT JOIN closes cl ON cl.flag_id = f.id LEFT JOIN regs r ON r.flag_id = f.id
    )
    SELECT m.id, m.state, m.created_at, m.dispatched_at, m.complete_due_at, m.completed_at,
           m.received, m.registered, m.due, m.first_close,
           (m.first_close IS NOT NULL AND EXISTS (
             SELECT 1 FROM flag_events x WHERE x.flag_id = m.id AND x.action = 'reopen' AND x.at > m.first_close)) AS reopened_after_close,
           m.accountable_cell_id, ac.code AS accountable_code, ac.name AS accountable_name, ac.level AS accountable_level,
           m.township_cell_id, tc.code AS township_code, tc.name AS township_name
    FROM marked m
    LEFT JOIN grid_cells ac ON ac.id = m.accountable_cell_id
    LEFT JOIN grid_cells tc ON tc.id = m.township_cell_id
    WHERE m.received OR m.registered OR m.due OR m.first_close IS NOT NULL
    ORDER BY m.id`.execute(db)
  return rows
}

/** The people each flag was dispatched to (not escalation), for per-person figures. */
export async function dispatchAssignees(db: Executor, flagIds: number[]) {
  if (flagIds.length === 0) return []
  const { rows } = await sql<{ flag_id: number; person_id: number; name: string }>`
    SELECT DISTINCT a.flag_id, a.person_id, p.name
    FROM flag_assignees a JOIN people p ON p.id = a.person_id
    WHERE a.reason = 'dispatch' AND a.flag_id = ANY(${flagIds}::int[])
    ORDER BY a.flag_id, a.person_id`.execute(db)
  return rows
}

// ---------------------------------------------------------------- coverage

export interface UnownedFlagRow {
  id: number
  category: string
  state: FlagState
  routing_rule: RoutingRule | null
  missing_level: number | null
  gap_parent_code: string | null
  cell_code: string | null
  accountable_code: string | null
  point: [number, number]
  created_at: Date
}

/** Open flags marked unowned (in a gap or a vacant cell) whose point lies in the scope. */
/** `cellIds`: only flags those cells answer for (the same rule as the flag lists and tiles for a supervisor). */
export async function unownedFlagsIn(
  db: Executor,
  scope: CoverageScope,
  openStates: readonly string[],
  cellIds?: number[],
): Promise<UnownedFlagRow[]> {
  const area =
    scope.kind === 'region'
      ? sql<Geom>`(SELECT boundary FROM regions WHERE id = ${scope.regionId})`
      : sql<Geom>`(SELECT boundary FROM grid_cells WHERE id = ${scope.cellId})`
  const { rows } = await sql<UnownedFlagRow>`
    SELECT f.id, f.category, f.state, f.routing_rule, f.missing_level, gp.code AS gap_parent_code, c.code AS cell_code,
           ac.code AS accountable_code, ARRAY[ST_X(f.anchor), ST_Y(f.anchor)]::float8[] AS point, f.created_at
    FROM flags f
    LEFT JOIN grid_cells gp ON gp.id = f.gap_parent_cell_id
    LEFT JOIN grid_cells c ON c.id = f.cell_id
    LEFT JOIN grid_cells ac ON ac.id = f.accountable_cell_id
    WHERE f.unowned AND f.state = ANY(${[...openStates]}::text[]) AND ${intersects(area, sql.ref('f.anchor'))}
      AND ${cellIds ? flagInCells(cellIds) : sql`true`}
    ORDER BY f.created_at, f.id`.execute(db)
  return rows
}
