// SQL of the derived reminders and the digest: open flags and unsubmitted ledger entries whose deadline
// falls in a window, a person's cells, and the events of a day in a set of cells.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface DueRow {
  id: number
  limit: 'ack' | 'complete' | 'ledger'
  due_at: Date
  label: string
  cell_code: string | null
  measure_code: string | null
  measure_title: string | null
  month: string | null
}

/**
 * A flag's open deadline: acknowledgement while dispatched, completion while dispatched or in
 * progress (feedback given = completed on time or not).
 */
const FLAG_DEADLINES = sql`
  SELECT f.id, 'ack' AS "limit", f.ack_due_at AS due_at, f.category AS label,
         COALESCE(f.escalated_to_cell_id, f.accountable_cell_id) AS cell_id
  FROM flags f WHERE f.state = 'dispatched' AND f.ack_due_at IS NOT NULL
  UNION ALL
  SELECT f.id, 'complete', f.complete_due_at, f.category, COALESCE(f.escalated_to_cell_id, f.accountable_cell_id)
  FROM flags f WHERE f.state IN ('dispatched', 'in_progress') AND f.complete_due_at IS NOT NULL`

/** Open flags assigned to this person (dispatch or escalation) with a deadline in (from, to]. */
export async function flagsDueFor(db: Executor, personId: number, from: Date, to: Date): Promise<DueRow[]> {
  const { rows } = await sql<DueRow>`
    SELECT d.id, d."limit", d.due_at, d.label, c.code AS cell_code,
           NULL AS measure_code, NULL AS measure_title, NULL AS month
    FROM (${FLAG_DEADLINES}) d LEFT JOIN grid_cells c ON c.id = d.cell_id
    WHERE d.due_at > ${from} AND d.due_at <= ${to}
      AND d.id IN (SELECT flag_id FROM flag_assignees WHERE person_id = ${personId})
    ORDER BY d.due_at, d.id, d."limit"`.execute(db)
  return rows
}

const LEDGER_DUE = sql`
  SELECT e.id, 'ledger' AS "limit", e.due_at, m.code || ' · ' || u.name AS label, c.code AS cell_code,
         m.code AS measure_code, m.title AS measure_title, to_char(e.month, 'YYYY-MM') AS month, e.unit_id
  FROM ledger_entries e
  JOIN measures m ON m.id = e.measure_id
  JOIN units u ON u.id = e.unit_id
  LEFT JOIN grid_cells c ON c.id = u.cell_id
  WHERE e.state IN ('draft', 'returned')`

/** Unsubmitted (draft or returned) ledger entries of these units due in (from, to]. */
export async function entriesDueFor(db: Executor, unitIds: number[], from: Date, to: Date): Promise<DueRow[]> {
  if (unitIds.length === 0) return []
  const { rows } = await sql<DueRow>`
    SELECT id, "limit", due_at, label, cell_code, measure_code, measure_title, month FROM (${LEDGER_DUE}) d
    WHERE d.due_at > ${from} AND d.due_at <= ${to} AND d.unit_id = ANY(${unitIds}::int[])
    ORDER BY d.due_at, d.id`.execute(db)
  return rows
}

/** The cells a person is responsible for on a day (their own duties, not the cells below). */
export async function personCells(db: Executor, personId: number, day: string): Promise<number[]> {
  const { rows } = await sql<{ cell_id: number }>`
    SELECT DISTINCT r.cell_id FROM responsibilities r JOIN grid_cells c ON c.id = r.cell_id
    WHERE r.person_id = ${personId} AND r.starts_on <= ${day}::date AND (r.ends_on IS NULL OR r.ends_on >= ${day}::date)
      AND c.retired_at IS NULL
    ORDER BY 1`.execute(db)
  return rows.map((r) => r.cell_id)
}

/** Top-level (parentless, current) cells: an admin's digest covers them all. */
export async function topCells(db: Executor): Promise<number[]> {
  const rows = await db
    .selectFrom('grid_cells')
    .select('id')
    .where('parent_id', 'is', null)
    .where('retired_at', 'is', null)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.id)
}

/** Cell ids in scope: null = everywhere. */
const inCells = (column: string, cellIds: number[] | null) =>
  cellIds === null ? sql`true` : sql`${sql.ref(column)} = ANY(${cellIds}::int[])`

export interface DigestEventRow {
  kind: string
  subject_type: string
  subject_id: number
  event_key: string
  payload: Record<string, unknown> | string
  at: Date
  recipients: number
}

/**
 * Distinct events of [from, to) in the scope: a flag's by the cell it is with, a ledger entry's by its
 * (township) unit's cell. One row per event with the number of users it notified.
 */
export async function eventsBetween(
  db: Executor,
  from: Date,
  to: Date,
  cellIds: number[] | null,
): Promise<DigestEventRow[]> {
  const { rows } = await sql<DigestEventRow>`
    SELECT n.kind, n.subject_type, n.subject_id, n.event_key, min(n.payload::text) AS payload,
           min(n.created_at) AS at, count(*)::int AS recipients
    FROM notifications n
    LEFT JOIN flags f ON n.subject_type = 'flag' AND f.id = n.subject_id
    LEFT JOIN ledger_entries e ON n.subject_type = 'ledger_entry' AND e.id = n.subject_id
    LEFT JOIN units u ON u.id = e.unit_id
    WHERE n.kind IN ('flag_dispatched', 'flag_escalated', 'ledger_returned')
      AND n.created_at >= ${from} AND n.created_at < ${to}
      AND (${inCells('f.accountable_cell_id', cellIds)} OR ${inCells('f.escalated_to_cell_id', cellIds)}
           OR ${inCells('u.cell_id', cellIds)})
    GROUP BY n.kind, n.subject_type, n.subject_id, n.event_key
    ORDER BY min(n.created_at), n.subject_id, n.kind, n.event_key`.execute(db)
  return rows
}

/** Open flag deadlines and unsubmitted ledger entries due in [from, to) in the scope. */
export async function dueBetween(db: Executor, from: Date, to: Date, cellIds: number[] | null): Promise<DueRow[]> {
  const { rows } = await sql<DueRow & { kind: 'flag' | 'ledger_entry' }>`
    SELECT 'flag' AS kind, d.id, d."limit", d.due_at, d.label, c.code AS cell_code
    FROM (${FLAG_DEADLINES}) d LEFT JOIN grid_cells c ON c.id = d.cell_id
    WHERE d.due_at >= ${from} AND d.due_at < ${to} AND ${inCells('d.cell_id', cellIds)}
    UNION ALL
    SELECT 'ledger_entry', d.id, d."limit", d.due_at, d.label, d.cell_code
    FROM (${LEDGER_DUE}) d JOIN units u ON u.id = d.unit_id
    WHERE d.due_at >= ${from} AND d.due_at < ${to} AND ${inCells('u.cell_id', cellIds)}
    ORDER BY 4, 1, 2, 3`.execute(db)
  return rows
}
