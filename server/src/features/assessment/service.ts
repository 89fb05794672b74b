// The monthly assessment as the API gives it: live for an open month, from the frozen rows for a closed
// one; a unit's drill-down and its trend over a year; closing a month (its figures written once).
import type { Kysely, Transaction } from 'kysely'
import type {
  AssessedUnit,
  AssessmentRow,
  AssessmentTrend,
  DetailRow,
  MonthAssessment,
  PeerGroup,
  UnitAssessment,
} from '../../contract/assessment.js'
import type { Config } from '../../config.js'
import type { DB } from '../../db/schema.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { conflict, notFound } from '../../errors.js'
import { loadCalendar } from '../flags/service-calendar.js'
import { flagSettings } from '../flags/settings.js'
import { ledgerDueAt } from '../ledgers/deadline.js'
import { computeMonth, type AssessmentOptions, type ComputedMonth } from './compute.js'
import * as repo from './repository.js'
import { redBlackLists } from './scoring.js'

export type { AssessmentOptions }

/** The options every reading takes from the settings (H5's bulletin calls monthAssessment with them). */
export function assessmentSettings(config: Config): AssessmentOptions {
  return { timeZone: config.serviceTimeZone, sliverM2: config.sliverToleranceM2 }
}

/** A unit's figures for one month, whatever they were read from. */
interface UnitMonth {
  unit: AssessedUnit
  unitId: number
  group: PeerGroup
  score: number | null
  rank: number | null
  previousScore: number | null
  previousRank: number | null
  parts: (AssessmentRow['parts'][number] & { name: string; nameEn: string; details: DetailRow[] })[]
}
interface MonthFigures {
  month: string
  closedAt: Date | null
  redListSize: number
  blackListSize: number
  units: UnitMonth[]
}

const monthStartOf = (month: string) => `${month}-01`
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))
const unitRef = (u: { code: string; name: string; name_en: string | null }, kind: PeerGroup): AssessedUnit => ({
  code: u.code,
  name: u.name,
  nameEn: u.name_en,
  kind,
})

function previousMonth(month: string): string | null {
  const [y, m] = month.split('-').map(Number) as [number, number]
  // month-on-month stays within the scheme's year: January has none
  return m === 1 ? null : `${y}-${String(m - 1).padStart(2, '0')}`
}

async function frozenMonth(db: Kysely<DB>, month: string): Promise<MonthFigures | null> {
  const closed = await repo.findClosedMonth(db, monthStartOf(month))
  if (!closed) return null
  const [scores, parts] = await Promise.all([
    repo.frozenScores(db, monthStartOf(month)),
    repo.frozenParts(db, monthStartOf(month)),
  ])
  const partsOf = new Map<number, typeof parts>()
  for (const p of parts) partsOf.set(p.unit_id, [...(partsOf.get(p.unit_id) ?? []), p])
  return {
    month,
    closedAt: new Date(closed.closed_at),
    redListSize: closed.red_list_size,
    blackListSize: closed.black_list_size,
    units: scores.map((s) => ({
      unit: unitRef(s, s.peer_group),
      unitId: s.unit_id,
      group: s.peer_group,
      score: num(s.score),
      rank: num(s.rank),
      previousScore: num(s.previous_score),
      previousRank: num(s.previous_rank),
      parts: (partsOf.get(s.unit_id) ?? []).map((p) => ({
        indicator: p.indicator_code,
        kind: p.kind as UnitMonth['parts'][number]['kind'],
        name: p.name,
        nameEn: p.name_en,
        rawValue: num(p.raw_value),
        score: num(p.score),
        weight: Number(p.weight),
        details: p.details as DetailRow[],
      })),
    })),
  }
}

function fromComputed(c: ComputedMonth, previous: Map<number, { score: number | null; rank: number | null }>) {
  return {
    month: c.month,
    closedAt: null,
    redListSize: c.redListSize,
    blackListSize: c.blackListSize,
    units: c.units.map((u) => ({
      unit: unitRef(u.unit, u.group),
      unitId: u.unit.id,
      group: u.group,
      score: u.score,
      rank: u.rank,
      previousScore: previous.get(u.unit.id)?.score ?? null,
      previousRank: previous.get(u.unit.id)?.rank ?? null,
      parts: u.parts,
    })),
  } satisfies MonthFigures
}

