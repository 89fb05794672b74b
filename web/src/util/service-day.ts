// "Today" is the service's day, not the browser's: responsibilities start and end on calendar days in
// the service time zone, and the server answers "today" by that zone. GET /api/map-config says which
// zone and which day it is there; dates the app fills in by default (a duty's start, its end, the
// duties shown as current) use the same day, even in a browser set to another zone or a skewed clock.

let zone: string | undefined
/** whole days between the server's "today" and the browser clock's day in the same zone, at boot */
let skewDays = 0

/** The calendar day (YYYY-MM-DD) of an instant in a time zone (the browser's when none). */
export function dayIn(now: Date, timeZone: string | undefined): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day}`
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000

/** Called once at boot with the server's configuration. */
export function useServiceDay(config: { timeZone?: string; today?: string }, now = new Date()): void {
  zone = config.timeZone
  skewDays = config.today ? dayNumber(config.today) - dayNumber(dayIn(now, zone)) : 0
}

/** The service's time zone (undefined before boot: the browser's). */
export function serviceTimeZone(): string | undefined {
  return zone
}

/** Today in the service time zone (the day the server calls today). */
export function serviceToday(now = new Date()): string {
  const d = new Date(Date.parse(`${dayIn(now, zone)}T00:00:00Z`) + skewDays * 86_400_000)
  return d.toISOString().slice(0, 10)
}
