// A month's scores computed live from the rows they come from (an open month, or a month being closed):
// each unit's parts by the scheme's indicators, its weighted total and its rank in its peer group.
// The formulas are those of README.md "Assessment and ranking" (and scoring.ts).
import type { Kysely } from 'kysely'
import type { DetailRow, PeerGroup } from '../../contract/assessment.js'
import type { DB } from '../../db/schema.js'
import { dataVersion } from '../../services/data-version.js'
import { addDays } from '../../services/dates.js'
import { monthRange } from '../../services/working-time.js'
import { nextMonthStart } from '../ledgers/deadline.js'
import * as repo from './repository.js'
import * as facts from './repository-facts.js'
import { rate, ranks, shareLeft, targetScore, weightedTotal } from './scoring.js'
import { townshipShortfalls, type ShortfallSource, type TownshipShortfall } from './shortfalls.js'
import { townshipPatrolFigures, type PatrolCellFigures } from '../patrols/completion.js'
import { findingFacts, SEVERITY_WEIGHT, type FindingFact } from '../inspections/assessment.js'

export interface AssessmentOptions {
  timeZone: string
  sliverM2: number
  /** where vacant and understaffed cell-days come from (default: duty continuity) */
  shortfalls?: ShortfallSource
  /** the database whose gap cache serves a computation run inside one of its transactions (closing) */
  gapCacheOf?: Kysely<DB>
}

/**
 * Gap areas by township cell, per database, kept until the next write that changes the map (the data
 * version, as the tile and coverage caches do): the geometry is the current one for every month, and
 * the gap query costs about a second per township on the embedded database.
 */
const gapCaches = new WeakMap<
  Kysely<DB>,
  { version: number; sliverM2: number; areas: Map<number, Promise<facts.GapArea>> }
>()

/**
 * The gap area of a township's cell, from the cache of `cacheOf` (the database, also when `db` is one
 * of its transactions), else computed with `db`. H5's bulletin reads its gaps per township from here.
 */
export function cachedGapArea(
  db: Kysely<DB>,
  cellId: number,
  sliverM2: number,
  cacheOf: Kysely<DB> = db,
): Promise<facts.GapArea> {
  const version = dataVersion()
  let cache = gapCaches.get(cacheOf)
  if (!cache || cache.version !== version || cache.sliverM2 !== sliverM2) {
    cache = { version, sliverM2, areas: new Map() }
    gapCaches.set(cacheOf, cache)
  }
  const found = cache.areas.get(cellId)
  if (found) return found
  const areas = cache.areas
  const computed = facts.gapAreaOfCell(db, cellId, sliverM2)
  areas.set(cellId, computed)
  // a failed query is not remembered
  computed.catch(() => areas.delete(cellId))
  return computed
}

export interface ComputedPart {
  indicator: string
  kind: DB['assessment_indicators']['kind']
  name: string
  nameEn: string
  weight: number
  rawValue: number | null
  score: number | null
  details: DetailRow[]
}

export interface ComputedUnit {
  unit: repo.UnitRow
  group: PeerGroup
  score: number | null
  rank: number | null
  parts: ComputedPart[]
}

export interface ComputedMonth {
  month: string
  redListSize: number
  blackListSize: number
  units: ComputedUnit[]
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString())

function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>()
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r])
  return m
}

