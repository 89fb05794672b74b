// The assessment's arithmetic, pure: each part's score in [0, 100], the weighted total, ranks within a
// peer group (ties share a rank) and the red and black lists. README.md "Assessment and ranking".

/** Half-up to 2 decimals, after dropping the float noise of the sums (83.335 → 83.34, not 83.33). */
export function round2(x: number): number {
  return Math.round(Number((x * 100).toPrecision(12))) / 100
}

/** A share of the rows that count: raw = counted / rows, score = 100 × raw; none = not applicable. */
export function rate(counted: number, rows: number): { raw: number; score: number } | null {
  if (rows === 0) return null
  const raw = counted / rows
  return { raw, score: 100 * raw }
}

/** Something used up of a capacity (gap area of the cell's area, vacant cell-days of all cell-days). */
export function shareLeft(used: number, capacity: number): number {
  if (capacity <= 0) return used > 0 ? 0 : 100
  return Math.max(0, 100 * (1 - used / capacity))
}

/** A figure against its letter target: 100 when met, less by the relative distance, never below 0. */
export function targetScore(raw: number, target: number, direction: 'higher_is_better' | 'lower_is_better'): number {
  const met = direction === 'lower_is_better' ? raw <= target : raw >= target
  if (met) return 100
  if (target === 0) return 0
  const miss = direction === 'lower_is_better' ? raw - target : target - raw
  return Math.max(0, 100 * (1 - miss / Math.abs(target)))
}

/** Σ(weight × score) / Σ(weight) over the applicable parts (score not null), 2 decimals; none → null. */
export function weightedTotal(parts: { score: number | null; weight: number }[]): number | null {
  const applicable = parts.filter((p) => p.score !== null)
  const weights = applicable.reduce((a, p) => a + p.weight, 0)
  if (applicable.length === 0 || weights <= 0) return null
  return round2(applicable.reduce((a, p) => a + p.weight * p.score!, 0) / weights)
}

/** Rank = 1 + the number of higher totals in the group (1, 2, 2, 4); an unscored unit has no rank. */
export function ranks(scores: (number | null)[]): (number | null)[] {
  const scored = scores.filter((s): s is number => s !== null)
  return scores.map((s) => (s === null ? null : 1 + scored.filter((o) => o > s).length))
}

/**
 * Red list: the ranked units whose rank is within the first `redSize` ranks. Black list: those within the
 * last `blackSize` ranks counted from the bottom (1 + the number of lower totals), never a unit already
 * on the red list. Both in ranking order.
 */
export function redBlackLists<T extends { score: number | null; rank: number | null }>(
  rows: T[],
  redSize: number,
  blackSize: number,
): { red: T[]; black: T[] } {
  const ranked = rows.filter((r) => r.score !== null && r.rank !== null).sort((a, b) => a.rank! - b.rank!)
  const red = ranked.filter((r) => r.rank! <= redSize)
  const fromBottom = (r: T) => 1 + ranked.filter((o) => o.score! < r.score!).length
  const black = ranked.filter((r) => !red.includes(r) && fromBottom(r) <= blackSize)
  return { red, black }
}
