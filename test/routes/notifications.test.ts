// The bell for flags: a flag dispatched to a cell notifies the accounts of its responsible people (and
// nobody else), an escalation the accounts of the cell above; deadlines within one working day appear as
// reminders, derived on read and stored only once read; marking read by id, by key and up to a time;
// bad input is a 4xx naming the problem and changes nothing. Times are Shanghai wall-clock (UTC+8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { notifyFlagAssigned } from '../../server/src/features/notifications/service.js'
import { flagApi, flagsWorld, point, POINTS, sh, type FlagsWorld, type Headers } from './flags.helpers.js'

let t: TestApp
let w: FlagsWorld
let api: ReturnType<typeof flagApi>
/** an account for C01001's member (the chief's account is w.supV1) */
let member: Headers
/** an account for C01's member (the township; the chief's account is w.supT1) */
let t1Member: Headers

beforeAll(async () => {
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760', SIGNIN_RATE_PER_MINUTE: '100000' } })
  t.clock.now = sh('2026-11-30', '09:00')
  w = await flagsWorld(t, '2026-11-29')
  api = flagApi(t)
  member = (await signedIn(t, 'inspector', w.people.v1Member)).headers
  t1Member = (await signedIn(t, 'viewer', w.people.t1Member)).headers
})
afterAll(async () => t.close())

