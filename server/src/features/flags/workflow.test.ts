import { describe, expect, it } from 'vitest'
import type { UserRole } from '../../db/schema.js'
import { AppError } from '../../errors.js'
import {
  ACTION_ROLES,
  actionsFor,
  allowedActions,
  checkTransition,
  FLAG_ACTIONS,
  FLAG_STATES,
  nextState,
  type FlagAction,
  type FlagState,
} from './workflow.js'

// The whole table, written out: every (state, action) pair not listed here must be refused.
const LEGAL: [FlagState, FlagAction, FlagState][] = [
  ['reported', 'register', 'registered'],
  ['reported', 'reject', 'rejected'],
  ['registered', 'dispatch', 'dispatched'],
  ['dispatched', 'acknowledge', 'in_progress'],
  ['in_progress', 'feedback', 'feedback'],
  ['feedback', 'verify', 'closed'],
  ['feedback', 'return', 'in_progress'],
  ['closed', 'reopen', 'in_progress'],
]
const legal = new Map(LEGAL.map(([s, a, to]) => [`${s}/${a}`, to]))
const ALL_PAIRS = FLAG_STATES.flatMap((s) => FLAG_ACTIONS.map((a) => [s, a] as [FlagState, FlagAction]))
const ILLEGAL = ALL_PAIRS.filter(([s, a]) => !legal.has(`${s}/${a}`))

function thrown(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError')
}

const roleFor = (action: FlagAction): UserRole | 'system' =>
  action === 'dispatch' ? 'system' : ACTION_ROLES[action][0]!

describe('flag state machine', () => {
  it('has 7 states × 8 actions = 56 pairs: 8 legal, 48 illegal', () => {
    expect(ALL_PAIRS).toHaveLength(56)
    expect(ILLEGAL).toHaveLength(48)
  })

  it.each(LEGAL)('%s --%s--> %s', (state, action, to) => {
    expect(nextState(state, action)).toBe(to)
    expect(
      checkTransition({ state, action, role: roleFor(action), userId: 1, comment: 'because', feedbackBy: 2 }),
    ).toBe(to)
  })

  it.each(ILLEGAL)(
    '%s --%s--> refused with 409 illegal_transition naming the state and the allowed actions',
    (state, action) => {
      const e = thrown(() => nextState(state, action))
      expect(e.status).toBe(409)
      expect(e.code).toBe('illegal_transition')
      expect(e.details).toEqual({ state, action, allowed: allowedActions(state) })
      expect(e.message).toContain(`"${state}"`)
      // the full check refuses it the same way, before looking at roles or comments
      expect(
        thrown(() => checkTransition({ state, action, role: 'viewer', userId: 1, comment: null, feedbackBy: 1 })).code,
      ).toBe('illegal_transition')
    },
  )

  it('a rejected flag allows nothing; allowed actions per state', () => {
    expect(allowedActions('rejected')).toEqual([])
    expect(allowedActions('feedback')).toEqual(['verify', 'return'])
    expect(thrown(() => nextState('rejected', 'reopen')).message).toContain('no action is allowed')
  })
})

describe('who may act', () => {
  const ROLES: UserRole[] = ['admin', 'supervisor', 'inspector', 'viewer', 'unit_officer']
  const expected: Record<FlagAction, UserRole[]> = {
    register: ['admin'],
    reject: ['admin'],
    dispatch: [],
    acknowledge: ['admin', 'supervisor', 'unit_officer'],
    feedback: ['admin', 'supervisor', 'unit_officer'],
    verify: ['admin', 'inspector'],
    return: ['admin', 'inspector'],
    reopen: ['admin', 'inspector'],
  }
  it.each(LEGAL)('%s --%s-->: only the right roles', (state, action) => {
    for (const role of ROLES) {
      const run = () => checkTransition({ state, action, role, userId: 1, comment: 'c', feedbackBy: 2 })
      if (expected[action].includes(role)) expect(run()).toBe(nextState(state, action))
      else expect(thrown(run)).toMatchObject({ status: 403, code: 'forbidden' })
    }
  })

  it('only the system dispatches, and the system does nothing else', () => {
    expect(
      checkTransition({ state: 'registered', action: 'dispatch', role: 'system', userId: null, feedbackBy: null }),
    ).toBe('dispatched')
    expect(
      thrown(() =>
        checkTransition({ state: 'reported', action: 'register', role: 'system', userId: null, feedbackBy: null }),
      ).status,
    ).toBe(403)
  })
})

