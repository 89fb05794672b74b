// The monthly bulletin (通报) as one data object: everything the XLSX and the PDF show, gathered once
// from the assessment (H4's monthAssessment: ranking, red and black lists, month-on-month change), the
// ledgers (overdue entries of the month), the flags (flags of the month not completed by their deadline),
// coverage (unallowed gaps under each township's cell) and duty continuity (vacancy-days). The renderers
// (sections.ts → xlsx.ts, pdf.ts) only lay it out, so both formats always show the same figures.

export type PeerGroup = 'township' | 'department'

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

/** "YYYY-MM" with a real month (01–12). */
export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/
