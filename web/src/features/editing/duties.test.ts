import { describe, expect, it } from 'vitest'
import type { DutyPerson } from '../../api/types.js'
import { currentDuties, today } from './duties.js'

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
