import { describe, expect, it } from 'vitest'
import { figuresOf, groupFigures, rank, type AssessmentFact } from './assessment.js'
import { csvField } from './csv.js'

const base: Omit<AssessmentFact, 'flagId' | 'key'> = {
  code: 'X',
  name: 'X',
  received: false,
  registered: false,
  due: false,
  closedNow: false,
  closedOnTime: false,
  dispatchedAt: null,
  firstCloseInMonth: null,
  reopenedAfterClose: false,
}
const fact = (flagId: number, key: string, over: Partial<AssessmentFact>): AssessmentFact => ({
  ...base,
  flagId,
  key,
  code: key,
  ...over,
})
const h = (hours: number) => new Date(Date.UTC(2026, 10, 2) + hours * 3_600_000)

describe('figuresOf', () => {
  it('rates over the due flags, mean time and reopen rate over the closed ones', () => {
    const f = figuresOf([
      fact(1, 'a', {
        received: true,
        registered: true,
        due: true,
        closedNow: true,
        closedOnTime: true,
        dispatchedAt: h(0),
        firstCloseInMonth: h(2),
      }),
      fact(2, 'a', {
        received: true,
        due: true,
        closedNow: true,
        dispatchedAt: h(0),
        firstCloseInMonth: h(5),
        reopenedAfterClose: false,
      }),
      fact(3, 'a', { due: true }),
      fact(4, 'a', { dispatchedAt: h(0), firstCloseInMonth: h(1), reopenedAfterClose: true }),
    ])
    expect(f).toEqual({
      received: 2,
      registered: 1,
      due: 3,
      dueClosed: 2,
      dueClosedOnTime: 1,
      closureRate: 0.6667,
      onTimeClosureRate: 0.3333,
      closed: 3,
      meanHoursToClose: 2.67,
      reopened: 1,
      reopenRate: 0.3333,
    })
  })

  it('no due flags and no closed flags: rates are null, not zero', () => {
    expect(figuresOf([fact(1, 'a', { received: true })])).toMatchObject({
      closureRate: null,
      onTimeClosureRate: null,
      meanHoursToClose: null,
      reopenRate: null,
    })
  })

  it('a flag carried twice in a group (two people) counts once', () => {
    expect(figuresOf([fact(1, 'a', { received: true }), fact(1, 'a', { received: true })]).received).toBe(1)
  })
})

describe('groupFigures and rank', () => {
  it('groups by key and ranks: on-time rate, then closure rate, then more due; ties share a rank; nothing due is unranked', () => {
    const facts = [
      // A: 1/2 on time, 2/2 closed
      fact(1, 'A', { due: true, closedNow: true, closedOnTime: true }),
      fact(2, 'A', { due: true, closedNow: true }),
      // B: 1/2 on time, 1/2 closed
      fact(3, 'B', { due: true, closedNow: true, closedOnTime: true }),
      fact(4, 'B', { due: true }),
      // C: same as A
      fact(5, 'C', { due: true, closedNow: true, closedOnTime: true }),
      fact(6, 'C', { due: true, closedNow: true }),
      // D: 1/1 on time
      fact(7, 'D', { due: true, closedNow: true, closedOnTime: true }),
      // E: nothing due
      fact(8, 'E', { received: true }),
    ]
    const ranked = rank(groupFigures(facts))
    expect(ranked.map((g) => [g.code, g.rank])).toEqual([
      ['D', 1],
      ['A', 2],
      ['C', 2],
      ['B', 4],
      ['E', null],
    ])
  })
})

describe('csvField', () => {
  it.each([
    [null, ''],
    [42, '42'],
    [-3, '-3'],
    [true, 'true'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=1+1', "'=1+1"],
    ['+86 139', "'+86 139"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-x', "'-x"],
  ])('%j → %j', (value, expected) => {
    expect(csvField(value)).toBe(expected)
  })
})
