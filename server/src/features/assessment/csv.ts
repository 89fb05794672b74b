// The environmental figures' CSV: header unit,month,indicator,value[,source]; every row named by its
// line number, so a bad file is answered with each bad line (nothing is written).
import { parse } from 'csv-parse/sync'
import { badRequest } from '../../errors.js'
import type { FigureInput } from './service-scheme.js'

const REQUIRED = ['unit', 'month', 'indicator', 'value']
/** a value is a plain decimal as written in a report: no exponent, hex, spaces or signs other than "-" */
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/
/** the same bound as a JSON row's value (contract/assessment.ts) */
const VALUE_LIMIT = 1e12

export function parseFiguresCsv(text: string): FigureInput[] {
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, {
      bom: true,
      info: true,
      // the value is read as written (" 5" is refused); the other fields are trimmed below
      trim: false,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (e) {
    throw badRequest('invalid_csv', `the CSV could not be read: ${(e as Error).message}`)
  }
  if (records.length === 0)
    throw badRequest('invalid_csv', 'the CSV is empty: expected the header unit,month,indicator,value[,source]')
  const header = records[0]!.record.map((h) => h.trim().toLowerCase())
  const okHeader =
    (header.length === 4 || (header.length === 5 && header[4] === 'source')) &&
    REQUIRED.every((h, i) => header[i] === h)
  if (!okHeader)
    throw badRequest(
      'invalid_csv',
      `line 1: the header must be unit,month,indicator,value[,source], got ${JSON.stringify(header.join(','))}`,
    )
  const rows = records.slice(1)
  if (rows.length === 0) throw badRequest('invalid_csv', 'the CSV has a header but no rows')
  const problems: string[] = []
  const inputs: FigureInput[] = []
  for (const { record, info } of rows) {
    const where = `line ${info.lines}`
    if (record.length !== header.length) {
      problems.push(`${where}: expected ${header.length} fields, got ${record.length}`)
      continue
    }
    const [unit, month, indicator, value, source] = record as [string, string, string, string, string?]
    // a bad value is named with the line's other problems (service-scheme.ts writeFigures)
    const parsed = PLAIN_DECIMAL.test(value) ? Number(value) : Number.NaN
    const valueProblem = Number.isNaN(parsed)
      ? `the value ${JSON.stringify(value)} is not a number written as a plain decimal (like 41.5 or -3)`
      : Math.abs(parsed) > VALUE_LIMIT
        ? `the value ${value} is outside -1e12..1e12`
        : undefined
    inputs.push({
      valueProblem,
      where,
      unit: unit.trim(),
      month: month.trim(),
      indicator: indicator.trim(),
      value: parsed,
      source: (source ?? '').trim(),
    })
  }
  if (problems.length > 0)
    throw badRequest('invalid_figures', `${problems.length} bad line(s), nothing written: ${problems.join('; ')}`, {
      problems,
    })
  return inputs
}
