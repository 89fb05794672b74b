import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export function insertSession(
  db: Executor,
  s: { id: string; userId: number; csrfToken: string; createdAt: Date; expiresAt: Date },
) {
  return db
    .insertInto('sessions')
    .values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt })
    .execute()
}

export function findSessionUser(db: Executor, sessionId: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.csrf_token',
      'sessions.expires_at',
      'users.id',
      'users.login',
      'users.display_name',
      'users.role',
      'users.person_id',
      'users.disabled',
      'users.is_demo',
    ])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst()
}

export function deleteSession(db: Executor, sessionId: string) {
  return db.deleteFrom('sessions').where('id', '=', sessionId).execute()
}

export function deleteExpiredSessions(db: Executor, now: Date) {
  return db.deleteFrom('sessions').where('expires_at', '<', now).execute()
}

export function deleteUserSessions(db: Executor, userId: number) {
  return db.deleteFrom('sessions').where('user_id', '=', userId).execute()
}
