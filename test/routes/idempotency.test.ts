// The Idempotency-Key header (plugins/idempotency.ts): a phone's queued request sent again is applied
// once. Rows are counted with SQL of their own: a repeat writes nothing and answers the first answer
// again; a key is the user's own; a bad key, a reused key and a failed request write nothing.
import Fastify from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import errorHandler from '../../server/src/plugins/error-handler.js'
import idempotency from '../../server/src/plugins/idempotency.js'
import type { TestApp } from '../helpers/app.js'
import { ledgerApp, ledgerCounts, loopWorld, sh, type LoopWorld } from '../helpers/loop-world.js'
import { counts, flagsSuite, JPEG, multipart, NOW, PNG, point, POINTS, type FlagsWorld } from './flags.helpers.js'

type Headers = Record<string, string>
const KEY = 'Idempotency-Key'

/** Rows of idempotency_keys (all, or one user's key). */
async function keyRows(t: TestApp, userId?: number, key?: string) {
  let q = t.database.db.selectFrom('idempotency_keys').select((eb) => eb.fn.countAll().as('n'))
  if (userId !== undefined) q = q.where('user_id', '=', userId)
  if (key !== undefined) q = q.where('key', '=', key)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

describe('POST /api/flags with an Idempotency-Key', () => {
  let t: TestApp
  let w: FlagsWorld
  let inspector2Id: number
  beforeAll(async () => {
    ;({ t, w } = await flagsSuite())
    const session = await t.app.inject({ method: 'GET', url: '/api/session', headers: w.inspector2 })
    inspector2Id = session.json().user.id
    expect(inspector2Id).not.toBe(w.inspectorId)
  })
  afterAll(async () => t.close())
  beforeEach(() => {
    t.clock.now = NOW
  })

  const body = (description: string, at: readonly number[] = POINTS.village) => ({
    category: 'dust',
    geometry: point(at),
    description,
    confirmNotDuplicate: true,
  })
  const report = (headers: Headers, payload: unknown, key?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: key === undefined ? headers : { ...headers, [KEY]: key },
      payload: payload as object,
    })

  it('the same request twice: one flag, the same answer twice, the second marked as replayed', async () => {
    const before = await counts(t.database.db)
    const first = await report(w.inspector, body('烟尘一'), 'phone-1-report-0001')
    expect(first.statusCode, first.body).toBe(201)
    expect(first.headers['idempotent-replayed']).toBeUndefined()
    const second = await report(w.inspector, body('烟尘一'), 'phone-1-report-0001')
    expect(second.statusCode, second.body).toBe(201)
    expect(second.headers['idempotent-replayed']).toBe('true')
    expect(second.headers['content-type']).toBe(first.headers['content-type'])
    expect(second.body).toBe(first.body)
    const after = await counts(t.database.db)
    expect(after.flags).toBe(before.flags + 1)
    expect(after.events - before.events).toBeGreaterThan(0)
    // the replay wrote nothing: a third send leaves every table as the second did
    await report(w.inspector, body('烟尘一'), 'phone-1-report-0001')
    expect(await counts(t.database.db)).toEqual(after)
    expect(await keyRows(t, w.inspectorId, 'phone-1-report-0001')).toBe(1)
  })

  it('the key on a different body: 422 idempotency_key_reused, nothing written', async () => {
    const first = await report(w.inspector, body('烟尘二'), 'phone-1-report-0002')
    expect(first.statusCode, first.body).toBe(201)
    const before = { ...(await counts(t.database.db)), keys: await keyRows(t) }
    const res = await report(w.inspector, body('烟尘二，改了'), 'phone-1-report-0002')
    expect(res.statusCode, res.body).toBe(422)
    expect(res.json().error.code).toBe('idempotency_key_reused')
    expect(res.json().error.message).toContain('different request')
    expect({ ...(await counts(t.database.db)), keys: await keyRows(t) }).toEqual(before)
  })

  it.each([
    ['too short', 'abc1234'],
    ['too long', 'k'.repeat(201)],
    ['with a space', 'has a space'],
  ])('a key %s: 400 invalid_idempotency_key naming the header, nothing written', async (_name, key) => {
    const before = { ...(await counts(t.database.db)), keys: await keyRows(t) }
    const res = await report(w.inspector, body('烟尘三'), key)
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json().error.code).toBe('invalid_idempotency_key')
    expect(res.json().error.message).toContain('Idempotency-Key')
    expect({ ...(await counts(t.database.db)), keys: await keyRows(t) }).toEqual(before)
  })

  it('the longest and shortest keys allowed are taken', async () => {
    for (const key of ['k'.repeat(200), '!~#$%&*+']) {
      const res = await report(w.inspector, body(`边界 ${key.length}`, POINTS.village2), key)
      expect(res.statusCode, res.body).toBe(201)
      expect(await keyRows(t, w.inspectorId, key)).toBe(1)
    }
  })

  it('without the header nothing changes: the same report twice makes two flags', async () => {
    const before = await counts(t.database.db)
    const keys = await keyRows(t)
    const a = await report(w.inspector, body('烟尘四'))
    const b = await report(w.inspector, body('烟尘四'))
    expect([a.statusCode, b.statusCode]).toEqual([201, 201])
    expect(b.headers['idempotent-replayed']).toBeUndefined()
    expect(a.json().id).not.toBe(b.json().id)
    expect((await counts(t.database.db)).flags).toBe(before.flags + 2)
    expect(await keyRows(t)).toBe(keys)
  })

  it("a key is the user's own: another inspector with the same key gets a flag of their own", async () => {
    const before = await counts(t.database.db)
    const mine = await report(w.inspector, body('同一个键'), 'shared-key-000001')
    const theirs = await report(w.inspector2, body('同一个键'), 'shared-key-000001')
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201])
    expect(theirs.headers['idempotent-replayed']).toBeUndefined()
    expect(theirs.json().id).not.toBe(mine.json().id)
    expect((await counts(t.database.db)).flags).toBe(before.flags + 2)
    expect(await keyRows(t, w.inspectorId, 'shared-key-000001')).toBe(1)
    expect(await keyRows(t, inspector2Id, 'shared-key-000001')).toBe(1)
  })

  it('a failed request keeps no key: fixed and sent again with the same key, it is applied', async () => {
    const before = await counts(t.database.db)
    const bad = await report(w.inspector, { ...body('烟尘五'), category: 'graffiti' }, 'phone-1-report-0005')
    expect(bad.statusCode, bad.body).toBe(400)
    expect(bad.json().error.code).toBe('unknown_category')
    expect(await keyRows(t, w.inspectorId, 'phone-1-report-0005')).toBe(0)
    expect(await counts(t.database.db)).toEqual(before)
    const fixed = await report(w.inspector, body('烟尘五'), 'phone-1-report-0005')
    expect(fixed.statusCode, fixed.body).toBe(201)
    expect(fixed.headers['idempotent-replayed']).toBeUndefined()
    // the key now names the fixed request: sent once more, it is replayed
    const replay = await report(w.inspector, body('烟尘五'), 'phone-1-report-0005')
    expect(replay.headers['idempotent-replayed']).toBe('true')
    expect(await keyRows(t, w.inspectorId, 'phone-1-report-0005')).toBe(1)
    expect((await counts(t.database.db)).flags).toBe(before.flags + 1)
  })

  it('multipart with photos: the file bytes are part of the request the key names', async () => {
    const send = (photo: Buffer) => {
      const form = multipart({ category: 'dust', lon: '113.005', lat: '35.005', confirmNotDuplicate: 'true' }, [
        { filename: 'IMG_1.jpg', type: 'image/jpeg', data: photo },
      ])
      return t.app.inject({
        method: 'POST',
        url: '/api/flags',
        headers: { ...w.inspector, 'content-type': form.contentType, [KEY]: 'phone-1-photo-0001' },
        payload: form.payload,
      })
    }
    const before = await counts(t.database.db)
    const first = await send(JPEG)
    expect(first.statusCode, first.body).toBe(201)
    const again = await send(JPEG)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toBe(first.body)
    const other = Buffer.from(JPEG)
    other[20] = 8 // one byte of the picture changed, same size, same name
    const changed = await send(other)
    expect(changed.statusCode, changed.body).toBe(422)
    expect(changed.json().error.code).toBe('idempotency_key_reused')
    const after = await counts(t.database.db)
    expect([after.flags - before.flags, after.photos - before.photos]).toEqual([1, 1])
  })

  it('a key older than 7 days is forgotten: purged, and the request runs again', async () => {
    const first = await report(w.inspector, body('旧键', POINTS.village2), 'phone-1-old-key-01')
    expect(first.statusCode, first.body).toBe(201)
    expect(await keyRows(t, w.inspectorId, 'phone-1-old-key-01')).toBe(1)
    t.clock.now = new Date(NOW.getTime() + 8 * 24 * 3600_000)
    const flagsBefore = (await counts(t.database.db)).flags
    // any claim purges the old keys of every user
    const other = await report(w.inspector2, body('新键', POINTS.village2), 'phone-2-new-key-01')
    expect(other.statusCode, other.body).toBe(201)
    expect(await keyRows(t, w.inspectorId, 'phone-1-old-key-01')).toBe(0)
    const again = await report(w.inspector, body('旧键', POINTS.village2), 'phone-1-old-key-01')
    expect(again.statusCode, again.body).toBe(201)
    expect(again.headers['idempotent-replayed']).toBeUndefined()
    expect((await counts(t.database.db)).flags).toBe(flagsBefore + 2)
  })

  it('while the first request is in flight a duplicate gets 409; afterwards the answer is replayed; anonymous: 400', async () => {
    // the real plugin over the test database, in front of a handler the test holds until it lets go
    const mini = Fastify()
    mini.decorate('ctx', { db: t.database.db, now: () => t.clock.now } as never)
    mini.decorateRequest('user', null)
    // a request with x-anonymous has no user (a route open to anonymous callers)
    mini.addHook('onRequest', async (request) => {
      request.user = request.headers['x-anonymous'] ? null : ({ id: w.inspectorId } as never)
    })
    await mini.register(errorHandler)
    await mini.register(idempotency)
    let runs = 0
    let started!: () => void
    let letGo!: () => void
    const running = new Promise<void>((resolve) => (started = resolve))
    const gate = new Promise<void>((resolve) => (letGo = resolve))
    mini.post('/slow', { config: { idempotency: true } }, async (_request, reply) => {
      runs++
      started()
      await gate
      return reply.status(201).send({ done: runs })
    })
    await mini.ready()
    try {
      const send = () =>
        mini.inject({ method: 'POST', url: '/slow', headers: { [KEY]: 'slow-key-000001' }, payload: { a: 1 } })
      const first = send()
      await running
      const duplicate = await send()
      expect(duplicate.statusCode, duplicate.body).toBe(409)
      expect(duplicate.json().error.code).toBe('idempotency_key_in_flight')
      // another request under the key is told to wait too: whether the key is taken is known at the end
      const other = () =>
        mini.inject({ method: 'POST', url: '/slow', headers: { [KEY]: 'slow-key-000001' }, payload: { a: 2 } })
      const meanwhile = await other()
      expect(meanwhile.statusCode, meanwhile.body).toBe(409)
      expect(meanwhile.json().error.code).toBe('idempotency_key_in_flight')
      letGo()
      const firstDone = await first
      expect(firstDone.statusCode).toBe(201)
      const replay = await send()
      expect(replay.statusCode).toBe(201)
      expect((await other()).json().error.code).toBe('idempotency_key_reused')
      expect(replay.headers['idempotent-replayed']).toBe('true')
      expect(replay.json()).toEqual({ done: 1 })
      expect(runs).toBe(1)
      // anonymous: keys are per user, so the header is refused rather than silently not honoured
      const keysBefore = await keyRows(t)
      const anonymous = await mini.inject({
        method: 'POST',
        url: '/slow',
        headers: { [KEY]: 'anon-key-000001', 'x-anonymous': '1' },
        payload: { a: 1 },
      })
      expect(anonymous.statusCode, anonymous.body).toBe(400)
      expect(anonymous.json().error.code).toBe('invalid_idempotency_key')
      expect(anonymous.json().error.message).toContain('signed-in user')
      expect([runs, await keyRows(t)]).toEqual([1, keysBefore])
    } finally {
      await mini.close()
    }
  })
})