const get = async (headers: Headers, url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
const read = (headers: Headers, payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/notifications/read', headers, payload: payload as object })
const about = (list: { items: any[] }, flagId: number) => list.items.filter((n) => n.subject.id === flagId)
const stored = async () =>
  (
    await sql<{ n: number; unread: number; audit: number }>`
      SELECT (SELECT count(*)::int FROM notifications) AS n,
             (SELECT count(*)::int FROM notifications WHERE read_at IS NULL) AS unread,
             (SELECT count(*)::int FROM audit_log WHERE entity_type = 'notification') AS audit`.execute(t.database.db)
  ).rows[0]!

/** 'other': acknowledge within 1 working day, complete within 5 */
async function dispatched(at: readonly number[], reportedAt: Date, dispatchAt: Date) {
  t.clock.now = reportedAt
  const f = await api.reportOk(w.inspector, { category: 'other', geometry: point(at) })
  t.clock.now = dispatchAt
  return api.actOk(w.admin, f.id, 'register')
}

describe('a flag dispatched to a cell', () => {
  it("notifies the accounts of the cell's people, not the reporter, other cells or admins; deadlines a day ahead become reminders", async () => {
    // Monday 10:00: acknowledge by the end of Tuesday, complete by the end of the next Monday
    const f = await dispatched(POINTS.village, sh('2026-11-30', '09:00'), sh('2026-11-30', '10:00'))
    expect(f.ackDueAt).toBe(sh('2026-12-01', '18:00').toISOString())

    // one working day from Monday 10:00 (7.5 h: 2 + 4 on Monday, 1.5 on Tuesday) ends Tuesday 10:00:
    // the acknowledgement (Tuesday 18:00) is not yet within it
    for (const who of [w.supV1, member]) {
      const list = await get(who, '/api/notifications')
      expect(about(list, f.id)).toEqual([
        expect.objectContaining({
          kind: 'flag_dispatched',
          reminder: false,
          subject: { type: 'flag', id: f.id },
          payload: { category: 'other', description: 'test', cellCode: 'C01001' },
          createdAt: sh('2026-11-30', '10:00').toISOString(),
          readAt: null,
        }),
      ])
      expect(await get(who, '/api/notifications/summary')).toEqual({
        unread: 1,
        byKind: { flag_dispatched: 1, flag_escalated: 0, ledger_returned: 0, deadline_soon: 0, patrol_due: 0 },
      })
    }
    for (const who of [w.supV2, w.supT1, w.admin, w.inspector, w.viewer])
      expect(about(await get(who, '/api/notifications'), f.id)).toEqual([])

    // Tuesday 10:00: one working day ends Wednesday 10:00, so the acknowledgement limit is a reminder
    t.clock.now = sh('2026-12-01', '10:00')
    const list = await get(w.supV1, '/api/notifications')
    const reminder = about(list, f.id).find((n) => n.kind === 'deadline_soon')
    expect(reminder).toEqual({
      id: null,
      key: `deadline_soon:flag:${f.id}:ack@${f.ackDueAt}`,
      kind: 'deadline_soon',
      reminder: true,
      subject: { type: 'flag', id: f.id },
      payload: { limit: 'ack', dueAt: f.ackDueAt, category: 'other', cellCode: 'C01001' },
      createdAt: sh('2026-12-01', '10:00').toISOString(),
      readAt: null,
    })
    expect(list.items[0].key).toBe(reminder.key)
    expect((await get(w.supV1, '/api/notifications/summary')).byKind).toMatchObject({
      flag_dispatched: 1,
      deadline_soon: 1,
    })
    // derived on read: nothing stored for it
    expect(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications WHERE kind = 'deadline_soon'`.execute(
          t.database.db,
        )
      ).rows[0]!.n,
    ).toBe(0)

    // acknowledged: the reminder has nothing left to remind of, and disappears
    await api.actOk(w.supV1, f.id, 'acknowledge')
    expect(about(await get(w.supV1, '/api/notifications'), f.id).map((n) => n.kind)).toEqual(['flag_dispatched'])
  })

  it('the same event never notifies the same user twice', async () => {
    const f = await dispatched([113.0031, 35.0031], sh('2026-12-01', '09:00'), sh('2026-12-01', '09:30'))
    const before = await stored()
    await t.database.db.transaction().execute((tx) =>
      notifyFlagAssigned(
        tx,
        { webhook: false },
        {
          flagId: f.id,
          personIds: [w.people.v1Chief!, w.people.v1Member!, w.people.v1Chief!],
          reason: 'dispatch',
          at: sh('2026-12-01', '11:00'),
        },
      ),
    )
    expect(await stored()).toEqual(before)
    expect(
      about(await get(member, '/api/notifications'), f.id).filter((n) => n.kind === 'flag_dispatched'),
    ).toHaveLength(1)
  })

  it('an escalation notifies the accounts of the cell it goes up to, once per missed limit', async () => {
    const f = await dispatched([113.0041, 35.0041], sh('2026-12-02', '09:00'), sh('2026-12-02', '09:30'))
    // acknowledgement due Thursday 18:00; escalated on Friday to the township C01
    t.clock.now = sh('2026-12-04', '09:00')
    const esc = await t.app.inject({ method: 'POST', url: '/api/flags/escalate', headers: w.admin })
    expect(esc.statusCode, esc.body).toBe(200)
    expect(esc.json().escalated.filter((e: any) => e.flagId === f.id)).toEqual([
      expect.objectContaining({ limit: 'ack', toCellCode: 'C01' }),
    ])
    for (const who of [w.supT1, t1Member]) {
      expect(about(await get(who, '/api/notifications'), f.id)).toEqual([
        expect.objectContaining({
          kind: 'flag_escalated',
          payload: { category: 'other', description: 'test', cellCode: 'C01', limit: 'ack' },
          createdAt: sh('2026-12-04', '09:00').toISOString(),
        }),
      ])
    }
    // a second run escalates nothing more, and notifies nobody again
    const again = await t.app.inject({ method: 'POST', url: '/api/flags/escalate', headers: w.admin })
    expect(again.json().escalated.filter((e: any) => e.flagId === f.id)).toEqual([])
    expect(about(await get(w.supT1, '/api/notifications'), f.id)).toHaveLength(1)
    expect(about(await get(w.supT2, '/api/notifications'), f.id)).toEqual([])
  })
})

describe('POST /api/notifications/read', () => {
  it('marks by id, reminders by key (stored then, read) and everything up to a time; audited', async () => {
    const f = await dispatched([113.0051, 35.0051], sh('2026-12-07', '09:00'), sh('2026-12-07', '09:30'))
    // Tuesday 09:00: the acknowledgement (Tuesday 18:00) is within a working day
    t.clock.now = sh('2026-12-08', '09:00')
    const list = await get(member, '/api/notifications?unread=true')
    const event = about(list, f.id).find((n) => n.kind === 'flag_dispatched')
    const reminder = about(list, f.id).find((n) => n.kind === 'deadline_soon')
    const unreadBefore = (await get(member, '/api/notifications/summary')).unread
    const before = await stored()

    let res = await read(member, { ids: [event.id] })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ marked: 1, unread: unreadBefore - 1 })
    res = await read(member, { ids: [event.id] })
    expect(res.json()).toEqual({ marked: 0, unread: unreadBefore - 1 })

    res = await read(member, { keys: [reminder.key] })
    expect(res.json()).toEqual({ marked: 1, unread: unreadBefore - 2 })
    const after = await stored()
    // the reminder is kept, read; two audit rows (one per request that changed something)
    expect(after).toEqual({ n: before.n + 1, unread: before.unread - 1, audit: before.audit + 2 })
    const now = about(await get(member, '/api/notifications'), f.id)
    expect(now.map((n) => [n.kind, n.readAt])).toEqual([
      ['deadline_soon', sh('2026-12-08', '09:00').toISOString()],
      ['flag_dispatched', sh('2026-12-08', '09:00').toISOString()],
    ])
    expect(
      (await get(member, '/api/notifications?unread=true')).items.filter((n: any) => n.subject.id === f.id),
    ).toEqual([])

    // the chief's account is untouched by the member's reads
    expect(
      about(await get(w.supV1, '/api/notifications?unread=true'), f.id)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['deadline_soon', 'flag_dispatched'])
    // all up to a time: every stored notification created at or before it, none after
    res = await read(w.supV1, { upTo: sh('2026-12-07', '09:30').toISOString() })
    expect(res.statusCode).toBe(200)
    expect((await get(w.supV1, '/api/notifications/summary')).byKind.flag_dispatched).toBe(0)
    // the reminder is not stored, so no time marks it: it stays until read by key
    expect(about(await get(w.supV1, '/api/notifications?unread=true'), f.id).map((n) => n.kind)).toEqual([
      'deadline_soon',
    ])
  })

  it('bad input: 4xx naming the problem, nothing written', async () => {
    const f = await dispatched([113.0061, 35.0061], sh('2026-12-09', '09:00'), sh('2026-12-09', '09:30'))
    const mine = about(await get(member, '/api/notifications'), f.id)[0]
    const theirs = about(await get(w.supV1, '/api/notifications'), f.id)[0]
    const before = await stored()
    const cases: [unknown, number, string, RegExp][] = [
      [{}, 400, 'invalid_request', /ids.*keys.*upTo/],
      [{ ids: [theirs.id] }, 404, 'not_found', new RegExp(`notification "${theirs.id}"`)],
      [{ ids: [mine.id, 2147483647] }, 404, 'not_found', /2147483647/],
      [{ keys: [`deadline_soon:flag:${f.id}:ack@2030-01-01T00:00:00.000Z`] }, 404, 'not_found', /reminder/],
      [{ ids: [0] }, 400, 'invalid_request', /ids/],
      [{ ids: ['x'] }, 400, 'invalid_request', /ids/],
      [{ keys: ['no key'] }, 400, 'invalid_request', /keys/],
      [{ upTo: 'yesterday' }, 400, 'invalid_request', /upTo/],
      [{ upTo: '0000-01-01T00:00:00Z' }, 400, 'invalid_request', /upTo.*1900 to 2999/],
      [{ ids: [mine.id], everything: true }, 400, 'invalid_request', /everything/],
    ]
    for (const [payload, status, code, message] of cases) {
      const res = await read(member, payload)
      expect(res.statusCode, JSON.stringify(payload) + res.body).toBe(status)
      expect(res.json().error.code, res.body).toBe(code)
      expect(res.json().error.message + JSON.stringify(res.json().error.details ?? ''), res.body).toMatch(message)
    }
    expect(await stored()).toEqual(before)
    expect(about(await get(member, '/api/notifications'), f.id)[0].readAt).toBeNull()
  })
})

describe('GET /api/notifications', () => {
  it('pages newest first with a total; bad paging is a 400', async () => {
    const all = await get(member, '/api/notifications?limit=200')
    expect(all.total).toBe(all.items.length)
    expect(all.total).toBeGreaterThanOrEqual(3)
    const times = all.items.filter((n: any) => !n.reminder).map((n: any) => n.createdAt)
    expect([...times].sort().reverse()).toEqual(times)
    const page2 = await get(member, '/api/notifications?limit=2&offset=1')
    expect(page2.total).toBe(all.total)
    expect(page2.items.map((n: any) => n.key)).toEqual(all.items.slice(1, 3).map((n: any) => n.key))
    for (const q of ['limit=0', 'limit=201', 'offset=-1', 'unread=maybe', 'user=1']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/notifications?${q}`, headers: member })
      expect(res.statusCode, q).toBe(400)
      expect(res.json().error.message, q).toMatch(new RegExp(q.split('=')[0]!))
    }
  })
})
