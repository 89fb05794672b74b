// The bell: a user's notifications (newest first), their unread counts per kind, and marking them read.
// Reminders are derived on every read and never stored until their recipient marks them read (then
// they are kept, read, so they do not come back): a deadline within one working day of an open flag
// assigned to the user's person or of an unsubmitted ledger entry of their units (unit officers), and
// each accepted object in their cells whose patrols this month are behind what its risk level requires.
// A reminder whose condition has passed (the flag acknowledged, the object visited) simply disappears.
import type { Kysely, Transaction } from 'kysely'
import type {
  MarkReadBody,
  MarkReadResult,
  Notification,
  NotificationKind,
  NotificationList,
  NotificationListQuery,
  NotificationSummary,
  SubjectType,
} from '../../contract/notifications.js'
import { NOTIFICATION_KINDS, REMINDER_KINDS } from '../../contract/notifications.js'
import type { DB, UserRole } from '../../db/schema.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { badRequest, notFound } from '../../errors.js'
import { isoDay } from '../../services/dates.js'
import { addWorkingHours } from '../../services/working-time.js'
import { loadCalendar } from '../flags/service-calendar.js'
import type { FlagSettings } from '../flags/settings.js'
import { objectsBehindInCells } from '../patrols/completion.js'
import { unitsOfPerson } from '../units/service.js'
import * as repo from './repository.js'
import { entriesDueFor, flagsDueFor, personCells } from './repository-reminders.js'

export interface Recipient {
  id: number
  login: string
  role: UserRole
  personId: number | null
}

const keyOf = (n: { kind: string; subject_type: string; subject_id: number; event_key: string }) =>
  `${n.kind}:${n.subject_type}:${n.subject_id}:${n.event_key}`

const iso = (d: Date | string) => new Date(d).toISOString()

/** One working day of working time (the sum of the working periods), in hours. */
export const workingDayHours = (s: FlagSettings) => s.workingHours.reduce((h, p) => h + (p.end - p.start) / 60, 0)

/** The user's reminders now, as drafts of notifications (not stored), newest deadline last. */
export async function reminders(db: Kysely<DB> | Transaction<DB>, s: FlagSettings, user: Recipient, now: Date) {
  if (user.personId === null) return []
  const cal = await loadCalendar(db, s)
  const horizon = addWorkingHours(now, workingDayHours(s), cal)
  const units = user.role === 'unit_officer' ? await unitsOfPerson(db, user.personId) : []
  const [flags, entries, cells] = await Promise.all([
    flagsDueFor(db, user.personId, now, horizon),
    entriesDueFor(db, units, now, horizon),
    personCells(db, user.personId, isoDay(now, s.timeZone)),
  ])
  const month = isoDay(now, s.timeZone).slice(0, 7)
  const behind = await objectsBehindInCells(db, cells, month, s.timeZone)
  const drafts: repo.NewNotificationRow[] = [
    ...[...flags, ...entries].map((d) => ({
      user_id: user.id,
      kind: 'deadline_soon',
      subject_type: d.limit === 'ledger' ? 'ledger_entry' : 'flag',
      subject_id: d.id,
      event_key: `${d.limit}@${iso(d.due_at)}`,
      payload:
        d.limit === 'ledger'
          ? {
              limit: d.limit,
              dueAt: iso(d.due_at),
              measureCode: d.measure_code,
              measureTitle: d.measure_title,
              month: d.month,
            }
          : {
              limit: d.limit,
              dueAt: iso(d.due_at),
              category: d.label,
              ...(d.cell_code ? { cellCode: d.cell_code } : {}),
            },
      created_at: now,
    })),
    ...behind.map((o) => ({
      user_id: user.id,
      kind: 'patrol_due',
      subject_type: 'supervised_object',
      subject_id: o.objectId,
      event_key: month,
      payload: {
        month,
        objectCode: o.code,
        objectName: o.name,
        cellCode: o.cellCode,
        requiredVisits: o.requiredVisits,
        visitsMade: o.visitsMade,
      },
      created_at: now,
    })),
  ]
  const stored = await repo.storedKeys(db, user.id, drafts.map(keyOf))
  return drafts.filter((d) => !stored.has(keyOf(d)))
}

function toApi(n: repo.NotificationRow | repo.NewNotificationRow, id: number | null): Notification {
  return {
    id,
    key: keyOf(n),
    kind: n.kind as NotificationKind,
    reminder: (REMINDER_KINDS as readonly string[]).includes(n.kind),
    subject: { type: n.subject_type as SubjectType, id: n.subject_id },
    payload: n.payload as Notification['payload'],
    createdAt: iso(n.created_at),
    readAt: n.read_at ? iso(n.read_at) : null,
  }
}

