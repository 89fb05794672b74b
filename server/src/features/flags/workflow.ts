// The flag workflow as a pure state machine: which action moves a flag from which state to which, who
// may take it, which need a comment, and the four-eyes rule. The service applies it in a transaction;
// routes read ACTION_ROLES and SUPERVISOR_SCOPED for their access policy, and actionsFor lists for a
// user what those gates would let them do, so the rule, the gate and the list are the same table.
//
//   reported ──register──▶ registered ──dispatch (automatic)──▶ dispatched ──acknowledge──▶ in_progress
//      └──reject──▶ rejected                                                          ▲        │ feedback
//                                                 closed ◀──verify── feedback ──return─┘◀──────┘
//                                                   └──────────────reopen──────────────▶ in_progress
import type { FlagAction } from '../../contract/flags.js'
import type { FlagState, UserRole } from '../../db/schema.js'
import { AppError, badRequest, conflict } from '../../errors.js'

export type { FlagAction, FlagState }

export const FLAG_STATES: readonly FlagState[] = [
  'reported',
  'registered',
  'rejected',
  'dispatched',
  'in_progress',
  'feedback',
  'closed',
]
export const FLAG_ACTIONS: readonly FlagAction[] = [
  'register',
  'reject',
  'dispatch',
  'acknowledge',
  'feedback',
  'verify',
  'return',
  'reopen',
]
/** States in which a flag still needs someone to act: duplicates are looked for among these. */
export const OPEN_STATES: readonly FlagState[] = ['reported', 'registered', 'dispatched', 'in_progress', 'feedback']

const TRANSITIONS: Record<FlagState, Partial<Record<FlagAction, FlagState>>> = {
  reported: { register: 'registered', reject: 'rejected' },
  registered: { dispatch: 'dispatched' },
  rejected: {},
  dispatched: { acknowledge: 'in_progress' },
  in_progress: { feedback: 'feedback' },
  feedback: { verify: 'closed', return: 'in_progress' },
  closed: { reopen: 'in_progress' },
}

/**
 * Who may take each action. Register/reject: a county officer (admin). Acknowledge/feedback: a
 * supervisor responsible for the dispatched cell (checked by the route's supervisor scope), an officer
 * of the township unit it lies in (the unit scope) or an admin.
 * Verify/return/reopen: an inspector or an admin, never the handler who gave the feedback (four-eyes).
 * Dispatch is taken by the system as part of registration.
 */
export const ACTION_ROLES: Record<FlagAction, readonly UserRole[]> = {
  register: ['admin'],
  reject: ['admin'],
  dispatch: [],
  acknowledge: ['admin', 'supervisor', 'unit_officer'],
  feedback: ['admin', 'supervisor', 'unit_officer'],
  verify: ['admin', 'inspector'],
  return: ['admin', 'inspector'],
  reopen: ['admin', 'inspector'],
}

/**
 * Actions a supervisor may take only on flags dispatched to their own cells (or cells under them): the
 * routes check it as the supervisor scope of the flag's accountable cell.
 */
export const SUPERVISOR_SCOPED: ReadonlySet<FlagAction> = new Set(['acknowledge', 'feedback'])

/**
 * The same actions a unit officer may take on flags routed into their township: the township's
 * government answers for what its cells do not rectify (an inspection finding goes to cell and unit).
 * The routes check it as the unit scope of the flag's township.
 */
export const UNIT_SCOPED: ReadonlySet<FlagAction> = SUPERVISOR_SCOPED

/** Actions that must carry a comment: the reason for a rejection, the handler's note, why it went back. */
export const COMMENT_REQUIRED: ReadonlySet<FlagAction> = new Set(['reject', 'feedback', 'return', 'reopen'])

/** Actions that judge the handler's work: the handler may not take them on their own feedback. */
export const FOUR_EYES: ReadonlySet<FlagAction> = new Set(['verify', 'return', 'reopen'])

