import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import { buildApp } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { detectCapabilities } from '../../server/src/db/database.js'
import { signedIn, signIn, testApp, TEST_PASSWORD, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp({
    env: {
      SIGNIN_MAX_FAILURES: '3',
      SIGNIN_LOCK_SECONDS: '60',
      SESSION_TTL_HOURS: '1',
      SIGNIN_RATE_PER_MINUTE: '1000',
    },
  })
})
afterAll(async () => t.close())

const countRows = async (table: 'sessions' | 'users' | 'people') =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('POST /api/session', () => {
  it('signs in with an HttpOnly, SameSite=Strict, Secure cookie and never returns the password or its hash', async () => {
    const { login } = await signedIn(t, 'viewer')
    const res = await t.app.inject({ method: 'POST', url: '/api/session', payload: { login, password: TEST_PASSWORD } })
    expect(res.statusCode).toBe(200)
    const cookie = res.cookies.find((c) => c.name === 'everyinch_session')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true, path: '/' })
    expect(res.body).not.toContain(TEST_PASSWORD)
    expect(res.body).not.toContain('scrypt$')
    const stored = await t.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('login', '=', login)
      .executeTakeFirstOrThrow()
    expect(stored.password_hash).toMatch(/^scrypt\$/)
    expect(stored.password_hash).not.toContain(TEST_PASSWORD)
  })

  it('rejects a wrong password with 401 and creates no session', async () => {
    const { login } = await signedIn(t, 'viewer')
    const before = await countRows('sessions')
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { login, password: 'not the password' },
    })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('signin_failed')
    expect(await countRows('sessions')).toBe(before)
  })

  it('locks an account after repeated failures, even against the right password, until the lock passes', async () => {
    const { login } = await signedIn(t, 'inspector')
    for (let i = 0; i < 3; i++) {
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/session', payload: { login, password: 'wrong wrong' } }))
          .statusCode,
      ).toBe(401)
    }
    const locked = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { login, password: TEST_PASSWORD },
    })
    expect(locked.statusCode).toBe(429)
    expect(locked.json().error).toMatchObject({ code: 'signin_locked', details: { retryAfter: 60 } })
    t.clock.now = new Date(t.clock.now.getTime() + 61_000)
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { login, password: TEST_PASSWORD },
    })
    expect(after.statusCode).toBe(200)
  })

  it('rate-limits sign-in attempts per address', async () => {
    const limited = await testApp({ env: { SIGNIN_RATE_PER_MINUTE: '3' } })
    try {
      const attempt = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/session',
          payload: { login: 'nobody', password: 'whatever pw' },
        })
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401)
      const res = await attempt()
      expect(res.statusCode).toBe(429)
      expect(res.json().error.code).toBe('signin_rate_limited')
    } finally {
      await limited.close()
    }
  })
})

describe('sessions', () => {
  it('expire after SESSION_TTL_HOURS', async () => {
    const s = await signedIn(t, 'viewer')
    expect((await t.app.inject({ method: 'GET', url: '/api/regions', headers: s.headers })).statusCode).toBe(200)
    t.clock.now = new Date(t.clock.now.getTime() + 3600_000 + 1000)
    const res = await t.app.inject({ method: 'GET', url: '/api/regions', headers: s.headers })
    expect(res.statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: s.headers })).statusCode).toBe(401)
  })

  it('end at sign-out', async () => {
    const s = await signedIn(t, 'viewer')
    expect((await t.app.inject({ method: 'DELETE', url: '/api/session', headers: s.headers })).statusCode).toBe(204)
    expect((await t.app.inject({ method: 'GET', url: '/api/regions', headers: s.headers })).statusCode).toBe(401)
  })

  it('accept the bearer token for API clients, without CSRF', async () => {
    const s = await signedIn(t, 'admin')
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { authorization: `Bearer ${s.token}` },
      payload: { name: 'Bearer-made' },
    })
    expect(res.statusCode).toBe(201)
  })
})

describe('CSRF', () => {
  it('refuses a cookie-authenticated change without the X-CSRF-Token header, and writes nothing', async () => {
    const s = await signedIn(t, 'admin')
    const before = await countRows('people')
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { cookie: s.headers.cookie },
      payload: { name: 'Forged' },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('csrf_failed')
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: { cookie: s.headers.cookie, 'x-csrf-token': 'guess' },
      payload: { name: 'Forged' },
    })
    expect(wrong.statusCode).toBe(403)
    expect(await countRows('people')).toBe(before)
  })
})

describe('hardening', () => {
  it('sends security headers and no CORS header by default', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'https://evil.example' } })
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('refuses a body over the size limit with 413 in the one error shape', async () => {
    const s = await signedIn(t, 'admin')
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: s.headers,
      payload: { name: 'x'.repeat(2_000_000) },
    })
    expect(res.statusCode).toBe(413)
    expect(res.json().error.code).toBe('body_too_large')
  })

  it('never logs the password or the session token', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const config = loadConfig({ WEB_DIST: '/nonexistent', SIGNIN_RATE_PER_MINUTE: '1000' })
    const app = await buildApp({
      config,
      database: t.database,
      capabilities: await detectCapabilities(t.database.db),
      logger: {
        level: 'trace',
        stream,
        redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
      },
    })
    try {
      const { login } = await signedIn(t, 'viewer')
      const s = await signIn({ ...t, app }, login, TEST_PASSWORD)
      await app.inject({ method: 'GET', url: '/api/regions', headers: s.headers })
      await app.inject({ method: 'POST', url: '/api/session', payload: { login, password: 'wrong secret 123' } })
      const log = lines.join('')
      expect(log.length).toBeGreaterThan(0)
      expect(log).toContain('/api/session')
      expect(log).not.toContain(TEST_PASSWORD)
      expect(log).not.toContain('wrong secret 123')
      expect(log).not.toContain(s.token)
    } finally {
      await app.close()
    }
  })
})

describe('public map setting', () => {
  it('is off by default: anonymous reads get 401', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/cells' })).statusCode).toBe(401)
  })

  it('when on, lets anonymous visitors read names but never phone numbers', async () => {
    const pub = await testApp({ env: { PUBLIC_MAP: 'true' } })
    try {
      const f = factories(pub.database.db)
      const region = await f.region('P1', box(113, 35, 113.01, 35.01))
      const cell = await f.cell({ regionId: region.id, code: 'P1', level: 1, geometry: box(113, 35, 113.01, 35.01) })
      await f.staff(cell.id, ['王伟', '李娜'])
      const anon = await pub.app.inject({ method: 'GET', url: '/api/cells?region=P1' })
      expect(anon.statusCode).toBe(200)
      const people = anon.json().features[0].properties.people as { name: string; phone: string | null }[]
      expect(people.map((p) => p.name).sort()).toEqual(['李娜', '王伟'])
      expect(people.every((p) => p.phone === null)).toBe(true)
      expect(anon.body).not.toContain('1390000000')
      const s = await signedIn(pub, 'viewer')
      const signed = await pub.app.inject({ method: 'GET', url: '/api/cells?region=P1', headers: s.headers })
      expect(signed.body).toContain('13900000001')
      // changes still need an account
      expect((await pub.app.inject({ method: 'POST', url: '/api/people', payload: { name: 'x' } })).statusCode).toBe(
        401,
      )
    } finally {
      await pub.close()
    }
  })
})
