// The monthly bulletin (通报) as one data object: everything the XLSX and the PDF show, gathered once
// from the assessment (H4's monthAssessment: ranking, red and black lists, month-on-month change), the
// ledgers (overdue entries of the month), the flags (flags of the month not completed by their deadline),
// coverage (unallowed gaps under each township's cell) and duty continuity (vacancy-days). The renderers
// (sections.ts → xlsx.ts, pdf.ts) only lay it out, so both formats always show the same figures.
import type { Kysely } from 'kysely'
import type { AssessmentRow, MonthAssessment, PeerGroup } from '../../contract/assessment.js'
import type { DB } from '../../db/schema.js'
import { addDays } from '../../services/dates.js'
import { monthRange } from '../../services/working-time.js'
import { cachedGapArea } from '../assessment/compute.js'
import { monthAssessment } from '../assessment/service.js'
import { shortfallDaysByTownship } from '../continuity/service.js'
import { nextMonthStart } from '../ledgers/deadline.js'
import * as repo from './repository.js'

export type { PeerGroup }

export interface BulletinUnit {
  code: string
  name: string
  nameEn: string | null
  kind: PeerGroup
}

export interface BulletinRankingRow {
  unit: BulletinUnit
  /** null: no applicable indicator, not ranked */
  rank: number | null
  score: number | null
  previousRank: number | null
  previousScore: number | null
  /** score − previous score; null without both */
  change: number | null
}

export interface BulletinListEntry {
  group: PeerGroup
  rank: number | null
  unit: BulletinUnit
  score: number | null
}

export interface BulletinOverdueLedger {
  measureCode: string
  measureTitle: string
  measureTitleEn: string | null
  /** ISO instant */
  dueAt: string
  state: 'draft' | 'returned'
}

export interface BulletinOverdueFlag {
  id: number
  category: string
  categoryEn: string
  /** the completion deadline, ISO instant */
  dueAt: string
  state: string
}

export interface BulletinTownship {
  unit: BulletinUnit
  /** unallowed gaps (above the sliver tolerance) under the township's cell */
  gapCount: number
  gapAreaM2: number
  /** Σ over the township's cells of vacant (understaffed) days in the month */
  vacantDays: number
  understaffedDays: number
}

export interface BulletinData {
  /** 'YYYY-MM' */
  month: string
  countyName: string
  countyNameEn: string | null
  /** ISO instant */
  generatedAt: string
  /** the service time zone: the dates in the document are shown in it */
  timeZone: string
  /** false when the month has no assessment figures (no scheme, no units): the document says so */
  assessed: boolean
  closed: boolean
  ranking: Record<PeerGroup, BulletinRankingRow[]>
  redList: BulletinListEntry[]
  blackList: BulletinListEntry[]
  /** per unit with overdue entries of the month, most first */
  overdueLedgers: { unit: BulletinUnit; items: BulletinOverdueLedger[] }[]
  /** per township with flags of the month not completed by their deadline, most first */
  overdueFlags: { township: BulletinUnit; flags: BulletinOverdueFlag[] }[]
  townships: BulletinTownship[]
}

// ---------------------------------------------------------------- assembly

export interface BulletinOptions {
  now: Date
  timeZone: string
  /** gaps at or below this area are slivers, not gaps (SLIVER_TOLERANCE_M2, as the coverage report) */
  sliverM2: number
  /** the database whose gap cache serves a reading inside one of its transactions (closing) */
  gapCacheOf?: Kysely<DB>
}

/** The ranking and the lists, from the body of GET /api/assessment/{month}. */
export function fromAssessment(
  a: MonthAssessment,
): Pick<BulletinData, 'assessed' | 'closed' | 'ranking' | 'redList' | 'blackList'> {
  const groups: PeerGroup[] = ['township', 'department']
  const listed = (lists: MonthAssessment['redList']) =>
    groups.flatMap((group) => lists[group].map((e) => ({ group, rank: e.rank, unit: e.unit, score: e.score })))
  return {
    assessed: groups.some((g) => a.groups[g].some((r) => r.score !== null)),
    closed: a.closed,
    ranking: {
      township: a.groups.township.map(rankingRow),
      department: a.groups.department.map(rankingRow),
    },
    redList: listed(a.redList),
    blackList: listed(a.blackList),
  }
}

