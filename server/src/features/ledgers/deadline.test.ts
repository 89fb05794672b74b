import { describe, expect, it } from 'vitest'
import type { WorkingCalendar } from '../../services/working-time.js'
import { ledgerDueAt, nextMonthStart } from './deadline.js'

const calendar = (exceptions: [string, boolean][] = []): WorkingCalendar => ({
  timeZone: 'Asia/Shanghai',
  periods: [
    { start: 8 * 60 + 30, end: 12 * 60 },
    { start: 14 * 60, end: 18 * 60 },
  ],
  weekdays: new Set([1, 2, 3, 4, 5]),
  exceptions: new Map(exceptions),
})

describe('ledgerDueAt', () => {
  // December 2026 starts on a Tuesday: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 are its first five working days;
  // 18:00 in Shanghai is 10:00 UTC.
  it('is the end of the 5th working day of the next month', () => {
    expect(ledgerDueAt('2026-11', 5, calendar()).toISOString()).toBe('2026-12-07T10:00:00.000Z')
    expect(ledgerDueAt('2026-11', 1, calendar()).toISOString()).toBe('2026-12-01T10:00:00.000Z')
  })
  it('skips a holiday and counts a make-up working day', () => {
    expect(ledgerDueAt('2026-11', 5, calendar([['2026-12-02', false]])).toISOString()).toBe('2026-12-08T10:00:00.000Z')
    expect(ledgerDueAt('2026-11', 5, calendar([['2026-12-05', true]])).toISOString()).toBe('2026-12-05T10:00:00.000Z')
  })
  it('crosses the year: January 2027 starts on a Friday, New Year a holiday', () => {
    // Mon 4, Tue 5, Wed 6, Thu 7, Fri 8
    expect(ledgerDueAt('2026-12', 5, calendar([['2027-01-01', false]])).toISOString()).toBe('2027-01-08T10:00:00.000Z')
  })
  it('refuses a malformed month', () => {
    expect(() => nextMonthStart('2026-13')).toThrow(/YYYY-MM/)
    expect(nextMonthStart('2026-12')).toBe('2027-01-01')
  })
})
