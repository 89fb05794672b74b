// The webhook sender against a real receiver (node:http on 127.0.0.1, a free port): with
// NOTIFY_WEBHOOK_URL set, each notification is put in the outbox in the transaction of its event; the
// delivery loop posts it as JSON, a failed POST (503) is recorded and retried after its backoff (the
// test moves the app's clock past it), never lost; stop() ends the loop cleanly, even with a POST in
// flight. No fixed sleeps: the test waits for the receiver's requests or polls the outbox.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import {
  FIRST_RETRY_MS,
  retryDelayMs,
  startWebhookDelivery,
  type DeliveryLoop,
} from '../../server/src/features/notifications/delivery.js'
import { flagApi, flagsWorld, point, POINTS, sh, type FlagsWorld } from './flags.helpers.js'

interface Received {
  body: any
  headers: IncomingMessage['headers']
  status: number
}

/** A receiver whose answers are decided per request; resolves waiters as requests arrive. */
function receiver() {
  const received: Received[] = []
  let answer: (n: number, res: ServerResponse) => void = (_n, res) => res.writeHead(200).end('ok')
  const waiters: { n: number; resolve: () => void }[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const n = received.length
      const r: Received = { body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers, status: 0 }
      received.push(r)
      const writeHead = res.writeHead.bind(res)
      res.writeHead = ((status: number, ...rest: unknown[]) => {
        r.status = status
        return (writeHead as (...a: unknown[]) => ServerResponse)(status, ...rest)
      }) as typeof res.writeHead
      answer(n, res)
      for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve()
    })
  })
  return {
    received,
    server,
    answerWith(f: typeof answer) {
      answer = f
    },
    /** resolves once `n` requests have arrived */
    until(n: number) {
      return received.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))
    },
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    },
  }
}

let t: TestApp
let w: FlagsWorld
let member: { userId: number; login: string }
const rx = receiver()
const log = { info: () => {}, error: () => {} }

beforeAll(async () => {
  const url = await rx.listen()
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760', SIGNIN_RATE_PER_MINUTE: '100000', NOTIFY_WEBHOOK_URL: url } })
  t.clock.now = sh('2026-11-30', '09:00')
  w = await flagsWorld(t, '2026-11-29')
  const m = await signedIn(t, 'inspector', w.people.v1Member)
  member = { userId: m.userId, login: m.login }
})
afterAll(async () => {
  await t.close()
  rx.server.closeAllConnections()
  await new Promise((resolve) => rx.server.close(resolve))
})

const outbox = async () =>
  (
    await sql<{
      notification_id: number
      user_id: number
      attempts: number
      delivered: boolean
      last_error: string | null
      next_attempt_at: Date
    }>`
      SELECT d.notification_id::int AS notification_id, n.user_id, d.attempts, d.delivered_at IS NOT NULL AS delivered,
             d.last_error, d.next_attempt_at
      FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id ORDER BY d.notification_id`.execute(
      t.database.db,
    )
  ).rows

/** polls a condition on the database (no fixed sleep: yields to the event loop between tries) */
async function eventually(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 20000; i++) {
    if (await check()) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error(`never happened: ${what}`)
}

