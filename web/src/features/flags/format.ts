// How flags read: sizes, instants and urgency. Pure functions, unit-tested.
import type { Flag } from '../../api/types.js'
import { serviceTimeZone } from '../../util/service-day.js'

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`
  if (n >= 1024) return `${Math.round(n / 1024)} KB`
  return `${n} B`
}

/**
 * An ISO instant as "YYYY-MM-DD HH:MM" in the service's time zone: deadlines and times of the working
 * calendar read the same on every phone, whatever zone its clock is set to.
 */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: serviceTimeZone(),
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

/** Shown on a flag: is it late, and has it gone up a level? */
export function urgency(flag: Pick<Flag, 'overdue' | 'escalationLevel'>): 'escalated' | 'overdue' | null {
  if (flag.escalationLevel > 0) return 'escalated'
  if (flag.overdue.any) return 'overdue'
  return null
}
