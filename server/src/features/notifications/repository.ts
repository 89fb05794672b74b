// SQL of the notifications table and the webhook outbox: who is told (users of people, officers of a
// unit), storing notifications once (the unique key drops a repeated event), reading, marking read,
// and the outbox the delivery loop works through.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface NewNotificationRow {
  user_id: number
  kind: string
  subject_type: string
  subject_id: number
  event_key: string
  payload: Record<string, unknown>
  created_at: Date
  read_at?: Date | null
}

export interface NotificationRow {
  id: number
  user_id: number
  kind: string
  subject_type: string
  subject_id: number
  event_key: string
  payload: Record<string, unknown>
  created_at: Date
  read_at: Date | null
}

const COLUMNS = [
  'id',
  'user_id',
  'kind',
  'subject_type',
  'subject_id',
  'event_key',
  'payload',
  'created_at',
  'read_at',
] as const

const toRow = (r: Record<string, unknown>): NotificationRow => ({
  ...(r as unknown as NotificationRow),
  id: Number(r.id),
  payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
})

/** Enabled accounts acting for any of these people. */
export async function usersOfPeople(db: Executor, personIds: number[]): Promise<number[]> {
  if (personIds.length === 0) return []
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('person_id', 'in', personIds)
    .where('disabled', '=', false)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.id)
}

