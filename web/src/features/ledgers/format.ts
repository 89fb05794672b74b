// How the loop's figures read: months, states, values. Pure functions, unit-tested.
import type { LedgerEntry, LedgerState } from '../../api/types.js'

/** The month before a day's month ('2026-11-03' → '2026-10'): the ledger month due now. */
export function previousMonth(day: string): string {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))]
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

/** The months of a year up to and including `last` ('2026-03' → 2026-01..2026-03). */
export function monthsUpTo(last: string): string[] {
  const [y, m] = [Number(last.slice(0, 4)), Number(last.slice(5, 7))]
  return Array.from({ length: m }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`)
}

export const isMonth = (s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s)

/** A number as the tables show it: up to `digits` decimals, no trailing zeros; '—' for none. */
export function formatNumber(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  return String(Number(n.toFixed(digits)))
}

/** The badge colour of an entry's state (overdue wins: it is what needs doing). */
export function entryTone(e: Pick<LedgerEntry, 'state' | 'overdue'>): LedgerState | 'overdue' {
  return e.overdue ? 'overdue' : e.state
}

/** A value typed into the form: null when empty, NaN when not a number (the form says so). */
export function parseValue(text: string): number | null {
  const s = text.trim().replace(',', '.')
  if (s === '') return null
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : Number.NaN
}
