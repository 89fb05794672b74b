// The continuity routes' answers: a cell's duty timeline, shortfall periods in a scope, vacancy-days
// per township for a month, and duties about to end with nobody to take over.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { DutiesEnding, DutyTimeline, EndingDuty, Shortfalls, VacancyDays } from '../../contract/continuity.js'
import { findCell } from '../../db/repositories/cells.repository.js'
import { addDays } from '../../services/dates.js'
import { badRequest, notFound } from '../../errors.js'
import { continuityCells, dutiesOverlapping } from './repository.js'
import { daysBetween, judgeStaffing } from './periods.js'
import { shortfallDaysByTownship, shortfallsOfCells } from './service.js'

/** The longest range a request may ask about: three years (1096 days, one of them a leap day). */
export const MAX_RANGE_DAYS = 3 * 365 + 1

/**
 * from/to of a request: `to` defaults to today, `from` to the first of January of `to`'s year (the
 * year so far). A reversed or over-long range is refused, naming the parameters.
 */
export function parseRange(q: { from?: string; to?: string }, today: string): { from: string; to: string } {
  const to = q.to ?? (q.from && q.from > today ? q.from : today)
  const from = q.from ?? `${to.slice(0, 4)}-01-01`
  if (from > to) throw badRequest('invalid_range', `"from" (${from}) is after "to" (${to})`, { from, to })
  const days = daysBetween(from, to)
  if (days > MAX_RANGE_DAYS)
    throw badRequest(
      'range_too_long',
      `the range ${from}..${to} is ${days} days; ask about at most ${MAX_RANGE_DAYS} days (three years)`,
      { from, to, days, maxDays: MAX_RANGE_DAYS },
    )
  return { from, to }
}

async function cellByCode(db: Kysely<DB>, code: string, what = 'cell') {
  const cell = await findCell(db, { code })
  if (!cell) throw notFound(what, code)
  return cell
}

export async function dutyTimeline(
  db: Kysely<DB>,
  code: string,
  q: { from?: string; to?: string },
  today: string,
): Promise<DutyTimeline> {
  const cell = await cellByCode(db, code)
  const range = parseRange(q, today)
  const mine = (await shortfallsOfCells(db, { ...range, cellIds: [cell.id] })).find((c) => c.cell.id === cell.id)!
  return {
    cell: { code: cell.code, name: cell.name, nameEn: cell.name_en, level: cell.level },
    ...range,
    rule: { chiefs: mine.cell.chiefs_required, members: mine.cell.members_required },
    duties: mine.duties.map((d) => ({
      responsibilityId: d.id,
      person: { id: d.person_id, name: d.person_name, nameEn: d.person_name_en },
      role: d.role,
      from: d.starts_on,
      to: d.ends_on,
    })),
    shortfalls: mine.periods,
  }
}

export async function shortfalls(
  db: Kysely<DB>,
  q: { scope?: string; from?: string; to?: string },
  today: string,
): Promise<Shortfalls> {
  const scope = q.scope === undefined ? null : await cellByCode(db, q.scope, 'scope cell')
  const range = parseRange(q, today)
  const cells = await shortfallsOfCells(db, { ...range, cellIds: scope ? [scope.id] : null })
  const periods = cells
    .flatMap((c) => c.periods)
    .sort((a, b) => a.cellCode.localeCompare(b.cellCode) || a.from.localeCompare(b.from))
  const sum = (kind: string) => periods.filter((p) => p.kind === kind).reduce((n, p) => n + p.days, 0)
  return {
    scope: scope?.code ?? null,
    ...range,
    periods,
    totals: {
      vacantDays: sum('vacant'),
      understaffedDays: sum('understaffed'),
      cells: new Set(periods.map((p) => p.cellId)).size,
    },
  }
}