/** Newest first: the reminders (they are about now), then the stored notifications. */
export async function listNotifications(
  db: Kysely<DB>,
  s: FlagSettings,
  user: Recipient,
  q: NotificationListQuery,
  now: Date,
): Promise<NotificationList> {
  const limit = q.limit ?? 50
  const offset = q.offset ?? 0
  const derived = await reminders(db, s, user, now)
  const fromDerived = derived.slice(offset, offset + limit)
  const stored = await repo.listNotifications(db, user.id, {
    unread: q.unread ?? false,
    limit: limit - fromDerived.length,
    offset: Math.max(0, offset - derived.length),
  })
  return {
    at: now.toISOString(),
    total: derived.length + stored.total,
    items: [...fromDerived.map((d) => toApi(d, null)), ...stored.rows.map((r) => toApi(r, r.id))],
  }
}

export async function notificationSummary(
  db: Kysely<DB>,
  s: FlagSettings,
  user: Recipient,
  now: Date,
): Promise<NotificationSummary> {
  const [byKind, derived] = await Promise.all([repo.unreadByKind(db, user.id), reminders(db, s, user, now)])
  for (const d of derived) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1)
  const counts = Object.fromEntries(
    NOTIFICATION_KINDS.map((k) => [k, byKind.get(k) ?? 0]),
  ) as NotificationSummary['byKind']
  return { unread: Object.values(counts).reduce((a, b) => a + b, 0), byKind: counts }
}

/**
 * Marks notifications read: stored ones by id or all created up to a time, reminders by key (stored
 * then, read). Every id must be the user's notification and every key one of their reminders now (or
 * already stored), else 404 naming them and nothing changes. Audited, like every write.
 */
export async function markRead(
  db: Kysely<DB>,
  s: FlagSettings,
  user: Recipient,
  actor: Actor,
  body: MarkReadBody,
  now: Date,
): Promise<MarkReadResult> {
  const ids = [...new Set(body.ids ?? [])]
  const keys = [...new Set(body.keys ?? [])]
  if (ids.length === 0 && keys.length === 0 && body.upTo === undefined)
    throw badRequest('invalid_request', 'give "ids", "keys" or "upTo": which notifications to mark read')
  const upTo = body.upTo === undefined ? null : new Date(body.upTo)
  // the supported years, as for every date (contract/common.ts): PostgreSQL has no year 0
  if (upTo && (Number.isNaN(upTo.getTime()) || upTo.getUTCFullYear() < 1900 || upTo.getUTCFullYear() > 2999))
    throw badRequest(
      'invalid_request',
      `body property "upTo" must be a date-time from 1900 to 2999, got ${JSON.stringify(body.upTo)}`,
    )
  return db.transaction().execute(async (tx) => {
    if (ids.length) {
      const mine = await repo.notificationIdsOf(tx, user.id, ids)
      const missing = ids.filter((id) => !mine.has(id))
      if (missing.length) throw notFound('notification', missing.join(','))
    }
    let fromKeys: repo.NewNotificationRow[] = []
    if (keys.length) {
      const current = new Map((await reminders(tx, s, user, now)).map((d) => [keyOf(d), d]))
      const stored = await repo.storedKeys(tx, user.id, keys)
      const missing = keys.filter((k) => !current.has(k) && !stored.has(k))
      if (missing.length) throw notFound('reminder', missing.join(','))
      fromKeys = keys.filter((k) => current.has(k)).map((k) => ({ ...current.get(k)!, read_at: now }))
    }
    const marked = await repo.markRead(
      tx,
      user.id,
      { ids: [...ids, ...(await repo.idsOfKeys(tx, user.id, keys))], upTo },
      now,
    )
    const kept = await repo.insertNotifications(tx, fromKeys)
    const count = marked.length + kept.length
    if (count > 0)
      await insertAudit(tx, {
        actor,
        action: 'read',
        entityType: 'notification',
        entityId: null,
        after: { ids: [...marked, ...kept.map((k) => k.id)].sort((a, b) => a - b), upTo: upTo?.toISOString() },
      })
    const left = await repo.unreadByKind(tx, user.id)
    const derivedLeft = (await reminders(tx, s, user, now)).length
    return { marked: count, unread: [...left.values()].reduce((a, b) => a + b, 0) + derivedLeft }
  })
}
