import { describe, expect, it } from 'vitest'
import type { CoverageChild } from '../api/types.js'
import { formatPct } from '../i18n/index.js'
import { axisStart, rankChildren } from './coverage.js'

const child = (code: string, coveredPct: number): CoverageChild => ({
  code,
  name: code,
  level: 2,
  areaM2: 1,
  coveredAreaM2: 1,
  coveredPct,
  gapAreaM2: 0,
  overlapAreaM2: 0,
  cells: 1,
  vacantCells: 0,
  understaffedCells: 0,
  parcels: {},
})

describe('coverage ranking', () => {
  it('ranks best covered first, ties by code', () => {
    expect(rankChildren([child('b', 99.5), child('c', 100), child('a', 99.5)]).map((c) => c.code)).toEqual([
      'c',
      'a',
      'b',
    ])
  })

  it('starts the bar axis low enough that the worst bar still shows, high enough that differences show', () => {
    expect(axisStart([100, 99.9, 99.6])).toBe(98)
    expect(axisStart([100, 97])).toBe(95)
    expect(axisStart([100, 85])).toBe(80)
    expect(axisStart([100, 60])).toBe(50)
    expect(axisStart([100, 20])).toBe(0)
    expect(axisStart([])).toBe(0)
  })
})

describe('coverage percentages', () => {
  it("prints the server's two decimals as they are, rounding down anything finer", () => {
    expect(formatPct(99.99)).toBe('99.99%')
    expect(formatPct(58.33)).toBe('58.33%')
    expect(formatPct(100)).toBe('100.00%')
    expect(formatPct(99.99999999999999)).toBe('99.99%')
    expect(formatPct(75)).toBe('75.00%')
  })
})
