// A ledger entry's life: saved by its unit's officer, submitted, returned with a reason, submitted
// again, accepted (final). Versions and audit rows for every change; four eyes; optimistic versions;
// what other units' officers may read; bad input writes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TestApp } from '../helpers/app.js'
import { ledgerApp, ledgerCounts, loopWorld, sh, type LoopWorld, type Officer } from '../helpers/loop-world.js'

let t: TestApp
let w: LoopWorld
// October's entries are due at the end of the 5th working day of November: Fri 6 November, 18:00
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

const call = (method: 'GET' | 'PUT' | 'POST', url: string, who: Officer, payload?: unknown) =>
  t.app.inject({ method, url, headers: who.headers, payload: payload as object })
const get = async (id: number, who: Officer = w.admin) => {
  const res = await call('GET', `/api/ledgers/${id}`, who)
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
const ok = async (method: 'PUT' | 'POST', url: string, who: Officer, payload: unknown) => {
  const res = await call(method, url, who, payload)
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe('the lifecycle of an entry', () => {
  it('save → submit → return with a reason → save → submit → accept; a version and an audit row each', async () => {
    const id = w.entry('A', '2026-10')
    const before = await ledgerCounts(t.database.db)
    let e = await get(id, w.officerA)
    expect(e).toMatchObject({ state: 'draft', version: 1, milestone: '检查10个点位', plannedValue: 10, overdue: false })
    expect(e.can).toEqual({ edit: true, review: false })

    e = await ok('PUT', `/api/ledgers/${id}`, w.officerA, {
      version: 1,
      doneValue: 8,
      doneText: '检查了8个点位',
      progress: 'on_track',
    })
    expect(e).toMatchObject({
      version: 2,
      doneValue: 8,
      doneText: '检查了8个点位',
      progress: 'on_track',
      state: 'draft',
    })
    e = await ok('POST', `/api/ledgers/${id}/submit`, w.officerA, { version: 2 })
    expect(e).toMatchObject({ version: 3, state: 'submitted', submittedBy: w.officerA.login })
    expect(e.submittedAt).toBe(BEFORE_DUE.toISOString())

    const queue = (await call('GET', '/api/ledgers/review-queue', w.reviewer)).json()
    expect(queue.entries.map((x: any) => x.id)).toContain(id)
    expect((await get(id, w.reviewer)).can).toEqual({ edit: false, review: true })

    e = await ok('POST', `/api/ledgers/${id}/return`, w.reviewer, { version: 3, reason: '缺少现场照片' })
    expect(e).toMatchObject({
      version: 4,
      state: 'returned',
      returnReason: '缺少现场照片',
      reviewedBy: w.reviewer.login,
    })
    e = await ok('PUT', `/api/ledgers/${id}`, w.officerA2, { version: 4, doneValue: 10, progress: 'done' })
    expect(e).toMatchObject({ version: 5, doneValue: 10, doneText: '检查了8个点位', progress: 'done' })
    e = await ok('POST', `/api/ledgers/${id}/submit`, w.officerA2, { version: 5 })
    e = await ok('POST', `/api/ledgers/${id}/accept`, w.reviewer2, { version: 6 })
    expect(e).toMatchObject({ version: 7, state: 'accepted', onTime: true, reviewedBy: w.reviewer2.login })

    // oldest first: create, then one version per change, with the reason where there is one
    expect(e.versions.map((v: any) => [v.version, v.action, v.state, v.reason])).toEqual([
      [1, 'create', 'draft', null],
      [2, 'save', 'draft', null],
      [3, 'submit', 'submitted', null],
      [4, 'return', 'returned', '缺少现场照片'],
      [5, 'save', 'returned', null],
      [6, 'submit', 'submitted', null],
      [7, 'accept', 'accepted', null],
    ])
    expect(e.versions[4]).toMatchObject({ doneValue: 10, progress: 'done', actorLogin: w.officerA2.login })
    const after = await ledgerCounts(t.database.db)
    expect(after.versions - before.versions).toBe(6)
    expect(after.audit - before.audit).toBe(6)
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_login', 'reason'])
      .where('entity_type', '=', 'ledger_entry')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute()
    expect(audit.map((a) => [a.action, a.actor_login])).toEqual([
      ['save', w.officerA.login],
      ['submit', w.officerA.login],
      ['return', w.reviewer.login],
      ['save', w.officerA2.login],
      ['submit', w.officerA2.login],
      ['accept', w.reviewer2.login],
    ])
    expect(audit[2]!.reason).toBe('缺少现场照片')
  })

  it('an accepted entry never changes (409), whoever asks', async () => {
    const id = w.entry('B', '2026-10')
    await ok('POST', `/api/ledgers/${id}/submit`, w.officerB, { version: 1 })
    await ok('POST', `/api/ledgers/${id}/accept`, w.admin, { version: 2 })
    const before = await ledgerCounts(t.database.db)
    for (const [method, url, who, body] of [
      ['PUT', `/api/ledgers/${id}`, w.officerB, { version: 3, doneValue: 1 }],
      ['POST', `/api/ledgers/${id}/submit`, w.officerB, { version: 3 }],
      ['POST', `/api/ledgers/${id}/return`, w.reviewer, { version: 3, reason: '再看看' }],
      ['POST', `/api/ledgers/${id}/accept`, w.reviewer, { version: 3 }],
    ] as const) {
      const res = await call(method, url, who, body)
      expect(res.statusCode, url).toBe(409)
      expect(res.json().error.code).toBe('entry_accepted')
    }
    expect(await ledgerCounts(t.database.db)).toEqual(before)
  })

  it('a submitted entry changes only through return (409 entry_submitted)', async () => {
    const id = w.entry('A', '2026-09')
    await ok('POST', `/api/ledgers/${id}/submit`, w.officerA, { version: 1 })
    const before = await ledgerCounts(t.database.db)
    const save = await call('PUT', `/api/ledgers/${id}`, w.officerA, { version: 2, doneText: '补充' })
    expect(save.statusCode).toBe(409)
    expect(save.json().error.code).toBe('entry_submitted')
    const again = await call('POST', `/api/ledgers/${id}/submit`, w.officerA, { version: 2 })
    expect(again.json().error.code).toBe('entry_submitted')
    expect(await ledgerCounts(t.database.db)).toEqual(before)
    await ok('POST', `/api/ledgers/${id}/return`, w.reviewer, { version: 2, reason: '数据不全' })
    await ok('PUT', `/api/ledgers/${id}`, w.officerA, { version: 3, doneText: '补充' })
  })
})

describe('who may do what', () => {
  it("a lead unit's officer reviews other units' entries, never their own unit's (the county office does)", async () => {
    // dual liaises for A and for LEAD (which leads the air line): a reviewer, but A's entries are their own
    const a = w.entry('A', '2026-09')
    const b = w.entry('B', '2026-09')
    const submitFresh = async (id: number, who: Officer) => {
      const e = await get(id)
      if (e.state === 'submitted') return e.version as number
      if (e.state !== 'draft' && e.state !== 'returned') throw new Error(`entry ${id} is ${e.state}`)
      return (await ok('POST', `/api/ledgers/${id}/submit`, who, { version: e.version })).version as number
    }
    const va = await submitFresh(a, w.officerA)
    const queue = (await call('GET', '/api/ledgers/review-queue', w.dual)).json()
    expect(queue.entries.map((x: any) => x.id)).not.toContain(a)
    expect((await get(a, w.dual)).can.review).toBe(false)
    const before = await ledgerCounts(t.database.db)
    for (const [path, body] of [
      ['accept', { version: va }],
      ['return', { version: va, reason: '自审' }],
    ] as const) {
      const res = await call('POST', `/api/ledgers/${a}/${path}`, w.dual, body)
      expect(res.statusCode, res.body).toBe(403)
      expect(res.json().error.message).toMatch(/your own unit's.*county office/)
    }
    expect(await ledgerCounts(t.database.db)).toEqual(before)
    // the admin (the county office) reviews it
    expect((await get(a, w.admin)).can.review).toBe(true)
    await ok('POST', `/api/ledgers/${a}/return`, w.admin, { version: va, reason: '补充材料' })
    // B's entry is another unit's: dual reviews it like any officer of the lead unit
    const vb = await submitFresh(b, w.officerB)
    expect((await call('GET', '/api/ledgers/review-queue', w.dual)).json().entries.map((x: any) => x.id)).toContain(b)
    expect((await get(b, w.dual)).can.review).toBe(true)
    const returned = await ok('POST', `/api/ledgers/${b}/return`, w.dual, { version: vb, reason: '补充材料' })
    // answered with the entry as returned; afterwards it is B's work in progress again, closed to the reviewer
    expect(returned).toMatchObject({ state: 'returned', withheld: false, returnReason: '补充材料' })
    expect((await call('GET', `/api/ledgers/${b}`, w.dual)).statusCode).toBe(403)
  })

  it('four eyes: the submitter may not review their own entry, even as an officer of the lead unit', async () => {
    const id = w.entry('B', '2026-09')
    // dual is a liaison of A and of LEAD, not of B: cannot fill B's entry
    expect((await call('PUT', `/api/ledgers/${id}`, w.dual, { version: 1, doneText: 'x' })).statusCode).toBe(403)
    const a = w.entry('A', '2026-09')
    const current = await get(a)
    if (current.state === 'submitted')
      await ok('POST', `/api/ledgers/${a}/return`, w.reviewer, { version: current.version, reason: '重填' })
    const v = (await get(a)).version
    await ok('POST', `/api/ledgers/${a}/submit`, w.dual, { version: v })
    expect((await get(a, w.dual)).can.review).toBe(false)
    const queue = (await call('GET', '/api/ledgers/review-queue', w.dual)).json()
    expect(queue.entries.map((x: any) => x.id)).not.toContain(a)
    const before = await ledgerCounts(t.database.db)
    const res = await call('POST', `/api/ledgers/${a}/accept`, w.dual, { version: v + 1 })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.message).toMatch(/four eyes/)
    expect(await ledgerCounts(t.database.db)).toEqual(before)
    // another reviewer of the line may
    await ok('POST', `/api/ledgers/${a}/accept`, w.reviewer, { version: v + 1 })
  })

  it('refuses officers of other units, non-reviewers and the wrong roles (403), writing nothing', async () => {
    const id = w.entry('A', '2026-10')
    const before = await ledgerCounts(t.database.db)
    const cases: [string, Officer, string, unknown][] = [
      [`/api/ledgers/${id}`, w.officerB, 'PUT', { version: 1, doneText: 'x' }],
      [`/api/ledgers/${id}`, w.reviewer, 'PUT', { version: 1, doneText: 'x' }],
      [`/api/ledgers/${id}`, w.admin, 'PUT', { version: 1, doneText: 'x' }],
      [`/api/ledgers/${id}`, w.viewer, 'PUT', { version: 1, doneText: 'x' }],
      [`/api/ledgers/${id}/submit`, w.officerB, 'POST', { version: 1 }],
      [`/api/ledgers/${id}/accept`, w.officerB, 'POST', { version: 1 }],
      [`/api/ledgers/${id}/return`, w.officerA, 'POST', { version: 1, reason: 'x' }],
      [`/api/ledgers/${id}/accept`, w.viewer, 'POST', { version: 1 }],
      ['/api/ledgers/escalate', w.reviewer, 'POST', undefined],
    ]
    for (const [url, who, method, body] of cases) {
      const res = await call(method as 'PUT', url, who, body)
      expect(res.statusCode, `${method} ${url} as ${who.login}`).toBe(403)
    }
    expect(await ledgerCounts(t.database.db)).toEqual(before)
    expect((await t.app.inject({ method: 'GET', url: '/api/ledgers' })).statusCode).toBe(401)
  })

  it("another unit's draft: listed without its content, its detail refused; handed-in entries are open to all", async () => {
    const draftId = w.entry('B', '2026-10')
    const res = await call('GET', '/api/ledgers?unit=dept_b&month=2026-09', w.officerA)
    expect(res.statusCode).toBe(200)
    // B's October entry was accepted above (readable); B's September entry is a draft with text
    const sept = w.entry('B', '2026-09')
    await ok('PUT', `/api/ledgers/${sept}`, w.officerB, { version: (await get(sept)).version, doneText: '秘密草稿' })
    const list = (await call('GET', '/api/ledgers?all=true&month=2026-09', w.officerA)).json()
    const row = list.entries.find((x: any) => x.id === sept)
    expect(row).toMatchObject({ withheld: true, doneText: '', doneValue: null, progress: null, evidenceCount: null })
    expect((await call('GET', `/api/ledgers/${sept}`, w.officerA)).statusCode).toBe(403)
    // the line's reviewers neither: they judge what was handed in, not work in progress
    const asReviewer = (await call('GET', '/api/ledgers?all=true&month=2026-09', w.reviewer)).json()
    expect(asReviewer.entries.find((x: any) => x.id === sept)).toMatchObject({ withheld: true, progress: null })
    const refused = await call('GET', `/api/ledgers/${sept}`, w.reviewer)
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.message).toMatch(/draft of unit dept_b/)
    // its own officers, a viewer and an admin read it
    expect((await get(sept, w.officerB)).doneText).toBe('秘密草稿')
    expect((await get(sept, w.viewer)).doneText).toBe('秘密草稿')
    expect((await get(sept, w.admin)).withheld).toBe(false)
    expect((await get(draftId, w.officerA)).state).toBe('accepted')
  })
})

describe('bad input', () => {
  it('a stale version is 409 version_conflict and writes nothing', async () => {
    const id = w.entry('A', '2026-10')
    const e = await get(id)
    const before = await ledgerCounts(t.database.db)
    // A's October entry is accepted; use a draft: B's September one
    const sept = w.entry('B', '2026-09')
    const current = (await get(sept)).version
    const res = await call('PUT', `/api/ledgers/${sept}`, w.officerB, { version: current - 1, doneText: '旧' })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'version_conflict', details: { currentVersion: current } })
    expect(e.state).toBe('accepted')
    expect(await ledgerCounts(t.database.db)).toEqual(before)
  })

  it("values outside the indicator's bounds, unknown fields, progress and ids: 4xx naming the problem, nothing written", async () => {
    const id = w.entry('B', '2026-09')
    const version = (await get(id)).version
    const before = await ledgerCounts(t.database.db)
    const cases: [unknown, number, RegExp][] = [
      [{ version, doneValue: -1 }, 400, /below the minimum 0 of indicator sites_checked/],
      [{ version, doneValue: 101 }, 400, /above the maximum 100/],
      [{ version, progress: 'finished' }, 400, /progress/],
      [{ version, doneText: 'x'.repeat(4001) }, 400, /doneText/],
      [{ version, colour: 'red' }, 400, /colour|additional/],
      [{ doneText: 'no version' }, 400, /version/],
    ]
    for (const [body, status, message] of cases) {
      const res = await call('PUT', `/api/ledgers/${id}`, w.officerB, body)
      expect(res.statusCode, JSON.stringify(body)).toBe(status)
      expect(res.json().error.message).toMatch(message)
    }
    expect((await call('PUT', '/api/ledgers/999999', w.officerB, { version: 1 })).statusCode).toBe(404)
    expect((await call('POST', `/api/ledgers/${id}/return`, w.reviewer, { version, reason: '  ' })).statusCode).toBe(
      400,
    )
    expect((await call('GET', '/api/ledgers?unit=nowhere', w.viewer)).json().error.message).toMatch(/nowhere/)
    expect((await call('GET', '/api/ledgers?month=2026-13', w.viewer)).statusCode).toBe(400)
    expect(await ledgerCounts(t.database.db)).toEqual(before)
  })
})

