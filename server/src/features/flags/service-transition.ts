// The workflow transitions of a flag: each checked by the state machine (workflow.ts), applied in one
// transaction, written to the timeline and the audit log. Registration also routes and dispatches.
import type { Kysely } from 'kysely'
import type { DB, FlagState, LimitUnit } from '../../db/schema.js'
import { insertAudit } from '../../db/repositories/audit.repository.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import { isoDay } from '../../services/dates.js'
import { addLimit, type WorkingCalendar } from '../../services/working-time.js'
import * as repo from './repository.js'
import { findCategory, type CategoryRow } from './repository-categories.js'
import { insertPhotos } from './repository-photos.js'
import { notifyFlagAssigned } from '../notifications/service.js'
import { checkPhotos, type PhotoUpload } from './photos.js'
import { actorOf, photoRows, routeAt } from './service.js'
import { loadCalendar } from './service-calendar.js'
import type { FlagSettings, FlagUser } from './settings.js'
import { checkTransition, nextState, type FlagAction } from './workflow.js'

export interface TransitionInput {
  version: number
  comment?: string | null
  photos?: PhotoUpload[]
}

function deadlines(dispatchedAt: Date, c: CategoryRow, cal: WorkingCalendar) {
  return {
    ack_due_at: addLimit(dispatchedAt, { amount: c.ack_limit, unit: c.ack_unit as LimitUnit }, cal),
    complete_due_at: addLimit(dispatchedAt, { amount: c.complete_limit, unit: c.complete_unit as LimitUnit }, cal),
  }
}

/**
 * Takes a workflow action on a flag. Checks, in order: the flag exists (404), the caller's version is
 * current (409 stale_version with the current state), the transition is legal (409
 * illegal_transition), the role, the comment, four-eyes. Registration also routes and dispatches.
 */
export async function transition(
  db: Kysely<DB>,
  s: FlagSettings,
  now: Date,
  user: FlagUser,
  id: number,
  action: Exclude<FlagAction, 'dispatch'>,
  input: TransitionInput,
): Promise<void> {
  const photos = checkPhotos(input.photos ?? [], { maxBytes: s.photoMaxBytes, maxCount: s.photoMaxCount })
  if (photos.length > 0 && action !== 'feedback')
    throw badRequest('photos_not_allowed', `photos can be sent with feedback, not with ${action}`)
  const comment = input.comment?.trim() || null
  await db.transaction().execute(async (tx) => {
    const flag = await repo.lockFlag(tx, id)
    if (!flag) throw notFound('flag', id)
    if (flag.version !== input.version) {
      throw conflict(
        'stale_version',
        `flag ${id} has changed since version ${input.version}: it is now version ${flag.version}, state "${flag.state}"; reload it and try again`,
        {
          version: flag.version,
          state: flag.state,
        },
      )
    }
    const to = checkTransition({
      state: flag.state,
      action,
      role: user.role,
      userId: user.id,
      comment,
      feedbackBy: flag.feedback_by,
    })
    const actor = actorOf(user)
    const event = (a: string, from: FlagState, toState: FlagState, details?: unknown) =>
      repo.insertEvent(tx, { flagId: id, at: now, actor, action: a, fromState: from, toState, comment, details })
    const audit = (a: string, before: unknown, after: unknown) =>
      insertAudit(tx, { actor, action: a, entityType: 'flag', entityId: id, reason: comment, before, after })

    let patch: repo.FlagPatch = { state: to }
    if (action === 'register') {
      patch = { ...patch, registered_at: now }
    } else if (action === 'reject') {
      patch = { ...patch, rejected_at: now }
    } else if (action === 'acknowledge') {
      patch = { ...patch, acknowledged_at: now }
    } else if (action === 'feedback') {
      patch = { ...patch, feedback_at: now, feedback_by: user.id }
    } else if (action === 'verify') {
      patch = { ...patch, closed_at: now, completed_at: flag.feedback_at }
    } else if (action === 'reopen') {
      patch = { ...patch, closed_at: null, completed_at: null }
    }
    if (!(await repo.updateFlag(tx, id, flag.version, now, patch)))
      throw conflict('stale_version', `flag ${id} changed while this request ran; reload it`)
    const eventId = await event(action, flag.state, to)
    await insertPhotos(tx, photoRows(photos, id, eventId, user, now))
    await audit(
      action,
      { state: flag.state, version: flag.version },
      { state: to, version: flag.version + 1, photos: photos.length || undefined },
    )

    if (action === 'register') await dispatch(tx, s, now, user, id, flag)
  })
}

