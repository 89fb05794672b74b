// The environmental figures' CSV: header unit,month,indicator,value[,source]; every row named by its
// line number, so a bad file is answered with each bad line (nothing is written).
import { parse } from 'csv-parse/sync'
import { badRequest } from '../../errors.js'
import type { FigureInput } from './service-scheme.js'

const REQUIRED = ['unit', 'month', 'indicator', 'value']

export function parseFiguresCsv(text: string): FigureInput[] {
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, {
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (e) {
    throw badRequest('invalid_csv', `the CSV could not be read: ${(e as Error).message}`)
  }
  if (records.length === 0)
    throw badRequest('invalid_csv', 'the CSV is empty: expected the header unit,month,indicator,value[,source]')
  const header = records[0]!.record.map((h) => h.toLowerCase())
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
    // a value that is not a number is named with the other bad rows (service-scheme.ts writeFigures)
    const parsed = value === '' ? Number.NaN : Number(value)
    inputs.push({ where, unit, month, indicator, value: parsed, source: source ?? '' })
  }
  if (problems.length > 0)
    throw badRequest('invalid_figures', `${problems.length} bad line(s), nothing written: ${problems.join('; ')}`, {
      problems,
    })
  return inputs
}
