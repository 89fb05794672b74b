// The bulletin laid out as titled tables, in Chinese or English: the one layout both renderers draw
// (xlsx.ts: a sheet per section; pdf.ts: a table per section), so the two formats cannot disagree.
import { localDay } from '../../services/working-time.js'
import type { BulletinData, BulletinUnit, PeerGroup } from './data.js'

export type Lang = 'zh' | 'en'

/** How a column's values are shown: text, a whole number, or a number with that many decimals. */
export type ColumnKind = 'text' | 'int' | 'score' | 'area'

export interface Column {
  header: string
  kind: ColumnKind
  /** relative width (about characters of a Latin font) */
  width: number
}

export type Cell = string | number | null

export interface Section {
  /** stable key (tests, sheet order) */
  key: string
  title: string
  columns: Column[]
  rows: Cell[][]
  /** shown instead of an empty table */
  emptyNote: string
}

export interface BulletinLayout {
  title: string
  /** lines under the title: generated at, closed or provisional, no data */
  notes: string[]
  sections: Section[]
}

const LABELS = {
  zh: {
    title: (county: string, y: number, m: number) => `${county} ${y}年${m}月 环境网格化监管考核通报`.trim(),
    generated: (at: string) => `生成时间：${at}`,
    closed: '本月考核已关账，数据为最终结果。',
    provisional: '本月考核尚未关账，数据为当前计算结果，仅供参考。',
    noData: '本月无考核数据（未设置考核方案或无考核单位）。',
    county: '县',
    group: { township: '乡镇', department: '县直部门' } as Record<PeerGroup, string>,
    rankingTitle: (g: string) => `${g}排名`,
    rank: '排名',
    unit: '单位',
    score: '得分',
    previousRank: '上月排名',
    previousScore: '上月得分',
    change: '较上月变化',
    lists: '红黑榜',
    list: '榜单',
    red: '红榜',
    black: '黑榜',
    peerGroup: '组别',
    overdueLedgerUnits: '逾期台账（按单位）',
    overdueCount: '逾期条数',
    overdueLedgers: '逾期台账明细',
    measureCode: '措施编号',
    measure: '工作措施',
    due: '截止时间',
    state: '状态',
    ledgerState: { draft: '未提交', returned: '退回未重报' } as Record<string, string>,
    overdueFlags: '逾期问题（按乡镇）',
    township: '乡镇',
    overdueFlagCount: '逾期问题数',
    flagIds: '问题编号',
    coverage: '网格缺口与空岗天数（按乡镇）',
    gapCount: '缺口数',
    gapArea: '缺口面积（平方米）',
    vacantDays: '空岗天数',
    understaffedDays: '缺员天数',
    none: '无',
    page: (n: number) => `第 ${n} 页`,
  },
  en: {
    title: (county: string, y: number, m: number) =>
      `${county} grid supervision assessment bulletin, ${new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${y}`,
    generated: (at: string) => `Generated: ${at}`,
    closed: 'The month is closed: these are the final figures.',
    provisional: 'The month is not closed yet: provisional figures.',
    noData: 'No assessment figures for this month (no scheme or no units to assess).',
    county: 'County',
    group: { township: 'Townships', department: 'County departments' } as Record<PeerGroup, string>,
    rankingTitle: (g: string) => `Ranking: ${g.toLowerCase()}`,
    rank: 'Rank',
    unit: 'Unit',
    score: 'Score',
    previousRank: 'Previous rank',
    previousScore: 'Previous score',
    change: 'Change',
    lists: 'Red and black lists',
    list: 'List',
    red: 'Red list',
    black: 'Black list',
    peerGroup: 'Group',
    overdueLedgerUnits: 'Overdue ledger entries by unit',
    overdueCount: 'Overdue',
    overdueLedgers: 'Overdue ledger entries',
    measureCode: 'Measure code',
    measure: 'Measure',
    due: 'Due',
    state: 'State',
    ledgerState: { draft: 'not submitted', returned: 'returned, not resubmitted' } as Record<string, string>,
    overdueFlags: 'Overdue flags by township',
    township: 'Township',
    overdueFlagCount: 'Overdue flags',
    flagIds: 'Flags',
    coverage: 'Coverage gaps and vacancy-days by township',
    gapCount: 'Gaps',
    gapArea: 'Gap area (m²)',
    vacantDays: 'Vacancy-days',
    understaffedDays: 'Understaffed days',
    none: 'None',
    page: (n: number) => `Page ${n}`,
  },
}

export const pageLabel = (lang: Lang, n: number) => LABELS[lang].page(n)

/** "YYYY-MM-DD HH:mm" in the zone. */
export function localDateTime(iso: string, timeZone: string): string {
  const at = new Date(iso)
  const hm = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  return `${localDay(at, timeZone)} ${hm.format(at)}`
}