describe('comments', () => {
  it.each([
    ['reported', 'reject'],
    ['in_progress', 'feedback'],
    ['feedback', 'return'],
    ['closed', 'reopen'],
  ] as [FlagState, FlagAction][])('%s --%s--> needs a comment (blank is not one)', (state, action) => {
    for (const comment of [undefined, null, '', '   \n']) {
      expect(
        thrown(() => checkTransition({ state, action, role: 'admin', userId: 1, comment, feedbackBy: 2 })),
      ).toMatchObject({ status: 400, code: 'comment_required' })
    }
  })

  it.each([
    ['reported', 'register'],
    ['dispatched', 'acknowledge'],
    ['feedback', 'verify'],
  ] as [FlagState, FlagAction][])('%s --%s--> needs none', (state, action) => {
    expect(checkTransition({ state, action, role: 'admin', userId: 1, comment: null, feedbackBy: 2 })).toBe(
      nextState(state, action),
    )
  })
})

describe('four-eyes', () => {
  it.each([
    ['feedback', 'verify'],
    ['feedback', 'return'],
    ['closed', 'reopen'],
  ] as [FlagState, FlagAction][])('whoever gave the feedback cannot %s --%s-->', (state, action) => {
    const e = thrown(() => checkTransition({ state, action, role: 'admin', userId: 7, comment: 'c', feedbackBy: 7 }))
    expect(e).toMatchObject({ status: 403, code: 'four_eyes' })
    expect(checkTransition({ state, action, role: 'admin', userId: 8, comment: 'c', feedbackBy: 7 })).toBe(
      nextState(state, action),
    )
  })

  it('does not apply to the handler acknowledging or giving feedback again', () => {
    expect(
      checkTransition({
        state: 'in_progress',
        action: 'feedback',
        role: 'supervisor',
        userId: 7,
        comment: 'done again',
        feedbackBy: 7,
      }),
    ).toBe('feedback')
  })
})

describe('actionsFor: what one user may do on a flag now', () => {
  const flag = (state: FlagState, feedbackBy: number | null = null) => ({ state, accountableCellId: 5, feedbackBy })
  const admin = { userId: 1, role: 'admin' as const, cellIds: null }
  const inspector = { userId: 2, role: 'inspector' as const, cellIds: null }
  const ownSupervisor = { userId: 3, role: 'supervisor' as const, cellIds: new Set([4, 5]) }
  const otherSupervisor = { userId: 4, role: 'supervisor' as const, cellIds: new Set([6]) }

  it('anonymous visitors: nothing, in any state', () => {
    for (const state of FLAG_STATES) expect(actionsFor(null, flag(state))).toEqual([])
  })

  it("a supervisor only within their cells; a flag dispatched nowhere is in nobody's cells", () => {
    expect(actionsFor(ownSupervisor, flag('dispatched'))).toEqual(['acknowledge'])
    expect(actionsFor(otherSupervisor, flag('dispatched'))).toEqual([])
    expect(actionsFor(ownSupervisor, { state: 'in_progress', accountableCellId: null, feedbackBy: null })).toEqual([])
    expect(actionsFor(admin, { state: 'in_progress', accountableCellId: null, feedbackBy: null })).toEqual(['feedback'])
  })

  it("a unit officer only on flags in their township's unit; a flag in no township is in nobody's", () => {
    const officer = (townships: number[]) => ({
      userId: 7,
      role: 'unit_officer' as const,
      cellIds: null,
      townshipCellIds: new Set(townships),
    })
    const inTownship = (state: FlagState, township: number | null) => ({ ...flag(state), townshipCellId: township })
    expect(actionsFor(officer([3]), inTownship('dispatched', 3))).toEqual(['acknowledge'])
    expect(actionsFor(officer([3]), inTownship('in_progress', 3))).toEqual(['feedback'])
    expect(actionsFor(officer([8]), inTownship('dispatched', 3))).toEqual([])
    expect(actionsFor(officer([3]), inTownship('dispatched', null))).toEqual([])
    // verifying is not theirs: an inspector or an admin judges the rectification
    expect(actionsFor(officer([3]), inTownship('feedback', 3))).toEqual([])
  })

  it('dispatch is never offered: the system takes it', () => {
    expect(actionsFor(admin, flag('registered'))).toEqual([])
  })

  it('four-eyes: not offered to whoever gave the feedback', () => {
    expect(actionsFor(admin, flag('feedback', 1))).toEqual([])
    expect(actionsFor(admin, flag('feedback', 9))).toEqual(['verify', 'return'])
    expect(actionsFor(inspector, flag('closed', 2))).toEqual([])
    expect(actionsFor(inspector, flag('closed', 9))).toEqual(['reopen'])
  })
})
