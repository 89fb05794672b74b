// Shortfall periods of one cell, computed from its duty intervals: staffing only changes on the days a
// duty starts, the day after one ends, and the days the cell comes into or goes out of existence, so
// each stretch between two such change points is judged once (not once per day).
// The judgement is exactly cell_staffing_of's (migrations/…_engine.sql): nobody on duty = vacant; the
// right number of chiefs and enough members = staffed; anything else = understaffed.

export type ShortfallKind = 'vacant' | 'understaffed'

export interface CellRule {
  chiefsRequired: number
  membersRequired: number
}

export interface DutyInterval {
  role: 'grid_chief' | 'grid_member' | 'specialist'
  startsOn: string
  endsOn: string | null
}

export interface DayRange {
  from: string
  /** inclusive; null = open */
  to: string | null
}

export interface RunOfShortfall {
  from: string
  to: string
  days: number
  kind: ShortfallKind
  missing: { chiefs: number; members: number }
  /** chiefs beyond the rule (a cell needs exactly its number of chiefs) */
  extraChiefs: number
}

const DAY_MS = 86_400_000
export const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS
export const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10)

/** Days from `from` to `to`, both included. */
export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from) + 1

interface Judgement {
  kind: ShortfallKind | 'staffed'
  chiefs: number
  members: number
  extraChiefs: number
}

export function judgeStaffing(rule: CellRule, roles: DutyInterval['role'][]): Judgement {
  const chiefs = roles.filter((r) => r === 'grid_chief').length
  const members = roles.filter((r) => r === 'grid_member').length
  const missing = {
    chiefs: Math.max(0, rule.chiefsRequired - chiefs),
    members: Math.max(0, rule.membersRequired - members),
    extraChiefs: Math.max(0, chiefs - rule.chiefsRequired),
  }
  if (roles.length === 0) return { kind: 'vacant', ...missing }
  if (chiefs === rule.chiefsRequired && members >= rule.membersRequired)
    return { kind: 'staffed', chiefs: 0, members: 0, extraChiefs: 0 }
  return { kind: 'understaffed', ...missing }
}

/**
 * The maximal runs of days in [from, to] on which the cell existed and was vacant or understaffed; a
 * change of kind or of what is missing starts a new run.
 */
export function shortfallRuns(
  rule: CellRule,
  duties: DutyInterval[],
  existence: DayRange[],
  from: string,
  to: string,
): RunOfShortfall[] {
  const lo = dayNumber(from)
  const hi = dayNumber(to)
  if (hi < lo) return []
  const spans = (rs: { start: number; end: number }[]) => rs.filter((r) => r.end >= lo && r.start <= hi)
  const dutySpans = duties.map((d) => ({
    role: d.role,
    start: dayNumber(d.startsOn),
    end: d.endsOn === null ? Infinity : dayNumber(d.endsOn),
  }))
  const lived = spans(
    existence.map((e) => ({ start: dayNumber(e.from), end: e.to === null ? Infinity : dayNumber(e.to) })),
  )
  const points = new Set<number>([lo, hi + 1])
  for (const s of [...dutySpans, ...lived]) {
    if (s.start > lo && s.start <= hi) points.add(s.start)
    if (s.end + 1 > lo && s.end + 1 <= hi) points.add(s.end + 1)
  }
  const cuts = [...points].sort((a, b) => a - b)
  const runs: RunOfShortfall[] = []
  let open: { start: number; end: number; j: Judgement } | null = null
  const close = () => {
    if (!open) return
    const { kind } = open.j
    runs.push({
      from: dayString(open.start),
      to: dayString(open.end),
      days: open.end - open.start + 1,
      kind: kind as ShortfallKind,
      missing: { chiefs: open.j.chiefs, members: open.j.members },
      extraChiefs: open.j.extraChiefs,
    })
    open = null
  }
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!
    const end = cuts[i + 1]! - 1
    const exists = lived.some((s) => s.start <= start && s.end >= start)
    const j = exists
      ? judgeStaffing(
          rule,
          dutySpans.filter((d) => d.start <= start && d.end >= start).map((d) => d.role),
        )
      : null
    if (!j || j.kind === 'staffed') {
      close()
      continue
    }
    if (
      open &&
      open.end + 1 === start &&
      open.j.kind === j.kind &&
      open.j.chiefs === j.chiefs &&
      open.j.members === j.members &&
      open.j.extraChiefs === j.extraChiefs
    ) {
      open.end = end
    } else {
      close()
      open = { start, end, j }
    }
  }
  close()
  return runs
}
