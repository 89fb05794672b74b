// Dates and lists of responsibilities as the server counts them.
import type { DutyPerson } from '../../api/types.js'
import { serviceToday } from '../../util/service-day.js'

/** Today as YYYY-MM-DD in the service time zone (as the server counts duties), not the browser's. */
export const today = (now = new Date()): string => serviceToday(now)

/** Responsibilities still running on `day` or starting later. */
export function currentDuties(history: DutyPerson[], day: string): DutyPerson[] {
  return history
    .filter((d) => d.endsOn === null || d.endsOn >= day)
    .sort((a, b) => a.role.localeCompare(b.role) || a.startsOn.localeCompare(b.startsOn))
}
