import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB, UserRole } from '../schema.js'

type Executor = Kysely<DB> | Transaction<DB>

const userColumns = ['id', 'login', 'display_name', 'role', 'person_id', 'is_demo', 'disabled'] as const

export function findUserByLogin(db: Executor, login: string) {
  return db
    .selectFrom('users')
    .select([...userColumns, 'password_hash', 'failed_signins', 'locked_until'])
    .where('login', '=', login)
    .executeTakeFirst()
}

export function findUserById(db: Executor, id: number) {
  return db.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst()
}

export function listUsers(db: Executor) {
  return db
    .selectFrom('users')
    .select([...userColumns, 'created_at'])
    .orderBy('login')
    .execute()
}

export function countUsers(db: Executor, role?: UserRole) {
  let q = db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'))
  if (role) q = q.where('role', '=', role)
  return q.executeTakeFirstOrThrow().then((r) => Number(r.n))
}

export function insertUser(
  db: Executor,
  user: {
    login: string
    displayName: string
    role: UserRole
    personId: number | null
    passwordHash: string
    isDemo: boolean
  },
) {
  return db
    .insertInto('users')
    .values({
      login: user.login,
      display_name: user.displayName,
      role: user.role,
      person_id: user.personId,
      password_hash: user.passwordHash,
      is_demo: user.isDemo,
    })
    .returning(userColumns)
    .executeTakeFirstOrThrow()
}

export function setPassword(db: Executor, userId: number, passwordHash: string) {
  return db
    .updateTable('users')
    .set({ password_hash: passwordHash, failed_signins: 0, locked_until: null })
    .where('id', '=', userId)
    .executeTakeFirst()
}

/**
 * Claims one sign-in attempt for this account, in one statement so that parallel requests cannot all
 * pass: counts it as a failure up front (a success clears the count) and sets the lock when the count
 * reaches the limit. Returns nothing when the account is locked at `now`: no attempt may be made.
 * The count is not reset when a lock expires, so the first failure after a lock locks again.
 */
export function claimSigninAttempt(db: Executor, userId: number, now: Date, maxFailures: number, lockSeconds: number) {
  return sql<{ failed_signins: number; locked_until: Date | null }>`
    UPDATE users SET
      failed_signins = failed_signins + 1,
      locked_until = CASE WHEN failed_signins + 1 >= ${maxFailures}
                          THEN ${now}::timestamptz + make_interval(secs => ${lockSeconds})
                          ELSE locked_until END
    WHERE id = ${userId} AND (locked_until IS NULL OR locked_until <= ${now}::timestamptz)
    RETURNING failed_signins, locked_until`
    .execute(db)
    .then((r) => r.rows[0])
}

export function lockedUntil(db: Executor, userId: number) {
  return db
    .selectFrom('users')
    .select('locked_until')
    .where('id', '=', userId)
    .executeTakeFirst()
    .then((r) => r?.locked_until ?? null)
}

export function clearFailedSignins(db: Executor, userId: number) {
  return db.updateTable('users').set({ failed_signins: 0, locked_until: null }).where('id', '=', userId).execute()
}

export async function hasDemoUsers(db: Executor): Promise<boolean> {
  return (
    (await db.selectFrom('users').select('id').where('is_demo', '=', true).limit(1).executeTakeFirst()) !== undefined
  )
}
