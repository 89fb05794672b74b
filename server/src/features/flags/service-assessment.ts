// The monthly assessment figures: which flags count for the month (repository), turned into figures
// per cell, township or person and a township ranking (assessment.ts, pure).
import type { Kysely } from 'kysely'
import type { AssessmentBy, Assessment } from '../../contract/flags.js'
import type { DB } from '../../db/schema.js'
import { monthRange } from '../../services/working-time.js'
import { groupFigures, figuresOf, rank, type AssessmentFact } from './assessment.js'
import * as repo from './repository-figures.js'

export type { AssessmentBy }

export const ASSESSMENT_DEFINITIONS = {
  month: 'calendar month in the service time zone',
  received: 'flags reported in the month',
  registered: 'flags registered in the month',
  due: 'flags dispatched whose completion deadline falls in the month',
  dueClosed: 'of the due flags, those closed now',
  dueClosedOnTime: 'of those, the ones whose verified feedback was given by the completion deadline',
  closureRate: 'dueClosed / due',
  onTimeClosureRate: 'dueClosedOnTime / due',
  closed: 'flags verified (closed) in the month',
  meanHoursToClose: 'mean wall-clock hours from dispatch to the first close in the month, over the closed flags',
  reopenRate: 'of the flags closed in the month, the share reopened after that close',
  cell: 'the cell the flag was dispatched to (after the fallback rule)',
  township: 'the level-2 cell whose territory holds the flag',
  person: 'each person the flag was dispatched to (responsible for the dispatched cell at dispatch)',
}

export async function assessment(
  db: Kysely<DB>,
  month: string,
  by: AssessmentBy,
  now: Date,
  timeZone: string,
): Promise<Assessment> {
  const { start, end } = monthRange(month, timeZone)
  const rows = await repo.assessmentRows(db, start, end)
  const fact = (r: repo.AssessmentFlagRow, key: string, code: string | null, name: string | null): AssessmentFact => ({
    flagId: r.id,
    key,
    code,
    name,
    received: r.received,
    registered: r.registered,
    due: r.due,
    closedNow: r.state === 'closed',
    closedOnTime:
      r.state === 'closed' &&
      r.completed_at !== null &&
      r.complete_due_at !== null &&
      r.completed_at <= r.complete_due_at,
    dispatchedAt: r.dispatched_at,
    firstCloseInMonth: r.first_close,
    reopenedAfterClose: r.reopened_after_close,
  })
  const township = (r: repo.AssessmentFlagRow) => fact(r, r.township_code ?? '-', r.township_code, r.township_name)
  let facts: AssessmentFact[]
  if (by === 'cell') {
    facts = rows.map((r) => fact(r, r.accountable_code ?? '-', r.accountable_code, r.accountable_name))
  } else if (by === 'township') {
    facts = rows.map(township)
  } else {
    const people = await repo.dispatchAssignees(
      db,
      rows.map((r) => r.id),
    )
    const byId = new Map(rows.map((r) => [r.id, r]))
    facts = people.map((p) => fact(byId.get(p.flag_id)!, String(p.person_id), String(p.person_id), p.name))
  }
  const townshipGroups = groupFigures(rows.filter((r) => r.township_code !== null).map(township))
  return {
    month,
    by,
    timeZone,
    computedAt: now.toISOString(),
    definitions: ASSESSMENT_DEFINITIONS,
    totals: figuresOf(rows.map((r) => fact(r, 'all', null, null))),
    rows: groupFigures(facts),
    townshipRanking: rank(townshipGroups),
  }
}
