// How flags read: sizes, instants and urgency. Pure functions, unit-tested.
import type { Flag } from '../../api/types.js'

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`
  if (n >= 1024) return `${Math.round(n / 1024)} KB`
  return `${n} B`
}

/** An ISO instant as local "YYYY-MM-DD HH:MM". */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const z = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())} ${z(d.getHours())}:${z(d.getMinutes())}`
}

/** Shown on a flag: is it late, and has it gone up a level? */
export function urgency(flag: Pick<Flag, 'overdue' | 'escalationLevel'>): 'escalated' | 'overdue' | null {
  if (flag.escalationLevel > 0) return 'escalated'
  if (flag.overdue.any) return 'overdue'
  return null
}
