// Sign-in, sessions and accounts. Sessions live in the database; the client holds only a random
// token (cookie or bearer header) whose SHA-256 is the session id.
import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB, UserRole } from '../db/schema.js'
import * as users from '../db/repositories/users.repository.js'
import * as sessions from '../db/repositories/sessions.repository.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'
import { findPerson } from '../db/repositories/people.repository.js'
import { AppError, badRequest, conflict, notFound } from '../errors.js'
import { DUMMY_HASH, MIN_PASSWORD_LENGTH, generatePassword, hashPassword, verifyPassword } from './passwords.js'

export interface SessionUser {
  id: number
  login: string
  displayName: string
  role: UserRole
  personId: number | null
  isDemo: boolean
}

export interface ResolvedSession {
  user: SessionUser
  sessionId: string
  csrfToken: string
  expiresAt: Date
}

export interface AuthSettings {
  sessionTtlHours: number
  signinMaxFailures: number
  signinLockSeconds: number
}

export const ROLES: readonly UserRole[] = ['admin', 'supervisor', 'inspector', 'viewer', 'unit_officer']

const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex')

/** Who signs in is not known until the password is checked: failures are recorded as anonymous. */
const ANONYMOUS: Actor = { id: null, login: 'anonymous' }

function lockedError(until: Date | null, now: Date, lockSeconds: number) {
  const retryAfter = Math.max(1, until ? Math.ceil((until.getTime() - now.getTime()) / 1000) : lockSeconds)
  return new AppError(429, 'signin_locked', `too many failed sign-ins; try again in ${retryAfter} s`, { retryAfter })
}

/**
 * The lock is checked before the password, and every attempt on an existing account first claims a slot
 * in one UPDATE (users.claimSigninAttempt): of N parallel attempts only those up to the limit get a
 * password check, the rest are refused with 429 without one.
 */
export async function signIn(
  db: Kysely<DB>,
  settings: AuthSettings,
  now: Date,
  login: string,
  password: string,
  address?: string,
): Promise<{ token: string; session: ResolvedSession }> {
  const user = await users.findUserByLogin(db, login.trim().toLowerCase())
  if (!user) {
    await verifyPassword(password, DUMMY_HASH) // same time as a real check: does not reveal which logins exist
    await insertAudit(db, {
      actor: ANONYMOUS,
      action: 'sign_in_failed',
      entityType: 'user',
      entityId: null,
      reason: 'unknown login',
      after: { address },
    })
    throw new AppError(401, 'signin_failed', 'login or password is wrong')
  }
  if (user.locked_until && user.locked_until > now)
    throw lockedError(user.locked_until, now, settings.signinLockSeconds)
  const claim = await users.claimSigninAttempt(db, user.id, now, settings.signinMaxFailures, settings.signinLockSeconds)
  if (!claim) throw lockedError(await users.lockedUntil(db, user.id), now, settings.signinLockSeconds)
  const ok = await verifyPassword(password, user.password_hash)
  if (!ok || user.disabled) {
    const failure = { address, failedSignins: claim.failed_signins }
    await insertAudit(db, {
      actor: ANONYMOUS,
      action: 'sign_in_failed',
      entityType: 'user',
      entityId: user.id,
      reason: ok ? 'account disabled' : 'wrong password',
      after: failure,
    })
    if (claim.locked_until && claim.locked_until > now) {
      await insertAudit(db, {
        actor: ANONYMOUS,
        action: 'sign_in_locked',
        entityType: 'user',
        entityId: user.id,
        after: { ...failure, lockedUntil: claim.locked_until },
      })
    }
    throw new AppError(401, 'signin_failed', 'login or password is wrong')
  }
  await users.clearFailedSignins(db, user.id)
  const token = randomBytes(32).toString('base64url')
  const csrfToken = randomBytes(24).toString('base64url')
  const expiresAt = new Date(now.getTime() + settings.sessionTtlHours * 3600_000)
  const sessionId = sessionIdOf(token)
  await sessions.insertSession(db, { id: sessionId, userId: user.id, csrfToken, createdAt: now, expiresAt })
  await insertAudit(db, {
    actor: { id: user.id, login: user.login },
    action: 'sign_in',
    entityType: 'user',
    entityId: user.id,
  })
  return {
    token,
    session: {
      sessionId,
      csrfToken,
      expiresAt,
      user: {
        id: user.id,
        login: user.login,
        displayName: user.display_name,
        role: user.role,
        personId: user.person_id,
        isDemo: user.is_demo,
      },
    },
  }
}

