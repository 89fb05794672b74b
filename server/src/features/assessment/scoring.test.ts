// The assessment's arithmetic, on numbers worked out by hand.
import { describe, expect, it } from 'vitest'
import { rate, ranks, redBlackLists, round2, shareLeft, targetScore, weightedTotal } from './scoring.js'

describe('round2', () => {
  it('rounds half up to 2 decimals despite float noise', () => {
    expect(round2(83.335)).toBe(83.34)
    expect(round2(67.142857)).toBe(67.14)
    expect(round2(1.005)).toBe(1.01)
  })
})

describe('part scores', () => {
  it('rate: counted / rows, none → not applicable', () => {
    expect(rate(1, 4)).toEqual({ raw: 0.25, score: 25 })
    expect(rate(0, 0)).toBeNull()
  })
  it('shareLeft: 100 × (1 − used / capacity), floored at 0', () => {
    expect(shareLeft(15, 60)).toBe(75)
    expect(shareLeft(90, 60)).toBe(0)
  })
  it('targetScore: 100 when met, less by the relative miss, mirrored for higher is better', () => {
    expect(targetScore(30, 35, 'lower_is_better')).toBe(100)
    expect(targetScore(42, 35, 'lower_is_better')).toBeCloseTo(80, 10)
    expect(targetScore(80, 35, 'lower_is_better')).toBe(0)
    expect(targetScore(8, 10, 'higher_is_better')).toBeCloseTo(80, 10)
    expect(targetScore(12, 10, 'higher_is_better')).toBe(100)
  })
})

describe('weightedTotal', () => {
  it('counts only applicable parts', () => {
    expect(
      weightedTotal([
        { score: 50, weight: 30 },
        { score: null, weight: 20 },
        { score: 100, weight: 10 },
      ]),
    ).toBe(round2((30 * 50 + 10 * 100) / 40))
    expect(weightedTotal([{ score: null, weight: 10 }])).toBeNull()
  })
})

describe('ranks and lists', () => {
  it('ties share a rank (1, 2, 2, 4); unscored units have none', () => {
    expect(ranks([90, 80, 80, 70, null])).toEqual([1, 2, 2, 4, null])
  })
  it('red list by rank, black list from the bottom, never both', () => {
    const rows = [90, 80, 80, 70].map((score, i) => ({ id: i, score, rank: ranks([90, 80, 80, 70])[i]! }))
    const { red, black } = redBlackLists(rows, 2, 2)
    expect(red.map((r) => r.id)).toEqual([0, 1, 2])
    expect(black.map((r) => r.id)).toEqual([3])
  })
})
