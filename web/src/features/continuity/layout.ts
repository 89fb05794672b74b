// Where each bar of the duty timeline goes: the year on a line from 0 to 100 %, each role's days on
// duty merged into segments, and the shortfall periods. Pure, so it is tested without a browser.
import type { DutyTimeline, ShortfallKind } from '../../../../server/src/contract/continuity.js'

const DAY = 86_400_000
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY

export interface Segment {
  /** percent of the year from its start */
  left: number
  width: number
  from: string
  to: string
}

export interface TimelineLayout {
  year: number
  /** percent of the year reached by the data (the range asked about ends there) */
  known: number
  roles: { role: 'grid_chief' | 'grid_member' | 'specialist'; segments: Segment[] }[]
  shortfalls: (Segment & { kind: ShortfallKind })[]
}

const ROLES = ['grid_chief', 'grid_member', 'specialist'] as const

/** Lays out a timeline answer over the calendar year its range ends in. */
export function layoutTimeline(tl: DutyTimeline): TimelineLayout {
  const year = Number(tl.to.slice(0, 4))
  const start = dayNumber(`${year}-01-01`)
  const end = dayNumber(`${year}-12-31`) + 1
  const span = end - start
  const to = dayNumber(tl.to) + 1
  const clip = (a: number, b: number) => [Math.max(a, start, dayNumber(tl.from)), Math.min(b, to)] as const
  const pct = (d: number) => Math.round(((d - start) / span) * 10000) / 100
  const segment = (a: number, b: number, from: string, toDay: string): Segment => ({
    left: pct(a),
    width: Math.max(pct(b) - pct(a), 0.3),
    from,
    to: toDay,
  })
  const roles = ROLES.map((role) => {
    // merge the role's duties into runs of days with at least one person on duty
    const spans = tl.duties
      .filter((d) => d.role === role)
      .map((d) => clip(dayNumber(d.from), d.to === null ? Infinity : dayNumber(d.to) + 1))
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0])
    const merged: [number, number][] = []
    for (const [a, b] of spans) {
      const last = merged[merged.length - 1]
      if (last && a <= last[1]) last[1] = Math.max(last[1], b)
      else merged.push([a, b])
    }
    const iso = (d: number) => new Date(d * DAY).toISOString().slice(0, 10)
    return { role, segments: merged.map(([a, b]) => segment(a, b, iso(a), iso(b - 1))) }
  }).filter((r) => r.segments.length > 0 || r.role !== 'specialist')
  const shortfalls = tl.shortfalls
    .map((p) => {
      const [a, b] = clip(dayNumber(p.from), dayNumber(p.to) + 1)
      return { ...segment(a, b, p.from, p.to), kind: p.kind }
    })
    .filter((x) => x.width > 0)
  return { year, known: pct(to), roles, shortfalls }
}
