// Working time in the service's time zone: add N working hours or N working days to an instant, and
// measure the working time between two instants. Pure (no clock, no database): the caller passes the
// calendar, holidays included.
//
// Definitions
// - A working day is a day whose ISO weekday is in `weekdays`, unless the holidays table says otherwise
//   for that date (a public holiday on a weekday, or a make-up working day 调休 on a weekend).
// - Working time is the union of the `periods` of every working day (e.g. 08:30–12:00 and 14:00–18:00).
// - "N working hours after t" is the instant at which N hours of working time have passed since t.
//   If it ends exactly at the end of a period, that end is the answer (Friday 17:00 + 1 h = Friday 18:00).
// - "N working days after t" follows the usual rule for periods counted in days (期间开始之日不计算在内):
//   the day of t does not count; the limit ends at the end of working time on the N-th working day after
//   the day of t. Dispatched Monday 10:00 with 1 working day: due Tuesday 18:00.
import { addDays } from './dates.js'

export interface WorkingPeriod {
  /** minutes after local midnight */
  start: number
  end: number
}

export interface WorkingCalendar {
  timeZone: string
  /** the working periods of a working day, in order, not overlapping */
  periods: readonly WorkingPeriod[]
  /** ISO weekdays (1 = Monday … 7 = Sunday) that are working days */
  weekdays: ReadonlySet<number>
  /** exceptions by local day YYYY-MM-DD: false = holiday, true = make-up working day */
  exceptions: ReadonlyMap<string, boolean>
}

export type LimitUnit = 'working_hours' | 'working_days'

const HOUR = 3_600_000
/** No limit sensibly spans more than ten years; a calendar without working time would loop forever. */
const MAX_DAYS = 3660

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

function wallClock(instant: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  }
}

/** Offset of the zone from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return asUtc - Math.floor(instant / 1000) * 1000
}

/** The calendar day (YYYY-MM-DD) of an instant in the zone. */
export function localDay(instant: Date, timeZone: string): string {
  const w = wallClock(instant.getTime(), timeZone)
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

/** The instant at which the zone's clocks show `minutes` after midnight on `day`. */
export function zonedInstant(day: string, minutes: number, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(y, m - 1, d, 0, minutes)
  let guess = wall - offsetAt(wall, timeZone)
  // a second pass settles instants near a daylight-saving change
  const offset = offsetAt(guess, timeZone)
  if (wall - offset !== guess) guess = wall - offset
  return new Date(guess)
}

/** [start, end) instants of a month "YYYY-MM" in the zone. */
export function monthRange(month: string, timeZone: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
  return { start: zonedInstant(`${month}-01`, 0, timeZone), end: zonedInstant(next, 0, timeZone) }
}

function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay()
  return d === 0 ? 7 : d
}

export function isWorkingDay(day: string, cal: WorkingCalendar): boolean {
  return cal.exceptions.get(day) ?? cal.weekdays.has(isoWeekday(day))
}

function assertHasWorkingTime(cal: WorkingCalendar) {
  if (cal.periods.length === 0 || (cal.weekdays.size === 0 && ![...cal.exceptions.values()].some(Boolean))) {
    throw new Error('the working calendar has no working time')
  }
}

/** The working periods of a day as instants (none on a day off). */
function periodsOf(day: string, cal: WorkingCalendar): { start: number; end: number }[] {
  if (!isWorkingDay(day, cal)) return []
  return cal.periods.map((p) => ({
    start: zonedInstant(day, p.start, cal.timeZone).getTime(),
    end: zonedInstant(day, p.end, cal.timeZone).getTime(),
  }))
}

export function addWorkingHours(from: Date, hours: number, cal: WorkingCalendar): Date {
  if (!(hours >= 0)) throw new RangeError(`working hours must be zero or more, got ${hours}`)
  assertHasWorkingTime(cal)
  let remaining = hours * HOUR
  if (remaining === 0) return new Date(from)
  const t = from.getTime()
  let day = localDay(from, cal.timeZone)
  for (let i = 0; i < MAX_DAYS; i++, day = addDays(day, 1)) {
    for (const p of periodsOf(day, cal)) {
      const start = Math.max(p.start, t)
      if (start >= p.end) continue
      const available = p.end - start
      if (remaining <= available) return new Date(start + remaining)
      remaining -= available
    }
  }
  throw new RangeError(`${hours} working hours reach beyond ${MAX_DAYS} days`)
}

export function addWorkingDays(from: Date, days: number, cal: WorkingCalendar): Date {
  if (!Number.isInteger(days) || days < 0)
    throw new RangeError(`working days must be a whole number, zero or more, got ${days}`)
  assertHasWorkingTime(cal)
  if (days === 0) return new Date(from)
  let day = localDay(from, cal.timeZone)
  let counted = 0
  for (let i = 0; i < MAX_DAYS; i++) {
    day = addDays(day, 1)
    if (isWorkingDay(day, cal) && ++counted === days) {
      return zonedInstant(day, cal.periods[cal.periods.length - 1]!.end, cal.timeZone)
    }
  }
  throw new RangeError(`${days} working days reach beyond ${MAX_DAYS} days`)
}

/** The deadline of a limit counted from `from`. */
export function addLimit(from: Date, limit: { amount: number; unit: LimitUnit }, cal: WorkingCalendar): Date {
  return limit.unit === 'working_hours'
    ? addWorkingHours(from, limit.amount, cal)
    : addWorkingDays(from, limit.amount, cal)
}

/** Working time (ms) between two instants; 0 when `to` is not after `from`. */
export function workingMsBetween(from: Date, to: Date, cal: WorkingCalendar): number {
  const a = from.getTime()
  const b = to.getTime()
  if (b <= a) return 0
  let total = 0
  const lastDay = localDay(to, cal.timeZone)
  for (let day = localDay(from, cal.timeZone), i = 0; day <= lastDay && i < MAX_DAYS * 10; day = addDays(day, 1), i++) {
    for (const p of periodsOf(day, cal)) {
      const start = Math.max(p.start, a)
      const end = Math.min(p.end, b)
      if (end > start) total += end - start
    }
  }
  return total
}

export const workingHoursBetween = (from: Date, to: Date, cal: WorkingCalendar) =>
  workingMsBetween(from, to, cal) / HOUR
