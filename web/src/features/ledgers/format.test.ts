import { describe, expect, it } from 'vitest'
import { entryTone, formatNumber, isMonth, monthsUpTo, parseValue, previousMonth } from './format.js'

describe('ledger formatting', () => {
  it('the month due now is the one before today’s, across a year end', () => {
    expect(previousMonth('2026-11-03')).toBe('2026-10')
    expect(previousMonth('2026-01-31')).toBe('2025-12')
  })

  it('lists the months of a year up to one', () => {
    expect(monthsUpTo('2026-03')).toEqual(['2026-01', '2026-02', '2026-03'])
    expect(monthsUpTo('2026-12')).toHaveLength(12)
  })

  it('knows a month key', () => {
    expect(isMonth('2026-10')).toBe(true)
    expect(isMonth('2026-13')).toBe(false)
    expect(isMonth('2026-1')).toBe(false)
  })

  it('prints numbers without trailing zeros and a dash for none', () => {
    expect(formatNumber(85.5)).toBe('85.5')
    expect(formatNumber(2 / 3)).toBe('0.67')
    expect(formatNumber(null)).toBe('—')
  })

  it('an overdue entry shows as overdue whatever its state', () => {
    expect(entryTone({ state: 'returned', overdue: true })).toBe('overdue')
    expect(entryTone({ state: 'submitted', overdue: false })).toBe('submitted')
  })

  it('reads typed values: empty is none, junk is NaN, a comma is a decimal point', () => {
    expect(parseValue('')).toBeNull()
    expect(parseValue(' 12,5 ')).toBe(12.5)
    expect(parseValue('-3')).toBe(-3)
    expect(parseValue('12a')).toBeNaN()
  })
})
