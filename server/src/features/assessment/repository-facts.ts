// The rows a month's scores are computed from: ledger entries, flags, figures and letter targets,
// the cells of each township and their unallowed gaps (the coverage rules' own gap query).
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { gaps, scopeArea } from '../../db/repositories/coverage.repository.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface EntryFact {
  id: number
  unit_id: number
  measure_code: string
  measure_title: string
  due_at: Date
  submitted_at: Date | null
  state: string
  progress: string
  /** submitted (and not returned since) at or before its deadline */
  on_time: boolean
}

/** The ledger entries of the month, with "on time" decided in SQL. */
export async function monthEntries(db: Executor, monthStart: string): Promise<EntryFact[]> {
  const { rows } = await sql<EntryFact>`
    SELECT e.id, e.unit_id, m.code AS measure_code, m.title AS measure_title, e.due_at, e.submitted_at,
           e.state, e.progress,
           (e.state IN ('submitted', 'accepted') AND e.submitted_at IS NOT NULL
             AND e.submitted_at <= e.due_at) AS on_time
    FROM ledger_entries e JOIN measures m ON m.id = e.measure_id
    WHERE e.month = ${monthStart}::date
    ORDER BY e.unit_id, m.code, e.id`.execute(db)
  return rows
}

export interface FlagFact {
  id: number
  township_cell_id: number
  complete_due_at: Date
  completed_at: Date | null
}

/** Flags whose completion deadline falls in [start, end), by township. */
export function monthFlags(db: Executor, start: Date, end: Date): Promise<FlagFact[]> {
  return (
    db
      .selectFrom('flags')
      .select(['id', 'township_cell_id', 'complete_due_at', 'completed_at'])
      .where('township_cell_id', 'is not', null)
      // inspection findings are assessed as findings (inspection_findings), not as flags
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('inspection_findings as i').select('i.id').whereRef('i.flag_id', '=', 'flags.id'))),
      )
      .where('complete_due_at', '>=', start)
      .where('complete_due_at', '<', end)
      .orderBy('complete_due_at')
      .orderBy('id')
      .execute() as Promise<FlagFact[]>
  )
}

export function monthFigures(db: Executor, monthStart: string) {
  return db
    .selectFrom('environment_figures')
    .select(['unit_id', 'indicator_code', 'value', 'source'])
    .where('month', '=', monthStart)
    .execute()
}

export function letterTargets(db: Executor, year: number) {
  return db
    .selectFrom('responsibility_letters as l')
    .innerJoin('letter_targets as t', 't.letter_id', 'l.id')
    .select(['l.unit_id', 't.indicator_code', 't.target_value'])
    .where('l.year', '=', year)
    .execute()
}

export function indicatorDirections(db: Executor) {
  return db.selectFrom('indicators').select(['code', 'direction']).execute()
}

export interface GapArea {
  cellAreaM2: number
  gapAreaM2: number
  gaps: { id: string; areaM2: number; parentCode: string }[]
}

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * The township's unallowed gaps above the sliver tolerance, as the coverage report counts them
 * (services/coverage.service.ts: every level, allowed gaps left out, areas to 0.1 m²).
 */
export async function gapAreaOfCell(db: Executor, cellId: number, sliverM2: number): Promise<GapArea> {
  const scope = { kind: 'cell' as const, cellId }
  const [area, rows] = await Promise.all([scopeArea(db, scope), gaps(db, scope, sliverM2, 0)])
  const listed = rows
    .map((g, i) => ({ id: `${g.parent_code}-g${i + 1}`, areaM2: round1(g.area_m2), parentCode: g.parent_code, g }))
    .filter((x) => x.g.allowed_gap_id === null)
    .map(({ id, areaM2, parentCode }) => ({ id, areaM2, parentCode }))
  return {
    cellAreaM2: round1(area.area_m2),
    gapAreaM2: round1(listed.reduce((a, x) => a + x.areaM2, 0)),
    gaps: listed,
  }
}
