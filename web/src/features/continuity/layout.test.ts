import { describe, expect, it } from 'vitest'
import type { DutyTimeline } from '../../../../server/src/contract/continuity.js'
import { layoutTimeline } from './layout.js'
import { CONTINUITY_MESSAGES } from './strings.js'

const base: DutyTimeline = {
  cell: { code: 'V', name: 'V', nameEn: null, level: 3 },
  from: '2026-01-01',
  to: '2026-07-02',
  rule: { chiefs: 1, members: 1 },
  duties: [],
  shortfalls: [],
}

describe('layoutTimeline', () => {
  it('places duties and shortfalls on the year (2026 has 365 days)', () => {
    const l = layoutTimeline({
      ...base,
      duties: [
        {
          responsibilityId: 1,
          person: { id: 1, name: 'a', nameEn: null },
          role: 'grid_chief',
          from: '2020-01-01',
          to: '2026-03-10',
        },
        {
          responsibilityId: 2,
          person: { id: 2, name: 'b', nameEn: null },
          role: 'grid_chief',
          from: '2026-04-01',
          to: null,
        },
        {
          responsibilityId: 3,
          person: { id: 3, name: 'c', nameEn: null },
          role: 'grid_member',
          from: '2020-01-01',
          to: null,
        },
        {
          responsibilityId: 4,
          person: { id: 4, name: 'd', nameEn: null },
          role: 'grid_member',
          from: '2025-01-01',
          to: '2026-02-01',
        },
      ],
      shortfalls: [
        {
          cellId: 1,
          cellCode: 'V',
          cellName: 'V',
          cellNameEn: null,
          level: 3,
          townshipCode: null,
          from: '2026-03-11',
          to: '2026-03-31',
          days: 21,
          kind: 'understaffed',
          missing: { chiefs: 1, members: 0 },
          extraChiefs: 0,
          open: false,
        },
      ],
    })
    expect(l.year).toBe(2026)
    // 2026-07-02 is day 183 of the year: the data reach its end, 183/365
    expect(l.known).toBeCloseTo((183 / 365) * 100, 1)
    const chief = l.roles.find((r) => r.role === 'grid_chief')!
    // Jan 1 .. Mar 10 = 69 days; Apr 1 (day 90) .. Jul 2
    expect(chief.segments.map((s) => [s.from, s.to])).toEqual([
      ['2026-01-01', '2026-03-10'],
      ['2026-04-01', '2026-07-02'],
    ])
    expect(chief.segments[0]!.width).toBeCloseTo((69 / 365) * 100, 1)
    expect(chief.segments[1]!.left).toBeCloseTo((90 / 365) * 100, 1)
    // two overlapping members make one bar
    expect(l.roles.find((r) => r.role === 'grid_member')!.segments).toHaveLength(1)
    // no specialist: no row
    expect(l.roles.map((r) => r.role)).toEqual(['grid_chief', 'grid_member'])
    expect(l.shortfalls).toEqual([
      expect.objectContaining({ from: '2026-03-11', to: '2026-03-31', kind: 'understaffed' }),
    ])
    expect(l.shortfalls[0]!.left).toBeCloseTo((69 / 365) * 100, 1)
    expect(l.shortfalls[0]!.width).toBeCloseTo((21 / 365) * 100, 1)
  })
})

describe('continuity strings', () => {
  it('has every key in both languages', () => {
    expect(Object.keys(CONTINUITY_MESSAGES.en).sort()).toEqual(Object.keys(CONTINUITY_MESSAGES.zh).sort())
  })
})
