// The flag list as CSV, streamed through csv-stringify: one row per flag, UTF-8 with a byte-order mark
// so spreadsheet programs read Chinese text correctly, fields quoted where needed (RFC 4180, CRLF) and
// formulas defused (CSV injection).
import { pipeline, Readable } from 'node:stream'
import { stringify, type Options } from 'csv-stringify'
import { stringify as stringifySync } from 'csv-stringify/sync'
import type { FlagApi } from './service-read.js'

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

/** A leading = + - @ (or tab, CR) in text is defused with a quote so spreadsheets do not run it. */
const defuse = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text)

const FIELDS: Options = {
  delimiter: ',',
  quote: '"',
  escape: '"',
  record_delimiter: '\r\n',
  // a CR or LF alone in a field is quoted too (csv-stringify quotes only the record delimiter once it is set)
  quote_record_delimiter: true,
  // our own defusing (text only, never a negative number), the same as before csv-stringify
  escape_formulas: false,
  cast: {
    string: defuse,
    boolean: (value) => String(value),
    number: (value) => String(value),
    bigint: (value) => String(value),
    date: (value) => value.toISOString(),
  },
}

/** One CSV field as it appears in the export: quoted when needed, formulas defused. */
export function csvField(value: unknown): string {
  return stringifySync([[value]], { ...FIELDS, eof: false })
}

function record(f: FlagApi): unknown[] {
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
  return CSV_COLUMNS.map((c) => values[c])
}

/** The flags as a CSV stream: a byte-order mark, the header, one CRLF-ended row per flag as it arrives. */
export function flagsCsv(flags: AsyncIterable<FlagApi> | Iterable<FlagApi>): Readable {
  const csv = stringify({ ...FIELDS, bom: true, header: true, columns: [...CSV_COLUMNS], eof: true })
  const rows = Readable.from(
    (async function* () {
      for await (const f of flags) yield record(f)
    })(),
  )
  // an error while reading (the database) ends the download with that error instead of a short file
  pipeline(rows, csv, () => {})
  return csv
}
