// Monthly assessment figures from per-flag facts. Pure: the database says which flags count for the
// month and what happened to them; this module turns them into figures per group and a ranking.
//
// For a month M (calendar month in the service time zone, [first day 00:00, next month 00:00)):
// - received:   flags reported (created) in M.
// - registered: flags registered by a county officer in M.
// - due:        flags dispatched whose COMPLETION deadline (complete_due_at, fixed at dispatch) falls in M.
//               This is the denominator of both closure rates ("应办结").
// - dueClosed:  of the due flags, those closed (verified) at the time the figures are computed.
// - dueClosedOnTime: of those, the ones whose accepted feedback (completed_at — the handler's feedback
//               that the inspector verified) was given no later than the completion deadline.
// - closureRate = dueClosed / due;  onTimeClosureRate = dueClosedOnTime / due  (null when due = 0).
// - closed:     flags verified (closed) at least once in M; meanHoursToClose averages, over them, the
//               wall-clock hours from dispatch to their first close in M.
// - reopened:   of the flags closed in M, those reopened after that close (at any time until now);
//               reopenRate = reopened / closed (null when closed = 0).
// Figures are computed as of "now": a flag reopened later stops counting as closed for its due month.

export interface AssessmentFact {
  flagId: number
  /** grouping key and label (cell code, township code or person id) */
  key: string
  code: string | null
  name: string | null
  received: boolean
  registered: boolean
  due: boolean
  closedNow: boolean
  /** closed now, and its accepted feedback was on or before the completion deadline */
  closedOnTime: boolean
  dispatchedAt: Date | null
  /** first close (verify) inside the month */
  firstCloseInMonth: Date | null
  reopenedAfterClose: boolean
}

export interface Figures {
  received: number
  registered: number
  due: number
  dueClosed: number
  dueClosedOnTime: number
  closureRate: number | null
  onTimeClosureRate: number | null
  closed: number
  meanHoursToClose: number | null
  reopened: number
  reopenRate: number | null
}

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10000) / 10000)

export function figuresOf(facts: AssessmentFact[]): Figures {
  // a flag counts once per group even if several facts (people) carry it
  const unique = [...new Map(facts.map((f) => [f.flagId, f])).values()]
  const due = unique.filter((f) => f.due)
  const dueClosed = due.filter((f) => f.closedNow)
  const dueClosedOnTime = dueClosed.filter((f) => f.closedOnTime)
  const closed = unique.filter((f) => f.firstCloseInMonth !== null)
  const hours = closed
    .filter((f) => f.dispatchedAt)
    .map((f) => (f.firstCloseInMonth!.getTime() - f.dispatchedAt!.getTime()) / 3_600_000)
  const reopened = closed.filter((f) => f.reopenedAfterClose)
  return {
    received: unique.filter((f) => f.received).length,
    registered: unique.filter((f) => f.registered).length,
    due: due.length,
    dueClosed: dueClosed.length,
    dueClosedOnTime: dueClosedOnTime.length,
    closureRate: ratio(dueClosed.length, due.length),
    onTimeClosureRate: ratio(dueClosedOnTime.length, due.length),
    closed: closed.length,
    meanHoursToClose: hours.length ? Math.round((hours.reduce((a, h) => a + h, 0) / hours.length) * 100) / 100 : null,
    reopened: reopened.length,
    reopenRate: ratio(reopened.length, closed.length),
  }
}

export interface GroupFigures extends Figures {
  key: string
  code: string | null
  name: string | null
}

export function groupFigures(facts: AssessmentFact[]): GroupFigures[] {
  const groups = new Map<string, AssessmentFact[]>()
  for (const f of facts) groups.set(f.key, [...(groups.get(f.key) ?? []), f])
  return [...groups.entries()]
    .map(([key, list]) => ({ key, code: list[0]!.code, name: list[0]!.name, ...figuresOf(list) }))
    .sort((a, b) => (a.code ?? '\uffff').localeCompare(b.code ?? '\uffff') || a.key.localeCompare(b.key))
}

/**
 * Ranking (competition style: 1, 1, 3): higher on-time closure rate first, then closure rate, then
 * more flags due; groups with nothing due have no rates and come last, unranked (rank null).
 */
export function rank<T extends GroupFigures>(groups: T[]): (T & { rank: number | null })[] {
  const rated = groups.filter((g) => g.due > 0)
  const unrated = groups.filter((g) => g.due === 0)
  const sorted = [...rated].sort(
    (a, b) =>
      b.onTimeClosureRate! - a.onTimeClosureRate! ||
      b.closureRate! - a.closureRate! ||
      b.due - a.due ||
      (a.code ?? '').localeCompare(b.code ?? ''),
  )
  const ranked = sorted.map((g, i) => ({ ...g, rank: i + 1 }))
  for (let i = 1; i < ranked.length; i++) {
    const [p, g] = [ranked[i - 1]!, ranked[i]!]
    if (p.onTimeClosureRate === g.onTimeClosureRate && p.closureRate === g.closureRate && p.due === g.due)
      g.rank = p.rank
  }
  return [...ranked, ...unrated.map((g) => ({ ...g, rank: null }))]
}