const rankingRow = (r: AssessmentRow): BulletinRankingRow => ({
  unit: r.unit,
  rank: r.rank,
  score: r.score,
  previousRank: r.previousRank,
  previousScore: r.previousScore,
  change: r.change,
})

/** Everything the bulletin of `month` ('YYYY-MM') shows, as of `o.now`. */
export async function bulletinData(db: Kysely<DB>, month: string, o: BulletinOptions): Promise<BulletinData> {
  const { start, end } = monthRange(month, o.timeZone)
  const lastDay = addDays(nextMonthStart(month), -1)
  const [countyRow, assessment, townships, ledgerRows, flagRows] = await Promise.all([
    repo.county(db),
    monthAssessment(db, month, { timeZone: o.timeZone, sliverM2: o.sliverM2 }),
    repo.townshipUnits(db),
    repo.overdueLedgers(db, `${month}-01`, o.now),
    repo.lateFlags(db, start, end, o.now),
  ])
  const shortfalls = await shortfallDaysByTownship(db, {
    from: `${month}-01`,
    to: lastDay,
    townshipCellIds: townships.map((t) => t.cell_id),
  })

  const townshipRows: BulletinTownship[] = []
  for (const t of townships) {
    // the unallowed gaps under the township's cell, as the coverage report counts them; the same cached
    // figures the assessment's gap-area part reads (kept until the map changes)
    const gaps = await cachedGapArea(db, t.cell_id, o.sliverM2, o.gapCacheOf)
    const days = shortfalls.get(t.cell_id)
    townshipRows.push({
      unit: { code: t.code, name: t.name, nameEn: t.name_en, kind: 'township' },
      gapCount: gaps.gaps.length,
      gapAreaM2: gaps.gapAreaM2,
      vacantDays: days?.vacantDays ?? 0,
      understaffedDays: days?.understaffedDays ?? 0,
    })
  }

  const overdueLedgers = new Map<string, BulletinData['overdueLedgers'][number]>()
  for (const r of ledgerRows) {
    const unit = { code: r.unit_code, name: r.unit_name, nameEn: r.unit_name_en, kind: r.unit_kind }
    const group = overdueLedgers.get(r.unit_code) ?? { unit, items: [] }
    group.items.push({
      measureCode: r.measure_code,
      measureTitle: r.measure_title,
      measureTitleEn: r.measure_title_en,
      dueAt: r.due_at.toISOString(),
      state: r.state,
    })
    overdueLedgers.set(r.unit_code, group)
  }
  const overdueFlags = new Map<string, BulletinData['overdueFlags'][number]>()
  for (const r of flagRows) {
    const township = {
      code: r.township_code,
      name: r.township_name,
      nameEn: r.township_name_en,
      kind: 'township' as const,
    }
    const group = overdueFlags.get(r.township_code) ?? { township, flags: [] }
    group.flags.push({
      id: r.id,
      category: r.category_zh,
      categoryEn: r.category_en,
      dueAt: r.complete_due_at.toISOString(),
      state: r.state,
    })
    overdueFlags.set(r.township_code, group)
  }
  // most overdue first; ties keep the county's order (stable sort)
  const byCount = <T>(items: T[], n: (t: T) => number) => [...items].sort((a, b) => n(b) - n(a))

  return {
    month,
    countyName: countyRow?.name ?? '',
    countyNameEn: countyRow?.nameEn ?? null,
    generatedAt: o.now.toISOString(),
    timeZone: o.timeZone,
    ...fromAssessment(assessment),
    overdueLedgers: byCount([...overdueLedgers.values()], (g) => g.items.length),
    overdueFlags: byCount([...overdueFlags.values()], (g) => g.flags.length),
    townships: townshipRows,
  }
}