describe('ledgers with an Idempotency-Key', () => {
  let t: TestApp
  let w: LoopWorld
  const BEFORE_DUE = sh('2026-11-03', '10:00')
  beforeAll(async () => {
    t = await ledgerApp()
    t.clock.now = BEFORE_DUE
    w = await loopWorld(t, ['2026-09', '2026-10'])
  })
  afterAll(async () => t.close())
  beforeEach(() => {
    t.clock.now = BEFORE_DUE
  })

  const send = (method: 'PUT' | 'POST', url: string, headers: Headers, payload: unknown, key: string) =>
    t.app.inject({ method, url, headers: { ...headers, [KEY]: key }, payload: payload as object })

  it('save and submit, each sent twice with its key: one version and one audit row each', async () => {
    const id = w.entry('A', '2026-10')
    const start = await ledgerCounts(t.database.db)
    const save = { version: 1, doneValue: 8, doneText: '检查了8个点位', progress: 'on_track' }
    const saved = await send('PUT', `/api/ledgers/${id}`, w.officerA.headers, save, 'ledger-a-save-0001')
    expect(saved.statusCode, saved.body).toBe(200)
    const savedAgain = await send('PUT', `/api/ledgers/${id}`, w.officerA.headers, save, 'ledger-a-save-0001')
    expect(savedAgain.statusCode, savedAgain.body).toBe(200)
    expect(savedAgain.headers['idempotent-replayed']).toBe('true')
    expect(savedAgain.body).toBe(saved.body)
    const afterSave = await ledgerCounts(t.database.db)
    expect([afterSave.versions - start.versions, afterSave.audit - start.audit]).toEqual([1, 1])

    const submitted = await send(
      'POST',
      `/api/ledgers/${id}/submit`,
      w.officerA.headers,
      { version: 2 },
      'ledger-a-sub-0001',
    )
    expect(submitted.statusCode, submitted.body).toBe(200)
    expect(submitted.json()).toMatchObject({ state: 'submitted', version: 3 })
    // without the key, the same submit is refused: the entry has moved on
    const stale = await t.app.inject({
      method: 'POST',
      url: `/api/ledgers/${id}/submit`,
      headers: w.officerA.headers,
      payload: { version: 2 },
    })
    expect(stale.statusCode).toBe(409)
    const again = await send(
      'POST',
      `/api/ledgers/${id}/submit`,
      w.officerA.headers,
      { version: 2 },
      'ledger-a-sub-0001',
    )
    expect(again.statusCode, again.body).toBe(200)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.body).toBe(submitted.body)
    const end = await ledgerCounts(t.database.db)
    expect([end.versions - afterSave.versions, end.audit - afterSave.audit]).toEqual([1, 1])
    expect(end.entries.find((e) => e.id === id)).toMatchObject({ state: 'submitted', version: 3 })
  })

  it('the key of one entry sent for another: 422, nothing written', async () => {
    const a = w.entry('A', '2026-09')
    const saved = await send(
      'PUT',
      `/api/ledgers/${a}`,
      w.officerA.headers,
      { version: 1, doneValue: 3 },
      'ledger-key-x-0001',
    )
    expect(saved.statusCode, saved.body).toBe(200)
    const before = await ledgerCounts(t.database.db)
    // the same key on another route (submit), and on the same route with the same body for another entry
    const submit = await send(
      'POST',
      `/api/ledgers/${a}/submit`,
      w.officerA.headers,
      { version: 2 },
      'ledger-key-x-0001',
    )
    expect(submit.statusCode, submit.body).toBe(422)
    expect(submit.json().error.code).toBe('idempotency_key_reused')
    const other = w.entry('A', '2026-10')
    const put = await send(
      'PUT',
      `/api/ledgers/${other}`,
      w.officerA.headers,
      { version: 1, doneValue: 3 },
      'ledger-key-x-0001',
    )
    expect(put.statusCode, put.body).toBe(422)
    expect(put.json().error.code).toBe('idempotency_key_reused')
    expect(await ledgerCounts(t.database.db)).toEqual(before)
  })

  it('evidence sent twice as multipart with its key: the files are stored once', async () => {
    const id = w.entry('B', '2026-10')
    const before = await ledgerCounts(t.database.db)
    const upload = () => {
      const form = multipart({ version: '1' }, [
        { field: 'files', filename: 'IMG_1.png', type: 'image/png', data: PNG },
      ])
      return t.app.inject({
        method: 'POST',
        url: `/api/ledgers/${id}/evidence`,
        headers: { ...w.officerB.headers, 'content-type': form.contentType, [KEY]: 'ledger-b-evid-0001' },
        payload: form.payload,
      })
    }
    const first = await upload()
    expect(first.statusCode, first.body).toBe(200)
    const second = await upload()
    expect(second.statusCode, second.body).toBe(200)
    expect(second.headers['idempotent-replayed']).toBe('true')
    expect(second.body).toBe(first.body)
    const after = await ledgerCounts(t.database.db)
    expect([after.evidence - before.evidence, after.versions - before.versions]).toEqual([1, 1])
  })
})
