// Calendar days: responsibilities start and end on days, not instants. "Today" has one definition, the
// day in the service's time zone (SERVICE_TIME_ZONE, config.serviceTimeZone), whatever the process TZ or
// the browser's; the web app is told it by GET /api/map-config.

const dayFormatters = new Map<string, Intl.DateTimeFormat>()

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
export function isoDay(d: Date, timeZone: string): string {
  let f = dayFormatters.get(timeZone)
  if (!f) {
    // en-CA formats as YYYY-MM-DD
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormatters.set(timeZone, f)
  }
  const parts = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The day to answer for: the requested one, or today in the service's time zone. */
export function dayOrToday(requested: string | undefined, today: string): string {
  return requested ?? today
}