/** The last day of a YYYY-MM month. */
export function monthEnd(month: string): string {
  const d = new Date(`${month}-01T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + 1, 0)
  return d.toISOString().slice(0, 10)
}

export async function vacancyDays(
  db: Kysely<DB>,
  q: { month?: string; scope?: string },
  today: string,
): Promise<VacancyDays> {
  const month = q.month ?? today.slice(0, 7)
  if (month > today.slice(0, 7))
    throw badRequest('month_in_future', `month ${month} has not begun (today is ${today})`, { month })
  const from = `${month}-01`
  const last = monthEnd(month)
  const to = last < today ? last : today
  let townshipCellIds: number[] | undefined
  if (q.scope !== undefined) {
    const scope = await cellByCode(db, q.scope, 'scope cell')
    if (scope.level > 2)
      throw badRequest(
        'invalid_scope',
        `scope ${scope.code} is below the townships (level ${scope.level}); give a township or the county`,
        {
          scope: scope.code,
        },
      )
    townshipCellIds =
      scope.level === 2
        ? [scope.id]
        : (await continuityCells(db, [scope.id])).filter((c) => c.level === 2).map((c) => c.id)
  }
  const byTownship = await shortfallDaysByTownship(db, { from, to, townshipCellIds })
  const townships = [...byTownship.values()]
    .filter((t) => t.cells > 0 || q.scope !== undefined)
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((t) => ({
      township: { code: t.code, name: t.name, nameEn: t.nameEn },
      cells: t.cells,
      vacantDays: t.vacantDays,
      understaffedDays: t.understaffedDays,
    }))
  return { month, from, to, townships }
}

/**
 * Duties on today that end within `within` days and whose end leaves the cell short the next day (with
 * every duty known today, successors included): the cell is vacant or understaffed the day after, and
 * would not have been as short with this duty still running.
 */
export async function dutiesEnding(
  db: Kysely<DB>,
  q: { within: number; scope?: string },
  today: string,
): Promise<DutiesEnding> {
  const scope = q.scope === undefined ? null : await cellByCode(db, q.scope, 'scope cell')
  const last = addDays(today, q.within)
  const cells = (await continuityCells(db, scope ? [scope.id] : null)).filter((c) => !c.retired)
  const duties = await dutiesOverlapping(
    db,
    cells.map((c) => c.id),
    today,
    addDays(last, 1),
  )
  const cellOf = new Map(cells.map((c) => [c.id, c]))
  const out: EndingDuty[] = []
  for (const d of duties) {
    if (d.ends_on === null || d.starts_on > today || d.ends_on > last) continue
    const cell = cellOf.get(d.cell_id)!
    const next = addDays(d.ends_on, 1)
    const rule = { chiefsRequired: cell.chiefs_required, membersRequired: cell.members_required }
    const onNext = duties
      .filter((o) => o.cell_id === d.cell_id && o.starts_on <= next && (o.ends_on === null || o.ends_on >= next))
      .map((o) => o.role)
    const without = judgeStaffing(rule, onNext)
    const withIt = judgeStaffing(rule, [...onNext, d.role])
    const same =
      without.kind === withIt.kind &&
      without.chiefs === withIt.chiefs &&
      without.members === withIt.members &&
      without.extraChiefs === withIt.extraChiefs
    if (without.kind === 'staffed' || same) continue
    out.push({
      responsibilityId: d.id,
      cell: { code: cell.code, name: cell.name, nameEn: cell.name_en, level: cell.level },
      townshipCode: cell.township_code,
      person: { id: d.person_id, name: d.person_name, nameEn: d.person_name_en },
      role: d.role,
      endsOn: d.ends_on,
      daysLeft: daysBetween(today, d.ends_on) - 1,
      after: { kind: without.kind, missing: { chiefs: without.chiefs, members: without.members } },
    })
  }
  out.sort((a, b) => a.endsOn.localeCompare(b.endsOn) || a.cell.code.localeCompare(b.cell.code))
  return { today, within: q.within, duties: out }
}
