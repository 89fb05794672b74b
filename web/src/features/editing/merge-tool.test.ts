import { describe, expect, it } from 'vitest'
import type { CellFeature, DutyPerson } from '../../api/types.js'
import { currentDuties, mergeCandidates, today } from './edit-panel.js'

const square = (x0: number, y0: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x0, y0],
      [x0 + 1, y0],
      [x0 + 1, y0 + 1],
      [x0, y0 + 1],
      [x0, y0],
    ],
  ],
})
const feature = (code: string, x0: number, y0: number): CellFeature =>
  ({
    type: 'Feature',
    geometry: square(x0, y0),
    properties: { code, name: code, version: 3 },
  }) as unknown as CellFeature

describe('mergeCandidates', () => {
  it('offers siblings sharing an edge (two vertices or more), most shared first, never the cell itself', () => {
    const cell = { code: 'A', geometry: square(0, 0) }
    const siblings = [feature('A', 0, 0), feature('CORNER', 1, 1), feature('EAST', 1, 0), feature('FAR', 5, 5)]
    expect(mergeCandidates(cell, siblings)).toEqual([{ code: 'EAST', name: 'EAST', version: 3, shared: 2 }])
  })
})

describe('currentDuties', () => {
  const duty = (id: number, startsOn: string, endsOn: string | null, role = 'grid_member'): DutyPerson =>
    ({
      responsibilityId: id,
      personId: id,
      name: `p${id}`,
      nameEn: null,
      role,
      phone: null,
      organisation: null,
      startsOn,
      endsOn,
    }) as DutyPerson
  it('keeps running and future duties, drops ended ones', () => {
    const list = [
      duty(1, '2024-01-01', '2025-06-30'),
      duty(2, '2024-01-01', null, 'grid_chief'),
      duty(3, '2027-01-01', null),
      duty(4, '2024-01-01', '2026-11-28'),
    ]
    expect(currentDuties(list, '2026-11-28').map((d) => d.responsibilityId)).toEqual([2, 4, 3])
  })
})

describe('today', () => {
  it('is the service day (see util/service-day.test.ts), the browser zone before boot configures it', () => {
    expect(today(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05')
  })
})