/**
 * reported → registered → dispatched in the caller's transaction, without a county officer's triage: an
 * inspection finding is registered by the inspection office that recorded it. `completeLimit` replaces
 * the category's completion limit (a campaign's rectification limit for the finding's severity).
 * Throws 409 no_accountable_cell when nobody answers for the location (the caller's writes roll back).
 */
export async function registerAtOnce(
  tx: Kysely<DB>,
  s: FlagSettings,
  now: Date,
  user: FlagUser,
  id: number,
  completeLimit: { amount: number; unit: LimitUnit },
  details: Record<string, unknown>,
): Promise<void> {
  const flag = await repo.lockFlag(tx, id)
  if (!flag) throw notFound('flag', id)
  const to = nextState(flag.state, 'register')
  await repo.updateFlag(tx, id, flag.version, now, { state: to, registered_at: now })
  await repo.insertEvent(tx, {
    flagId: id,
    at: now,
    actor: actorOf(user),
    action: 'register',
    fromState: flag.state,
    toState: to,
    details: { automatic: true, ...details },
  })
  await insertAudit(tx, {
    actor: actorOf(user),
    action: 'register',
    entityType: 'flag',
    entityId: id,
    before: { state: flag.state, version: flag.version },
    after: { state: to, version: flag.version + 1, automatic: true, ...details },
  })
  await dispatch(tx, s, now, user, id, flag, completeLimit)
}

/** registered → dispatched: route the flag as of today, fix its deadlines, record who it went to. */
async function dispatch(
  tx: Kysely<DB>,
  s: FlagSettings,
  now: Date,
  user: FlagUser,
  id: number,
  flag: repo.LockedFlag,
  completeLimit?: { amount: number; unit: LimitUnit },
) {
  const to = checkTransition({
    state: 'registered',
    action: 'dispatch',
    role: 'system',
    userId: null,
    feedbackBy: null,
  })
  const { people, ...routing } = await routeAt(tx, flag.lon, flag.lat, isoDay(now, s.timeZone), s.sliverToleranceM2)
  if (routing.accountable_cell_id === null) {
    throw conflict(
      'no_accountable_cell',
      "nobody is accountable for this flag's location (no grid cell covers it, or every cell above it is vacant); fix the grid or its staffing, or reject the flag",
      { routing },
    )
  }
  const category = (await findCategory(tx, flag.category))!
  const calendar = await loadCalendar(tx, s)
  let due: ReturnType<typeof deadlines>
  try {
    due = deadlines(now, category, calendar)
    if (completeLimit) {
      due.complete_due_at = addLimit(now, completeLimit, calendar)
      // a rectification limit shorter than the category's acknowledgement limit: acknowledged by then too
      if (due.ack_due_at > due.complete_due_at) due.ack_due_at = due.complete_due_at
    }
  } catch (e) {
    // a limit the working calendar cannot reach (thousands of working days, or a calendar of holidays)
    if (!(e instanceof RangeError)) throw e
    throw conflict('limit_out_of_reach', `a deadline cannot be set: ${e.message}; shorten the limit`)
  }
  // the same request both registers and dispatches: the version goes up once more for the second step
  await repo.updateFlag(tx, id, flag.version + 1, now, { ...routing, state: to, dispatched_at: now, ...due })
  const details = {
    automatic: true,
    routing,
    people,
    ackDueAt: due.ack_due_at.toISOString(),
    completeDueAt: due.complete_due_at.toISOString(),
  }
  await repo.insertEvent(tx, {
    flagId: id,
    at: now,
    actor: actorOf(user),
    action: 'dispatch',
    fromState: 'registered',
    toState: to,
    details,
  })
  await repo.insertAssignees(
    tx,
    people.map((p) => ({
      flagId: id,
      personId: p.personId,
      cellId: routing.accountable_cell_id!,
      role: p.role,
      reason: 'dispatch' as const,
      at: now,
    })),
  )
  await notifyFlagAssigned(tx, s.notify, {
    flagId: id,
    personIds: people.map((p) => p.personId),
    reason: 'dispatch',
    at: now,
  })
  await insertAudit(tx, {
    actor: actorOf(user),
    action: 'dispatch',
    entityType: 'flag',
    entityId: id,
    before: { state: 'registered' },
    after: { state: to, ...details },
  })
}