describe('the webhook sender', () => {
  it('backoff doubles from 30 s to at most an hour', () => {
    expect([1, 2, 3, 4, 8, 20].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000])
  })

  let loop: DeliveryLoop | null = null
  it('outbox rows are written with the event; a 503 is retried after its backoff and then delivered', async () => {
    const api = flagApi(t)
    const f = await api.reportOk(w.inspector, { category: 'other', geometry: point(POINTS.village) })
    t.clock.now = sh('2026-11-30', '10:00')
    // before the loop runs: the dispatch wrote one delivery per account of C01001's people (chief, member)
    await api.actOk(w.admin, f.id, 'register')
    const queued = await outbox()
    expect(queued.map((d) => [d.attempts, d.delivered])).toEqual([
      [0, false],
      [0, false],
    ])
    expect(queued.map((d) => d.user_id)).toContain(member.userId)

    // the receiver refuses the first POST, accepts the rest
    rx.answerWith((n, res) => (n === 0 ? res.writeHead(503).end('busy') : res.writeHead(200).end('ok')))
    loop = startWebhookDelivery({
      db: t.database.db,
      url: t.config.notifyWebhookUrl!,
      now: () => t.clock.now,
      pollMs: 5,
      log,
    })
    await rx.until(2)
    await eventually(async () => (await outbox()).filter((d) => d.attempts > 0).length === 2, 'both attempted')
    const failedId = rx.received[0]!.body.id
    let rows = await outbox()
    const failed = rows.find((d) => d.notification_id === failedId)!
    expect(failed).toMatchObject({ attempts: 1, delivered: false, last_error: 'HTTP 503' })
    expect(new Date(failed.next_attempt_at).getTime()).toBe(t.clock.now.getTime() + FIRST_RETRY_MS)
    expect(rows.filter((d) => d.delivered)).toHaveLength(1)

    // not due yet: nothing more is posted while the clock stands still — until it passes the backoff
    expect(rx.received).toHaveLength(2)
    t.clock.now = new Date(t.clock.now.getTime() + FIRST_RETRY_MS)
    await rx.until(3)
    await eventually(async () => (await outbox()).every((d) => d.delivered), 'all delivered')
    rows = await outbox()
    expect(rows.find((d) => d.notification_id === failedId)).toMatchObject({ attempts: 2, last_error: null })
    expect(rx.received.map((r) => r.status)).toEqual([503, 200, 200])
    // the failed one was posted again, the same body; the key lets the receiver drop repeats
    expect(rx.received[2]!.body).toEqual(rx.received[0]!.body)
    const memberPost = rx.received.find((r) => r.body.user.id === member.userId)!
    expect(memberPost.headers['content-type']).toBe('application/json')
    expect(memberPost.headers['idempotency-key']).toBe(`notification-${memberPost.body.id}`)
    expect(memberPost.body).toEqual({
      id: memberPost.body.id,
      key: `flag_dispatched:flag:${f.id}:dispatch`,
      user: { id: member.userId, login: member.login },
      kind: 'flag_dispatched',
      subject: { type: 'flag', id: f.id },
      payload: { category: 'other', description: 'test', cellCode: 'C01001' },
      createdAt: sh('2026-11-30', '10:00').toISOString(),
    })
    await loop.stop()
  })

  it('a refused connection is an error to retry, not a loss', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const api = flagApi(t)
    const f = await api.reportOk(w.inspector, { category: 'other', geometry: point([113.0031, 35.0031]) })
    await api.actOk(w.admin, f.id, 'register')
    const l = startWebhookDelivery({
      db: t.database.db,
      url: `http://127.0.0.1:${port}/`,
      now: () => t.clock.now,
      pollMs: 5,
      log,
    })
    await eventually(
      async () => (await outbox()).filter((d) => !d.delivered && d.attempts === 1).length === 2,
      'two failures recorded',
    )
    await l.stop()
    const rows = (await outbox()).filter((d) => !d.delivered)
    expect(rows).toHaveLength(2)
    for (const d of rows) expect(d.last_error).toMatch(/ECONNREFUSED|fetch failed/)
  })

  it('stop() with a POST in flight: resolves, the delivery stays undelivered and is posted by the next loop', async () => {
    // the undelivered two are due again once the backoff has passed
    t.clock.now = new Date(t.clock.now.getTime() + FIRST_RETRY_MS)
    const before = rx.received.length
    const held: ServerResponse[] = []
    rx.answerWith((_n, res) => held.push(res))
    const l = startWebhookDelivery({
      db: t.database.db,
      url: t.config.notifyWebhookUrl!,
      now: () => t.clock.now,
      pollMs: 5,
      log,
    })
    await rx.until(before + 1)
    await l.stop()
    for (const res of held) res.writeHead(200).end('too late')
    const rows = (await outbox()).filter((d) => !d.delivered)
    expect(rows.map((d) => d.attempts)).toEqual([1, 1])

    // the next start (after the lease on the aborted one runs out) delivers both
    rx.answerWith((_n, res) => res.writeHead(200).end('ok'))
    t.clock.now = new Date(t.clock.now.getTime() + 60_000)
    const again = startWebhookDelivery({
      db: t.database.db,
      url: t.config.notifyWebhookUrl!,
      now: () => t.clock.now,
      pollMs: 5,
      log,
    })
    await eventually(async () => (await outbox()).every((d) => d.delivered), 'all delivered after restart')
    await again.stop()
    expect((await outbox()).length).toBe(4)
  })

  it('without NOTIFY_WEBHOOK_URL nothing goes to the outbox', async () => {
    const plain = await testApp({ env: { SESSION_TTL_HOURS: '8760', SIGNIN_RATE_PER_MINUTE: '100000' } })
    try {
      plain.clock.now = sh('2026-11-30', '09:00')
      const pw = await flagsWorld(plain, '2026-11-29')
      const api = flagApi(plain)
      const f = await api.reportOk(pw.inspector, { category: 'other', geometry: point(POINTS.village) })
      await api.actOk(pw.admin, f.id, 'register')
      const n = await sql<{ notes: number; out: number }>`
        SELECT (SELECT count(*)::int FROM notifications) AS notes,
               (SELECT count(*)::int FROM notification_deliveries) AS out`.execute(plain.database.db)
      // C01001's chief has an account (a supervisor); its member has none in this world
      expect(n.rows[0]).toEqual({ notes: 1, out: 0 })
    } finally {
      await plain.close()
    }
  })
})