export function bulletinLayout(data: BulletinData, lang: Lang): BulletinLayout {
  const L = LABELS[lang]
  const name = (u: BulletinUnit) => (lang === 'en' ? (u.nameEn ?? u.name) : u.name)
  const county = lang === 'en' ? (data.countyNameEn ?? data.countyName) : data.countyName
  const [y, m] = data.month.split('-').map(Number) as [number, number]
  const notes = [L.generated(localDateTime(data.generatedAt, data.timeZone))]
  notes.push(data.assessed ? (data.closed ? L.closed : L.provisional) : L.noData)

  const ranking = (group: PeerGroup): Section => ({
    key: `ranking-${group}`,
    title: L.rankingTitle(L.group[group]),
    columns: [
      { header: L.rank, kind: 'int', width: 8 },
      { header: L.unit, kind: 'text', width: 24 },
      { header: L.score, kind: 'score', width: 10 },
      { header: L.change, kind: 'score', width: 12 },
      { header: L.previousRank, kind: 'int', width: 12 },
      { header: L.previousScore, kind: 'score', width: 12 },
    ],
    rows: data.ranking[group].map((r) => [r.rank, name(r.unit), r.score, r.change, r.previousRank, r.previousScore]),
    emptyNote: L.none,
  })

  const lists: Section = {
    key: 'lists',
    title: L.lists,
    columns: [
      { header: L.list, kind: 'text', width: 12 },
      { header: L.peerGroup, kind: 'text', width: 16 },
      { header: L.rank, kind: 'int', width: 8 },
      { header: L.unit, kind: 'text', width: 24 },
      { header: L.score, kind: 'score', width: 10 },
    ],
    rows: [
      ...data.redList.map((e) => [L.red, L.group[e.group], e.rank, name(e.unit), e.score]),
      ...data.blackList.map((e) => [L.black, L.group[e.group], e.rank, name(e.unit), e.score]),
    ],
    emptyNote: L.none,
  }

  const ledgerUnits: Section = {
    key: 'overdue-ledger-units',
    title: L.overdueLedgerUnits,
    columns: [
      { header: L.unit, kind: 'text', width: 24 },
      { header: L.peerGroup, kind: 'text', width: 16 },
      { header: L.overdueCount, kind: 'int', width: 12 },
    ],
    rows: data.overdueLedgers.map((u) => [name(u.unit), L.group[u.unit.kind], u.items.length]),
    emptyNote: L.none,
  }

  const ledgerItems: Section = {
    key: 'overdue-ledgers',
    title: L.overdueLedgers,
    columns: [
      { header: L.unit, kind: 'text', width: 18 },
      { header: L.measureCode, kind: 'text', width: 12 },
      { header: L.measure, kind: 'text', width: 34 },
      { header: L.due, kind: 'text', width: 17 },
      { header: L.state, kind: 'text', width: 14 },
    ],
    rows: data.overdueLedgers.flatMap((u) =>
      u.items.map((i) => [
        name(u.unit),
        i.measureCode,
        lang === 'en' ? (i.measureTitleEn ?? i.measureTitle) : i.measureTitle,
        localDateTime(i.dueAt, data.timeZone),
        L.ledgerState[i.state] ?? i.state,
      ]),
    ),
    emptyNote: L.none,
  }

  const flags: Section = {
    key: 'overdue-flags',
    title: L.overdueFlags,
    columns: [
      { header: L.township, kind: 'text', width: 18 },
      { header: L.overdueFlagCount, kind: 'int', width: 12 },
      { header: L.flagIds, kind: 'text', width: 50 },
    ],
    rows: data.overdueFlags.map((t) => [name(t.township), t.flags.length, flagList(t.flags, lang, data.timeZone)]),
    emptyNote: L.none,
  }

  const coverage: Section = {
    key: 'townships',
    title: L.coverage,
    columns: [
      { header: L.township, kind: 'text', width: 18 },
      { header: L.gapCount, kind: 'int', width: 10 },
      { header: L.gapArea, kind: 'area', width: 18 },
      { header: L.vacantDays, kind: 'int', width: 12 },
      { header: L.understaffedDays, kind: 'int', width: 14 },
    ],
    rows: data.townships.map((t) => [name(t.unit), t.gapCount, t.gapAreaM2, t.vacantDays, t.understaffedDays]),
    emptyNote: L.none,
  }

  return {
    title: L.title(county, y, m),
    notes,
    sections: [ranking('township'), ranking('department'), lists, ledgerUnits, ledgerItems, flags, coverage],
  }
}

/** The first flags of a township (the count column has them all), so a row stays shorter than a page. */
export const FLAG_LIST_MAX = 20
function flagList(flags: BulletinData['overdueFlags'][number]['flags'], lang: Lang, timeZone: string): string {
  const shown = flags
    .slice(0, FLAG_LIST_MAX)
    .map((f) => `#${f.id} ${lang === 'en' ? f.categoryEn : f.category} (${localDateTime(f.dueAt, timeZone)})`)
  const more = flags.length - shown.length
  if (more > 0) shown.push(lang === 'en' ? `and ${more} more` : `等另 ${more} 个`)
  return shown.join('; ')
}

/** A number as the document shows it (the PDF; the XLSX keeps numbers and sets a number format). */
export function formatCell(value: Cell, kind: ColumnKind): string {
  if (value === null) return '—'
  if (typeof value === 'string') return value
  if (kind === 'score') return value.toFixed(2)
  if (kind === 'area') return value.toFixed(1)
  return String(value)
}