describe('GET /api/ledgers and the summary', () => {
  it('filters by month, unit, line, state; a unit officer defaults to their units', async () => {
    const all = (await call('GET', '/api/ledgers?line=air', w.viewer)).json()
    expect(all.total).toBe(4)
    const mine = (await call('GET', '/api/ledgers', w.officerB)).json()
    expect(mine.entries.map((x: any) => x.unit.code)).toEqual(['dept_b', 'dept_b'])
    const accepted = (await call('GET', '/api/ledgers?state=accepted&month=2026-10', w.viewer)).json()
    expect(accepted.entries.map((x: any) => x.id).sort()).toEqual(
      [w.entry('A', '2026-10'), w.entry('B', '2026-10')].sort(),
    )
    expect((await call('GET', '/api/ledgers?line=water', w.viewer)).statusCode).toBe(404)
  })

  it('summary per unit: handed in, on time, accepted, returned, overdue', async () => {
    const res = await call('GET', '/api/ledgers/summary?month=2026-10', w.viewer)
    expect(res.statusCode).toBe(200)
    const s = res.json()
    expect(s.dueAt).toBe(sh('2026-11-06', '18:00').toISOString())
    // both October entries were accepted before the deadline
    expect(s.units).toEqual([
      expect.objectContaining({
        unit: expect.objectContaining({ code: 'dept_a' }),
        entries: 1,
        submitted: 1,
        onTime: 1,
        accepted: 1,
        returned: 0,
        overdue: 0,
      }),
      expect.objectContaining({
        unit: expect.objectContaining({ code: 'dept_b' }),
        entries: 1,
        submitted: 1,
        onTime: 1,
        accepted: 1,
        returned: 0,
        overdue: 0,
      }),
    ])
  })
})
