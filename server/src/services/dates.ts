// Calendar days in the service's time zone (UTC unless TZ says otherwise): responsibilities start and
// end on days, not instants.
export function isoDay(d: Date): string {
  const y = d.getFullYear()
  const m = String(d.getMonth() + 1).padStart(2, '0')
  const day = String(d.getDate()).padStart(2, '0')
  return `${y}-${m}-${day}`
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The day to answer for: the requested one, or today by the app's clock. */
export function dayOrToday(requested: string | undefined, now: Date): string {
  return requested ?? isoDay(now)
}
