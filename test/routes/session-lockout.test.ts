// Issue 11 item 3: the sign-in lock-out holds against parallel requests, and sign-ins, failures,
// lock-outs and sign-outs are in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../server/src/services/auth.service.js'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { signIn, testApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeAll(async () => {
  // the per-address rate limit is raised so that only the per-account lock-out is at work
  t = await testApp({ env: { SIGNIN_MAX_FAILURES: '5', SIGNIN_LOCK_SECONDS: '600', SIGNIN_RATE_PER_MINUTE: '100000' } })
})
afterAll(async () => t.close())

let counter = 0
async function newAccount() {
  const login = `target-${++counter}`
  const user = await createUser(t.database.db, SYSTEM_ACTOR, {
    login,
    displayName: login,
    role: 'inspector',
    password: TEST_PASSWORD,
  })
  return { login, id: user.id }
}

const attempt = (login: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/session', payload: { login, password } })

async function auditOf(userId: number) {
  return t.database.db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'actor_login', 'after'])
    .where('entity_type', '=', 'user')
    .where('entity_id', '=', String(userId))
    .orderBy('chain_pos')
    .execute()
}

describe('POST /api/session lock-out under parallel requests', () => {
  it('gives 60 parallel wrong passwords exactly SIGNIN_MAX_FAILURES password checks, then refuses the right one', async () => {
    const { login, id } = await newAccount()
    const results = await Promise.all(Array.from({ length: 60 }, () => attempt(login, 'wrong password!')))
    const statuses = results.map((r) => r.statusCode)
    expect(statuses.filter((s) => s === 401)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(55)
    for (const r of results.filter((r) => r.statusCode === 429)) expect(r.json().error.code).toBe('signin_locked')

    const right = await attempt(login, TEST_PASSWORD)
    expect(right.statusCode).toBe(429)
    expect(right.json().error.code).toBe('signin_locked')

    // counted independently of the HTTP answers: one audit row per real password check, and the counter
    const rows = await auditOf(id)
    expect(rows.filter((r) => r.action === 'sign_in_failed')).toHaveLength(5)
    expect(rows.filter((r) => r.action === 'sign_in_locked')).toHaveLength(1)
    expect(rows.filter((r) => r.action === 'sign_in')).toHaveLength(0)
    const user = await t.database.db
      .selectFrom('users')
      .select(['failed_signins', 'locked_until'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(user.failed_signins).toBe(5)
    expect(user.locked_until!.getTime()).toBe(t.clock.now.getTime() + 600_000)
    const sessions = await t.database.db.selectFrom('sessions').select('id').where('user_id', '=', id).execute()
    expect(sessions).toHaveLength(0)
  })

  it('refuses a locked account with 429 before any password check (no failure is counted)', async () => {
    const { login, id } = await newAccount()
    for (let i = 0; i < 5; i++) expect((await attempt(login, 'wrong password!')).statusCode).toBe(401)
    for (let i = 0; i < 3; i++) expect((await attempt(login, 'wrong password!')).statusCode).toBe(429)
    const user = await t.database.db
      .selectFrom('users')
      .select('failed_signins')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(user.failed_signins).toBe(5)
    expect((await auditOf(id)).filter((r) => r.action === 'sign_in_failed')).toHaveLength(5)
  })

  it('lets the right password in after the lock passes, and a later failure locks again at once', async () => {
    const { login, id } = await newAccount()
    for (let i = 0; i < 5; i++) await attempt(login, 'wrong password!')
    t.clock.now = new Date(t.clock.now.getTime() + 601_000)
    expect((await attempt(login, TEST_PASSWORD)).statusCode).toBe(200)
    const cleared = await t.database.db
      .selectFrom('users')
      .select(['failed_signins', 'locked_until'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(cleared).toEqual({ failed_signins: 0, locked_until: null })
    // after a success, five new failures are allowed again
    const again = await Promise.all(Array.from({ length: 8 }, () => attempt(login, 'wrong password!')))
    expect(again.filter((r) => r.statusCode === 401)).toHaveLength(5)
  })
})

describe('audit of sign-in and sign-out', () => {
  it('records a failure with the address and the count, a lock-out, a sign-in and a sign-out', async () => {
    const { login, id } = await newAccount()
    expect((await attempt(login, 'wrong password!')).statusCode).toBe(401)
    const s = await signIn(t, login, TEST_PASSWORD)
    expect((await t.app.inject({ method: 'DELETE', url: '/api/session', headers: s.headers })).statusCode).toBe(204)
    const rows = await auditOf(id)
    expect(rows.map((r) => r.action)).toEqual(['create', 'sign_in_failed', 'sign_in', 'sign_out'])
    expect(rows[1]).toMatchObject({
      actor_id: null,
      actor_login: 'anonymous',
      after: { address: '127.0.0.1', failedSignins: 1 },
    })
    expect(rows[3]).toMatchObject({ actor_id: id, actor_login: login })
  })

  it('records a failed sign-in for a login that does not exist, without an account', async () => {
    const before = await t.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'sign_in_failed')
      .where('entity_id', 'is', null)
      .execute()
    expect((await attempt('no-such-login', 'whatever pw')).statusCode).toBe(401)
    const after = await t.database.db
      .selectFrom('audit_log')
      .select(['id', 'reason'])
      .where('action', '=', 'sign_in_failed')
      .where('entity_id', 'is', null)
      .execute()
    expect(after.length - before.length).toBe(1)
    expect(after.at(-1)!.reason).toBe('unknown login')
  })
})