/** Scores and ranks of the month before (frozen if it was closed, else computed now); none in January. */
async function previousScores(db: Kysely<DB>, month: string, o: AssessmentOptions) {
  const prev = previousMonth(month)
  const found = new Map<number, { score: number | null; rank: number | null }>()
  if (prev === null) return found
  const frozen = await frozenMonth(db, prev)
  if (frozen) for (const u of frozen.units) found.set(u.unitId, { score: u.score, rank: u.rank })
  else for (const u of (await computeMonth(db, prev, o)).units) found.set(u.unit.id, { score: u.score, rank: u.rank })
  return found
}

async function liveMonth(db: Kysely<DB>, month: string, o: AssessmentOptions): Promise<MonthFigures> {
  const [current, previous] = await Promise.all([computeMonth(db, month, o), previousScores(db, month, o)])
  return fromComputed(current, previous)
}

async function figuresOf(db: Kysely<DB>, month: string, o: AssessmentOptions): Promise<MonthFigures> {
  return (await frozenMonth(db, month)) ?? liveMonth(db, month, o)
}

const byRank = (a: UnitMonth, b: UnitMonth) =>
  (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || a.unit.code.localeCompare(b.unit.code)

function toBody(f: MonthFigures): MonthAssessment {
  const rowOf = (u: UnitMonth): AssessmentRow => ({
    unit: u.unit,
    score: u.score,
    rank: u.rank,
    previousScore: u.previousScore,
    previousRank: u.previousRank,
    change: u.score !== null && u.previousScore !== null ? Math.round((u.score - u.previousScore) * 100) / 100 : null,
    parts: u.parts.map((p) => ({
      indicator: p.indicator,
      kind: p.kind,
      rawValue: p.rawValue,
      score: p.score,
      weight: p.weight,
    })),
  })
  const listed = (u: UnitMonth) => ({ unit: u.unit, score: u.score!, rank: u.rank! })
  const body: MonthAssessment = {
    month: f.month,
    closed: f.closedAt !== null,
    closedAt: f.closedAt?.toISOString() ?? null,
    groups: { township: [], department: [] },
    redList: { township: [], department: [] },
    blackList: { township: [], department: [] },
  }
  for (const group of ['township', 'department'] as const) {
    const members = f.units.filter((u) => u.group === group).sort(byRank)
    body.groups[group] = members.map(rowOf)
    const lists = redBlackLists(members, f.redListSize, f.blackListSize)
    body.redList[group] = lists.red.map(listed)
    body.blackList[group] = lists.black.map(listed)
  }
  return body
}

/** GET /api/assessment/{month}: the body H5's bulletin and H6's dashboard read. */
export async function monthAssessment(db: Kysely<DB>, month: string, o: AssessmentOptions): Promise<MonthAssessment> {
  return toBody(await figuresOf(db, month, o))
}

/** GET /api/assessment/{month}/units/{code}: each part with the rows it was computed from. */
export async function unitAssessment(
  db: Kysely<DB>,
  month: string,
  code: string,
  o: AssessmentOptions,
): Promise<UnitAssessment> {
  const [unit] = await repo.findUnitsByCode(db, [code])
  if (!unit) throw notFound('unit', code)
  const f = await figuresOf(db, month, o)
  const u = f.units.find((x) => x.unitId === unit.id)
  return {
    month,
    closed: f.closedAt !== null,
    unit: u?.unit ?? unitRef(unit, unit.kind),
    score: u?.score ?? null,
    rank: u?.rank ?? null,
    parts: (u?.parts ?? []).map((p) => ({
      indicator: p.indicator,
      kind: p.kind,
      name: p.name,
      nameEn: p.nameEn,
      rawValue: p.rawValue,
      score: p.score,
      weight: p.weight,
      details: p.details,
    })),
  }
}

/** GET /api/assessment/trend: a unit's score and rank for each month of the year up to this month. */
export async function assessmentTrend(
  db: Kysely<DB>,
  year: number,
  code: string,
  thisMonth: string,
  o: AssessmentOptions,
): Promise<AssessmentTrend> {
  const [unit] = await repo.findUnitsByCode(db, [code])
  if (!unit) throw notFound('unit', code)
  const months: AssessmentTrend['months'] = []
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, '0')}`
    if (month > thisMonth) break
    const f = (await frozenMonth(db, month)) ?? fromComputed(await computeMonth(db, month, o), new Map())
    const u = f.units.find((x) => x.unitId === unit.id)
    months.push({
      month,
      closed: f.closedAt !== null,
      score: u?.score ?? null,
      rank: u?.rank ?? null,
      groupSize: f.units.filter((x) => x.group === unit.kind && x.rank !== null).length,
    })
  }
  return { unit: unitRef(unit, unit.kind), year, months }
}

/** Called inside the closing transaction once the frozen rows are written (the bulletin's snapshot). */
export type OnMonthClosed = (tx: Transaction<DB>, month: string, now: Date) => Promise<void>

/**
 * POST /api/assessment/{month}/close: computes the month and writes its frozen rows, an audit row and
 * whatever `onClosed` adds (the composition root's bulletin snapshot) in one transaction, so the frozen
 * figures are those of the data the transaction sees. Only after the month's ledger deadline (`dueAt`),
 * and only once.
 */
export async function closeMonth(
  db: Kysely<DB>,
  month: string,
  actor: Actor,
  now: Date,
  dueAt: Date,
  o: AssessmentOptions,
  onClosed?: OnMonthClosed,
): Promise<MonthAssessment> {
  if (await repo.findClosedMonth(db, monthStartOf(month)))
    throw conflict('month_closed', `the assessment of ${month} is already closed`, { month })
  if (now.getTime() <= dueAt.getTime())
    throw conflict(
      'ledger_deadline_not_passed',
      `the assessment of ${month} can be closed only after its ledger deadline ${dueAt.toISOString()}`,
      { month, dueAt: dueAt.toISOString() },
    )
  if (!(await repo.findScheme(db, Number(month.slice(0, 4)))))
    throw conflict('no_scheme', `there is no assessment scheme for ${month.slice(0, 4)}: set one before closing`, {
      year: Number(month.slice(0, 4)),
    })
  const closed = await db.transaction().execute(async (tx) => {
    // the gap areas of the current map may come from the database's cache (keyed on the data version)
    const f = await liveMonth(tx, month, { ...o, gapCacheOf: o.gapCacheOf ?? db })
    const written = await repo.insertClosedMonth(
      tx,
      monthStartOf(month),
      { at: now, by: actor.id, redListSize: f.redListSize, blackListSize: f.blackListSize },
      f.units.map((u) => ({
        unit_id: u.unitId,
        peer_group: u.group,
        score: u.score,
        rank: u.rank,
        previous_score: u.previousScore,
        previous_rank: u.previousRank,
        unit_name: u.unit.name,
        unit_name_en: u.unit.nameEn,
      })),
      f.units.flatMap((u) =>
        u.parts.map((p, position) => ({
          unit_id: u.unitId,
          indicator_code: p.indicator,
          kind: p.kind,
          name: p.name,
          name_en: p.nameEn,
          raw_value: p.rawValue,
          score: p.score,
          weight: p.weight,
          position,
          details: p.details,
        })),
      ),
    )
    if (!written) return false
    await insertAudit(tx, {
      actor,
      action: 'assessment.close',
      entityType: 'assessment_month',
      entityId: month,
      after: { month, units: f.units.length, scored: f.units.filter((u) => u.score !== null).length },
    })
    if (onClosed) await onClosed(tx, month, now)
    return true
  })
  if (!closed) throw conflict('month_closed', `the assessment of ${month} is already closed`, { month })
  return monthAssessment(db, month, o)
}

/** The ledger deadline of the month (after which it may be closed), on the working calendar. */
export async function ledgerDeadlineOf(db: Kysely<DB>, month: string, config: Config): Promise<Date> {
  return ledgerDueAt(month, config.ledgerDueWorkingDay, await loadCalendar(db, flagSettings(config)))
}