/** Enabled unit-officer accounts of a unit: its head's and its liaisons' (those who file its ledger). */
export async function officersOfUnit(db: Executor, unitId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT u.id FROM users u
    WHERE u.role = 'unit_officer' AND NOT u.disabled AND u.person_id IN (
      SELECT head_person_id FROM units WHERE id = ${unitId} AND head_person_id IS NOT NULL
      UNION SELECT person_id FROM unit_liaisons WHERE unit_id = ${unitId})
    ORDER BY u.id`.execute(db)
  return rows.map((r) => r.id)
}

/** What a flag's message says: its category, the start of its description, the cell it is with. */
export async function flagFacts(db: Executor, flagId: number) {
  const { rows } = await sql<{ category: string; description: string; cell_code: string | null }>`
    SELECT f.category, left(f.description, 80) AS description, c.code AS cell_code
    FROM flags f LEFT JOIN grid_cells c ON c.id = COALESCE(f.escalated_to_cell_id, f.accountable_cell_id)
    WHERE f.id = ${flagId}`.execute(db)
  return rows[0]
}

/** What a ledger entry's message says: its measure and month. */
export async function entryFacts(db: Executor, entryId: number) {
  return db
    .selectFrom('ledger_entries as e')
    .innerJoin('measures as m', 'm.id', 'e.measure_id')
    .select(['e.unit_id', 'm.code', 'm.title', sql<string>`to_char(e.month, 'YYYY-MM')`.as('month')])
    .where('e.id', '=', entryId)
    .executeTakeFirst()
}

/** Stores notifications; one already there (same user, kind, subject and event) is skipped. Returns the new ones. */
export async function insertNotifications(db: Executor, rows: NewNotificationRow[]): Promise<NotificationRow[]> {
  if (rows.length === 0) return []
  const inserted = await db
    .insertInto('notifications')
    .values(rows.map((r) => ({ ...r, payload: JSON.stringify(r.payload), read_at: r.read_at ?? null })))
    .onConflict((oc) => oc.columns(['user_id', 'kind', 'subject_type', 'subject_id', 'event_key']).doNothing())
    .returning(COLUMNS)
    .execute()
  return inserted.map(toRow)
}

export async function listNotifications(
  db: Executor,
  userId: number,
  f: { unread: boolean; limit: number; offset: number },
): Promise<{ rows: NotificationRow[]; total: number }> {
  let q = db.selectFrom('notifications').where('user_id', '=', userId)
  if (f.unread) q = q.where('read_at', 'is', null)
  const [rows, total] = await Promise.all([
    f.limit === 0
      ? Promise.resolve([])
      : q.select(COLUMNS).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows: rows.map(toRow), total: Number(total.n) }
}

/** Unread stored notifications per kind. */
export async function unreadByKind(db: Executor, userId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('notifications')
    .select(['kind', (eb) => eb.fn.countAll().as('n')])
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .groupBy('kind')
    .execute()
  return new Map(rows.map((r) => [r.kind, Number(r.n)]))
}

/** The keys (kind:subject_type:subject_id:event_key) of the user's stored notifications among these. */
export async function storedKeys(db: Executor, userId: number, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const { rows } = await sql<{ key: string }>`
    SELECT kind || ':' || subject_type || ':' || subject_id || ':' || event_key AS key FROM notifications
    WHERE user_id = ${userId} AND kind || ':' || subject_type || ':' || subject_id || ':' || event_key = ANY(${keys}::text[])`.execute(
    db,
  )
  return new Set(rows.map((r) => r.key))
}

/** Which of these ids are the user's notifications. */
export async function notificationIdsOf(db: Executor, userId: number, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('notifications')
    .select('id')
    .where('user_id', '=', userId)
    .where('id', 'in', ids)
    .execute()
  return new Set(rows.map((r) => Number(r.id)))
}

/** The ids of the user's stored notifications with these keys. */
export async function idsOfKeys(db: Executor, userId: number, keys: string[]): Promise<number[]> {
  if (keys.length === 0) return []
  const { rows } = await sql<{ id: string | number }>`
    SELECT id FROM notifications
    WHERE user_id = ${userId} AND kind || ':' || subject_type || ':' || subject_id || ':' || event_key = ANY(${keys}::text[])`.execute(
    db,
  )
  return rows.map((r) => Number(r.id))
}

/** Marks the user's unread notifications read: these ids, or all created at or before `upTo`. */
export async function markRead(
  db: Executor,
  userId: number,
  by: { ids: number[]; upTo: Date | null },
  now: Date,
): Promise<number[]> {
  if (by.ids.length === 0 && by.upTo === null) return []
  const rows = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(by.ids.length ? [eb('id', 'in', by.ids)] : []),
        ...(by.upTo ? [eb('created_at', '<=', by.upTo)] : []),
      ]),
    )
    .returning('id')
    .execute()
  return rows.map((r) => Number(r.id))
}

// ------------------------------------------------------------------------------------------ outbox

export async function enqueueDeliveries(db: Executor, ids: number[], now: Date) {
  if (ids.length === 0) return
  await db
    .insertInto('notification_deliveries')
    .values(ids.map((id) => ({ notification_id: id, next_attempt_at: now, created_at: now })))
    .onConflict((oc) => oc.column('notification_id').doNothing())
    .execute()
}

export interface DueDelivery {
  notification: NotificationRow
  attempts: number
  login: string
}

/**
 * Claims the oldest due deliveries: their next attempt moves to `leaseUntil`, so another loop (another
 * server process) skips them while this one posts, and a process that dies mid-post leaves them to be
 * retried once the lease ends. No transaction stays open during the POST.
 */
export async function claimDueDeliveries(
  db: Executor,
  now: Date,
  limit: number,
  leaseUntil: Date,
): Promise<DueDelivery[]> {
  const { rows } = await sql<{ notification_id: string | number; attempts: number }>`
    UPDATE notification_deliveries SET next_attempt_at = ${leaseUntil}
    WHERE notification_id IN (
      SELECT notification_id FROM notification_deliveries
      WHERE delivered_at IS NULL AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at, notification_id LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING notification_id, attempts`.execute(db)
  if (rows.length === 0) return []
  const ids = rows.map((r) => Number(r.notification_id))
  const attempts = new Map(rows.map((r) => [Number(r.notification_id), r.attempts]))
  const found = await db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select([...COLUMNS.map((c) => `n.${c}` as const), 'u.login'])
    .where('n.id', 'in', ids)
    .orderBy('n.id')
    .execute()
  return found.map((r) => ({ notification: toRow(r), attempts: attempts.get(Number(r.id)) ?? 0, login: r.login }))
}

export async function recordDelivery(
  db: Executor,
  id: number,
  outcome: { deliveredAt: Date } | { error: string; nextAttemptAt: Date },
) {
  await db
    .updateTable('notification_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      ...('deliveredAt' in outcome
        ? { delivered_at: outcome.deliveredAt, last_error: null }
        : { last_error: outcome.error.slice(0, 500), next_attempt_at: outcome.nextAttemptAt }),
    }))
    .where('notification_id', '=', id)
    .execute()
}