export async function computeMonth(db: Kysely<DB>, month: string, o: AssessmentOptions): Promise<ComputedMonth> {
  const year = Number(month.slice(0, 4))
  const monthStart = `${month}-01`
  const lastDay = addDays(nextMonthStart(month), -1)
  const daysInMonth = Number(lastDay.slice(8, 10))
  const [scheme, indicators, units] = await Promise.all([
    repo.findScheme(db, year),
    repo.schemeIndicators(db, year),
    repo.listUnits(db),
  ])
  const kinds = new Set(indicators.map((i) => i.kind))
  const has = (...k: string[]) => k.some((x) => kinds.has(x as never))
  const townships = units.filter((u) => u.kind === 'township').map((u) => u.cell_id!)
  const { start, end } = monthRange(month, o.timeZone)

  const [entries, flags, figures, targets, directions, shortfalls] = await Promise.all([
    has('ledger_timeliness', 'ledger_completion') ? facts.monthEntries(db, monthStart) : [],
    has('flag_closure', 'flag_on_time') ? facts.monthFlags(db, start, end) : [],
    has('environment') ? facts.monthFigures(db, monthStart) : [],
    has('environment') ? facts.letterTargets(db, year) : [],
    has('environment') ? facts.indicatorDirections(db) : [],
    has('vacancy_days', 'understaffed_days')
      ? (o.shortfalls ?? townshipShortfalls)(db, monthStart, lastDay, townships)
      : new Map<number, TownshipShortfall>(),
  ])
  const findings = has('inspection_findings')
    ? groupBy(await findingFacts(db, start, end), (f) => f.unit_id)
    : new Map<number | null, FindingFact[]>()
  const patrols = has('patrol_completion')
    ? await townshipPatrolFigures(db, townships, month, o.timeZone)
    : new Map<number, PatrolCellFigures[]>()
  const gapArea = (cellId: number) => cachedGapArea(db, cellId, o.sliverM2, o.gapCacheOf)
  const entriesOf = groupBy(entries, (e) => e.unit_id)
  const flagsOf = groupBy(flags, (f) => f.township_cell_id)
  const directionOf = new Map(directions.map((d) => [d.code, d.direction]))
  const figureOf = new Map(figures.map((f) => [`${f.unit_id}|${f.indicator_code}`, f]))
  const targetOf = new Map(targets.map((t) => [`${t.unit_id}|${t.indicator_code}`, Number(t.target_value)]))

  const entryRow = (e: facts.EntryFact, counted: boolean): DetailRow => ({
    row: 'ledger_entry',
    entryId: e.id,
    measure: e.measure_code,
    measureTitle: e.measure_title,
    dueAt: iso(e.due_at)!,
    submittedAt: iso(e.submitted_at),
    state: e.state,
    progress: e.progress,
    onTime: e.on_time,
    counted,
  })
  const flagRow = (f: facts.FlagFact, counted: boolean): DetailRow => ({
    row: 'flag',
    flagId: f.id,
    completeDueAt: iso(f.complete_due_at)!,
    completedAt: iso(f.completed_at),
    counted,
  })

  async function part(unit: repo.UnitRow, ind: (typeof indicators)[number]): Promise<ComputedPart> {
    const base = {
      indicator: ind.code,
      kind: ind.kind,
      name: ind.name,
      nameEn: ind.name_en,
      weight: Number(ind.weight),
    }
    const none = { ...base, rawValue: null, score: null, details: [] as DetailRow[] }
    const scored = (r: { raw: number; score: number } | null, details: DetailRow[]) =>
      r === null ? { ...none, details } : { ...base, rawValue: r.raw, score: r.score, details }
    const township = unit.kind === 'township' ? unit.cell_id! : null
    switch (ind.kind) {
      case 'ledger_timeliness': {
        const list = entriesOf.get(unit.id) ?? []
        const rows = list.map((e) => entryRow(e, e.on_time))
        return scored(rate(list.filter((e) => e.on_time).length, list.length), rows)
      }
      case 'ledger_completion': {
        const done = (e: facts.EntryFact) =>
          e.state === 'accepted' && (e.progress === 'done' || e.progress === 'on_track')
        const list = entriesOf.get(unit.id) ?? []
        return scored(
          rate(list.filter(done).length, list.length),
          list.map((e) => entryRow(e, done(e))),
        )
      }
      case 'flag_closure':
      case 'flag_on_time': {
        if (township === null) return none
        const list = flagsOf.get(township) ?? []
        const counts = (f: facts.FlagFact) =>
          ind.kind === 'flag_closure'
            ? f.completed_at !== null
            : f.completed_at !== null && new Date(f.completed_at) <= new Date(f.complete_due_at)
        return scored(
          rate(list.filter(counts).length, list.length),
          list.map((f) => flagRow(f, counts(f))),
        )
      }
      case 'gap_area': {
        if (township === null) return none
        const g = await gapArea(township)
        const details: DetailRow[] = [
          // the map as it is when computed (no geometry history): frozen when the month is closed
          { row: 'area', cellAreaM2: g.cellAreaM2, gapAreaM2: g.gapAreaM2 },
          ...g.gaps.map((x) => ({ row: 'gap' as const, ...x })),
        ]
        return { ...base, rawValue: g.gapAreaM2, score: shareLeft(g.gapAreaM2, g.cellAreaM2), details }
      }
      case 'vacancy_days':
      case 'understaffed_days': {
        if (township === null) return none
        const kind = ind.kind === 'vacancy_days' ? 'vacant' : 'understaffed'
        const s = shortfalls.get(township)
        const raw = (kind === 'vacant' ? s?.vacantDays : s?.understaffedDays) ?? 0
        // the township's cells (itself and below) that existed in the month
        const cells = s?.cells ?? 0
        const details: DetailRow[] = [
          { row: 'cell_days', cells, daysInMonth },
          ...(s?.periods ?? [])
            .filter((p) => p.kind === kind)
            .map((p) => ({
              row: 'shortfall' as const,
              cellCode: p.cellCode,
              from: p.from,
              to: p.to,
              kind: p.kind,
              missingChiefs: p.missing.chiefs,
              missingMembers: p.missing.members,
              days: clippedDays(p.from, p.to, monthStart, lastDay),
            })),
        ]
        return { ...base, rawValue: raw, score: shareLeft(raw, cells * daysInMonth), details }
      }
      case 'patrol_completion': {
        if (township === null) return none
        const cells = patrols.get(township) ?? []
        const details: DetailRow[] = cells.map((c) => ({
          row: 'patrol_cell' as const,
          cellCode: c.code,
          objects: c.objects,
          requiredVisits: c.required,
          visitsMade: c.made,
        }))
        const sum = (k: 'made' | 'required') => cells.reduce((n, c) => n + c[k], 0)
        return scored(rate(sum('made'), sum('required')), details)
      }
      case 'environment': {
        const code = ind.indicator_code!
        const figure = figureOf.get(`${unit.id}|${code}`)
        const target = targetOf.get(`${unit.id}|${code}`)
        const direction = directionOf.get(code) ?? 'lower_is_better'
        const row: DetailRow = {
          row: 'figure',
          indicator: code,
          value: figure ? Number(figure.value) : null,
          target: target ?? null,
          direction,
          source: figure?.source ?? '',
        }
        if (!figure || target === undefined) return { ...none, details: [row] }
        const raw = Number(figure.value)
        return { ...base, rawValue: raw, score: targetScore(raw, target, direction), details: [row] }
      }
      case 'inspection_findings': {
        // findings routed to the unit whose rectification fell due in the month, each weighted by its
        // severity: the weighted share rectified (and verified) by the deadline
        const list = findings.get(unit.id) ?? []
        const counted = (f: FindingFact) => f.completed_at !== null && f.completed_at <= f.complete_due_at
        const sum = (l: FindingFact[]) => l.reduce((n, f) => n + SEVERITY_WEIGHT[f.severity], 0)
        return scored(
          rate(sum(list.filter(counted)), sum(list)),
          list.map((f) => ({
            row: 'finding' as const,
            findingId: f.id,
            flagId: f.flag_id,
            campaign: f.campaign_code,
            severity: f.severity,
            weight: SEVERITY_WEIGHT[f.severity],
            completeDueAt: iso(f.complete_due_at)!,
            completedAt: iso(f.completed_at),
            counted: counted(f),
          })),
        )
      }
    }
  }

  const computed: ComputedUnit[] = []
  for (const unit of units) {
    const applies = indicators.filter((i) => i.applies_to === 'all' || i.applies_to === unit.kind)
    const parts = await Promise.all(applies.map((i) => part(unit, i)))
    computed.push({ unit, group: unit.kind, score: weightedTotal(parts), rank: null, parts })
  }
  for (const group of ['township', 'department'] as const) {
    const members = computed.filter((c) => c.group === group)
    ranks(members.map((m) => m.score)).forEach((r, i) => (members[i]!.rank = r))
  }
  return {
    month,
    redListSize: scheme?.red_list_size ?? 0,
    blackListSize: scheme?.black_list_size ?? 0,
    units: computed,
  }
}

/** Days of [from, to] inside [first, last] (all YYYY-MM-DD, inclusive). */
function clippedDays(from: string, to: string, first: string, last: string): number {
  const a = from > first ? from : first
  const b = to < last ? to : last
  if (b < a) return 0
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000) + 1
}
