// The flag list as CSV: one row per flag, UTF-8 with a byte-order mark so spreadsheet programs read
// Chinese text correctly, fields quoted where needed and formulas defused (CSV injection).
import type { FlagApi } from './flags-query.service.js'

const CSV_COLUMNS = [
  'id',
  'category',
  'state',
  'description',
  'lon',
  'lat',
  'cellCode',
  'accountableCellCode',
  'townshipCode',
  'unowned',
  'routingRule',
  'missingLevel',
  'gapParentCode',
  'reportedBy',
  'createdAt',
  'dispatchedAt',
  'acknowledgedAt',
  'feedbackAt',
  'closedAt',
  'ackDueAt',
  'completeDueAt',
  'overdue',
  'escalationLevel',
  'escalatedToCode',
] as const

/** One CSV field: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  let s = value instanceof Date ? value.toISOString() : String(value)
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function flagsCsv(flags: FlagApi[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const f of flags) {
    const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      id: f.id,
      category: f.category,
      state: f.state,
      description: f.description,
      lon: f.point[0],
      lat: f.point[1],
      cellCode: f.routing.cellCode,
      accountableCellCode: f.routing.accountableCellCode,
      townshipCode: f.routing.townshipCode,
      unowned: f.unowned,
      routingRule: f.routing.rule,
      missingLevel: f.routing.missingLevel,
      gapParentCode: f.routing.gapParentCode,
      reportedBy: f.reportedBy?.login ?? null,
      createdAt: f.createdAt,
      dispatchedAt: f.dispatchedAt,
      acknowledgedAt: f.acknowledgedAt,
      feedbackAt: f.feedbackAt,
      closedAt: f.closedAt,
      ackDueAt: f.ackDueAt,
      completeDueAt: f.completeDueAt,
      overdue: f.overdue.any,
      escalationLevel: f.escalationLevel,
      escalatedToCode: f.escalatedTo?.code ?? null,
    }
    lines.push(CSV_COLUMNS.map((c) => csvField(values[c])).join(','))
  }
  // a byte-order mark so spreadsheet programs read the Chinese text as UTF-8
  return `\ufeff${lines.join('\r\n')}\r\n`
}