export function allowedActions(state: FlagState): FlagAction[] {
  return Object.keys(TRANSITIONS[state]) as FlagAction[]
}

/** Who asks, as actionsFor needs it. */
export interface FlagViewer {
  userId: number
  role: UserRole
  /** a supervisor's cells and every cell under them today; null for the other roles */
  cellIds: ReadonlySet<number> | null
  /** a unit officer's township cells (of the units they head or liaise for); null for the other roles */
  townshipCellIds?: ReadonlySet<number> | null
}

/** What actionsFor needs to know of a flag. */
export interface FlagForActions {
  state: FlagState
  /** the cell it is dispatched to (the supervisor scope) */
  accountableCellId: number | null
  /** the township it lies in (a unit officer's scope) */
  townshipCellId?: number | null
  /** who gave its current feedback (four-eyes) */
  feedbackBy: number | null
}

/**
 * The actions this viewer may take on the flag now: allowed from its state, by their role, within a
 * supervisor's cells, and not judging their own feedback (four-eyes). Anonymous visitors: none.
 */
export function actionsFor(viewer: FlagViewer | null, flag: FlagForActions): FlagAction[] {
  if (!viewer) return []
  return allowedActions(flag.state).filter((action) => {
    if (!ACTION_ROLES[action].includes(viewer.role)) return false
    if (SUPERVISOR_SCOPED.has(action) && viewer.role === 'supervisor') {
      if (flag.accountableCellId === null || !viewer.cellIds?.has(flag.accountableCellId)) return false
    }
    if (UNIT_SCOPED.has(action) && viewer.role === 'unit_officer') {
      const township = flag.townshipCellId ?? null
      if (township === null || !viewer.townshipCellIds?.has(township)) return false
    }
    return !(FOUR_EYES.has(action) && flag.feedbackBy !== null && flag.feedbackBy === viewer.userId)
  })
}

/** The state an action leads to, or a 409 naming the current state and the actions allowed from it. */
export function nextState(state: FlagState, action: FlagAction): FlagState {
  const to = TRANSITIONS[state][action]
  if (!to) {
    const allowed = allowedActions(state)
    throw conflict(
      'illegal_transition',
      `the action "${action}" is not allowed on a flag in state "${state}"; ` +
        (allowed.length ? `allowed from "${state}": ${allowed.join(', ')}` : `no action is allowed from "${state}"`),
      { state, action, allowed },
    )
  }
  return to
}

export interface TransitionRequest {
  state: FlagState
  action: FlagAction
  /** the acting user's role and id */
  role: UserRole | 'system'
  userId: number | null
  comment?: string | null
  /** who gave the flag's current feedback */
  feedbackBy: number | null
}

/**
 * Checks a transition completely and returns the new state. Order: legality (409 illegal_transition),
 * role (403 forbidden), comment (400 comment_required), four-eyes (403 four_eyes).
 */
export function checkTransition(r: TransitionRequest): FlagState {
  const to = nextState(r.state, r.action)
  if (r.role === 'system' ? r.action !== 'dispatch' : !ACTION_ROLES[r.action].includes(r.role)) {
    throw new AppError(
      403,
      'forbidden',
      `the ${r.action} action needs one of the roles: ${ACTION_ROLES[r.action].join(', ') || 'system'}`,
    )
  }
  if (COMMENT_REQUIRED.has(r.action) && !(r.comment ?? '').trim()) {
    throw badRequest(
      'comment_required',
      `the ${r.action} action needs a ${r.action === 'feedback' ? 'note' : r.action === 'reject' ? 'reason' : 'comment'}`,
    )
  }
  if (FOUR_EYES.has(r.action) && r.userId !== null && r.feedbackBy !== null && r.userId === r.feedbackBy) {
    throw new AppError(
      403,
      'four_eyes',
      `whoever gave the feedback cannot ${r.action} it; another inspector or officer must`,
      {
        action: r.action,
      },
    )
  }
  return to
}