export async function resolveSession(db: Kysely<DB>, token: string, now: Date): Promise<ResolvedSession | null> {
  const row = await sessions.findSessionUser(db, sessionIdOf(token))
  if (!row || row.disabled) return null
  if (row.expires_at <= now) {
    await sessions.deleteSession(db, row.session_id)
    return null
  }
  return {
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    user: {
      id: row.id,
      login: row.login,
      displayName: row.display_name,
      role: row.role,
      personId: row.person_id,
      isDemo: row.is_demo,
    },
  }
}

export async function signOut(db: Kysely<DB>, actor: Actor, sessionId: string) {
  await db.transaction().execute(async (tx) => {
    await sessions.deleteSession(tx, sessionId)
    await insertAudit(tx, { actor, action: 'sign_out', entityType: 'user', entityId: actor.id })
  })
}

function checkPassword(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw badRequest('weak_password', `password must have at least ${MIN_PASSWORD_LENGTH} characters`)
  }
}

/** Every account, by login. */
export function listAccounts(db: Kysely<DB>) {
  return users.listUsers(db)
}

/** Whether demo accounts exist (the web shows a demo banner). */
export function demoAccountsExist(db: Kysely<DB>) {
  return users.hasDemoUsers(db)
}

export async function createUser(
  db: Kysely<DB>,
  actor: Actor,
  input: {
    login: string
    displayName: string
    role: UserRole
    personId?: number | null
    password: string
    isDemo?: boolean
  },
) {
  const login = input.login.trim().toLowerCase()
  if (!/^[a-z0-9_.-]{3,64}$/.test(login)) {
    throw badRequest('invalid_login', 'login must be 3–64 characters of a-z, 0-9, "_", "." or "-"')
  }
  if (!ROLES.includes(input.role)) throw badRequest('invalid_role', `role must be one of ${ROLES.join(', ')}`)
  if ((input.role === 'supervisor' || input.role === 'unit_officer') && !input.personId) {
    const who = input.role === 'supervisor' ? 'a supervisor' : 'a unit officer'
    throw badRequest('person_required', `${who} account must be linked to a person (personId)`)
  }
  checkPassword(input.password)
  return db.transaction().execute(async (tx) => {
    if (await users.findUserByLogin(tx, login)) throw conflict('login_taken', `login "${login}" is already taken`)
    if (input.personId) {
      if (!(await findPerson(tx, input.personId))) throw notFound('person', input.personId)
    }
    const user = await users.insertUser(tx, {
      login,
      displayName: input.displayName,
      role: input.role,
      personId: input.personId ?? null,
      passwordHash: await hashPassword(input.password),
      isDemo: input.isDemo ?? false,
    })
    await insertAudit(tx, { actor, action: 'create', entityType: 'user', entityId: user.id, after: user })
    return user
  })
}

export async function resetPassword(db: Kysely<DB>, actor: Actor, login: string, password: string) {
  checkPassword(password)
  return db.transaction().execute(async (tx) => {
    const user = await users.findUserByLogin(tx, login.trim().toLowerCase())
    if (!user) throw notFound('user', login)
    await users.setPassword(tx, user.id, await hashPassword(password))
    await sessions.deleteUserSessions(tx, user.id)
    await insertAudit(tx, { actor, action: 'reset_password', entityType: 'user', entityId: user.id })
  })
}

/**
 * First start: an empty users table gets an admin. Its password is ADMIN_PASSWORD, or a generated one
 * that is returned (for printing once) and never stored in clear.
 */
export async function ensureAdmin(
  db: Kysely<DB>,
  configured: string | undefined,
): Promise<{ login: string; generatedPassword: string | null } | null> {
  if ((await users.countUsers(db, 'admin')) > 0) return null
  const password = configured ?? generatePassword()
  await createUser(
    db,
    { id: null, login: 'system' },
    { login: 'admin', displayName: 'Administrator', role: 'admin', password },
  )
  return { login: 'admin', generatedPassword: configured ? null : password }
}
