import { describe, expect, it } from 'vitest'
import {
  addLimit,
  addWorkingDays,
  addWorkingHours,
  isWorkingDay,
  localDay,
  monthRange,
  workingHoursBetween,
  zonedInstant,
  type WorkingCalendar,
} from './working-time.js'

const calendar = (exceptions: [string, boolean][] = [], timeZone = 'Asia/Shanghai'): WorkingCalendar => ({
  timeZone,
  periods: [
    { start: 8 * 60 + 30, end: 12 * 60 },
    { start: 14 * 60, end: 18 * 60 },
  ],
  weekdays: new Set([1, 2, 3, 4, 5]),
  exceptions: new Map(exceptions),
})
const cal = calendar()
/** Shanghai wall time → instant (UTC+8, no daylight saving) */
const sh = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`)

describe('zoned days and instants', () => {
  it('maps Shanghai wall time to instants and back', () => {
    expect(zonedInstant('2026-11-27', 17 * 60, 'Asia/Shanghai').toISOString()).toBe('2026-11-27T09:00:00.000Z')
    expect(localDay(new Date('2026-11-27T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-28')
    expect(localDay(new Date('2026-11-27T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-27')
  })

  it('handles a zone with daylight saving (Europe/Berlin, 29 March 2026)', () => {
    expect(zonedInstant('2026-03-28', 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-03-28T08:00:00.000Z')
    expect(zonedInstant('2026-03-30', 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-03-30T07:00:00.000Z')
  })

  it('month ranges start at local midnight', () => {
    const { start, end } = monthRange('2026-11', 'Asia/Shanghai')
    expect(start.toISOString()).toBe('2026-10-31T16:00:00.000Z')
    expect(end.toISOString()).toBe('2026-11-30T16:00:00.000Z')
    expect(monthRange('2026-12', 'Asia/Shanghai').end.toISOString()).toBe('2026-12-31T16:00:00.000Z')
  })
})

describe('working days', () => {
  it('weekdays work, weekends do not, holidays and make-up days override', () => {
    expect(isWorkingDay('2026-11-27', cal)).toBe(true) // Friday
    expect(isWorkingDay('2026-11-28', cal)).toBe(false) // Saturday
    const withExceptions = calendar([
      ['2026-10-01', false],
      ['2026-10-10', true],
    ])
    expect(isWorkingDay('2026-10-01', withExceptions)).toBe(false) // National Day, a Thursday
    expect(isWorkingDay('2026-10-10', withExceptions)).toBe(true) // a make-up Saturday
  })
})

describe('addWorkingHours', () => {
  it.each([
    ['Friday 17:00 + 4 h ends Monday 11:30', sh('2026-11-27', '17:00'), 4, sh('2026-11-30', '11:30')],
    ['inside the morning period', sh('2026-11-30', '09:00'), 2, sh('2026-11-30', '11:00')],
    ['across the lunch break', sh('2026-11-30', '11:00'), 2, sh('2026-11-30', '15:00')],
    ['ending exactly at the end of a period', sh('2026-11-30', '11:00'), 1, sh('2026-11-30', '12:00')],
    ['starting during lunch', sh('2026-11-30', '12:30'), 1, sh('2026-11-30', '15:00')],
    ['starting before work', sh('2026-11-30', '06:00'), 1, sh('2026-11-30', '09:30')],
    ['starting after work', sh('2026-11-30', '19:00'), 1, sh('2026-12-01', '09:30')],
    ['starting on a Saturday', sh('2026-11-28', '10:00'), 1, sh('2026-11-30', '09:30')],
    ['a whole working day is 7.5 h', sh('2026-11-30', '08:30'), 7.5, sh('2026-11-30', '18:00')],
    ['more than a week', sh('2026-11-30', '08:30'), 7.5 * 5 + 1, sh('2026-12-07', '09:30')],
    ['zero hours', sh('2026-11-28', '10:00'), 0, sh('2026-11-28', '10:00')],
  ])('%s', (_name, from, hours, expected) => {
    expect(addWorkingHours(from, hours, cal).toISOString()).toBe(expected.toISOString())
  })

  it('skips holidays and counts make-up working days', () => {
    // Wednesday 30 Sep 17:00, 1 Oct–7 Oct holidays, Saturday 10 Oct a make-up working day
    const holidays = calendar([
      ...['01', '02', '05', '06', '07'].map((d): [string, boolean] => [`2026-10-${d}`, false]),
      ['2026-10-10', true],
    ])
    expect(addWorkingHours(sh('2026-09-30', '17:00'), 2, holidays).toISOString()).toBe(
      sh('2026-10-08', '09:30').toISOString(),
    )
    expect(addWorkingDays(sh('2026-10-09', '10:00'), 1, holidays).toISOString()).toBe(
      sh('2026-10-10', '18:00').toISOString(),
    )
  })

  it('refuses negative hours and a calendar without working time', () => {
    expect(() => addWorkingHours(sh('2026-11-30', '09:00'), -1, cal)).toThrow(RangeError)
    expect(() => addWorkingHours(sh('2026-11-30', '09:00'), 1, { ...cal, weekdays: new Set() })).toThrow(
      'no working time',
    )
  })
})

describe('addWorkingDays', () => {
  it.each([
    ['Monday 10:00 + 1 day: the end of Tuesday', sh('2026-11-30', '10:00'), 1, sh('2026-12-01', '18:00')],
    ['Friday 17:00 + 1 day: the end of Monday', sh('2026-11-27', '17:00'), 1, sh('2026-11-30', '18:00')],
    ['Saturday + 1 day: the end of Monday', sh('2026-11-28', '11:00'), 1, sh('2026-11-30', '18:00')],
    [
      'Monday 07:00 (before work) + 1 day: still the end of Tuesday',
      sh('2026-11-30', '07:00'),
      1,
      sh('2026-12-01', '18:00'),
    ],
    ['Monday + 10 days: two weeks later, Monday', sh('2026-11-02', '09:00'), 10, sh('2026-11-16', '18:00')],
  ])('%s', (_name, from, days, expected) => {
    expect(addWorkingDays(from, days, cal).toISOString()).toBe(expected.toISOString())
  })

  it('refuses fractions', () => {
    expect(() => addWorkingDays(sh('2026-11-30', '09:00'), 1.5, cal)).toThrow(RangeError)
  })

  it('addLimit dispatches on the unit', () => {
    const from = sh('2026-11-27', '17:00')
    expect(addLimit(from, { amount: 4, unit: 'working_hours' }, cal)).toEqual(addWorkingHours(from, 4, cal))
    expect(addLimit(from, { amount: 2, unit: 'working_days' }, cal)).toEqual(addWorkingDays(from, 2, cal))
  })
})

describe('workingHoursBetween', () => {
  it.each([
    ['within one period', sh('2026-11-30', '09:00'), sh('2026-11-30', '10:30'), 1.5],
    ['across lunch', sh('2026-11-30', '11:00'), sh('2026-11-30', '15:00'), 2],
    ['Friday 17:00 to Monday 11:30 is 4 h', sh('2026-11-27', '17:00'), sh('2026-11-30', '11:30'), 4],
    ['a weekend is nothing', sh('2026-11-28', '00:00'), sh('2026-11-30', '00:00'), 0],
    ['a whole week', sh('2026-11-30', '00:00'), sh('2026-12-07', '00:00'), 37.5],
    ['backwards is nothing', sh('2026-11-30', '11:00'), sh('2026-11-30', '09:00'), 0],
  ])('%s', (_name, from, to, hours) => {
    expect(workingHoursBetween(from, to, cal)).toBeCloseTo(hours, 9)
  })

  it('is the inverse of addWorkingHours', () => {
    for (const [from, hours] of [
      [sh('2026-11-27', '17:00'), 4],
      [sh('2026-11-28', '03:00'), 13.25],
      [sh('2026-11-30', '12:15'), 0.5],
    ] as const) {
      expect(workingHoursBetween(from, addWorkingHours(from, hours, cal), cal)).toBeCloseTo(hours, 9)
    }
  })
})
