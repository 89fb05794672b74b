// Problems found on a patrol become flags: routed to the cell where they were seen (worked out from the
// boxes below), linked to the patrol, stored once when the phone resends with the same key, and refused
// (nothing written) for a stranger's patrol, an ended patrol, a time in the future or a photo that is text.
//
//   PQ (township) 114.00–114.02 × 36.00–36.01, PQ-A 114.00–114.01 (the walker's), PQ-B 114.01–114.02
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let walker: Record<string, string>
let stranger: Record<string, string>
let admin: Record<string, string>
const cellIds: Record<string, number> = {}
let patrolId = 0
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

beforeAll(async () => {
  t = await testApp()
  t.clock.now = new Date('2026-11-20T03:00:00Z')
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('PQ', box(114, 36, 114.02, 36.01))
  const top = await f.cell({ regionId: region.id, code: 'PQ', level: 1, geometry: box(114, 36, 114.02, 36.01) })
  for (const [code, west] of [
    ['PQ-A', 114],
    ['PQ-B', 114.01],
  ] as const) {
    const cell = await f.cell({
      regionId: region.id,
      code,
      level: 2,
      parentCode: 'PQ',
      geometry: box(west, 36, west + 0.01, 36.01),
    })
    cellIds[code] = cell.id
  }
  await f.staff(top.id)
  const a = await f.staff(cellIds['PQ-A']!)
  const b = await f.staff(cellIds['PQ-B']!)
  walker = (await signedIn(t, 'supervisor', a.member.id)).headers
  stranger = (await signedIn(t, 'supervisor', b.member.id)).headers
  const started = await post(walker, '/api/patrols', { startedAt: '2026-11-20T01:00:00Z' })
  expect(started.statusCode, started.body).toBe(201)
  patrolId = started.json().id
})
afterAll(async () => t.close())

const post = (headers: Record<string, string>, url: string, payload: unknown, extra: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { ...headers, ...extra }, payload: payload as Record<string, unknown> })
const counts = async () =>
  (
    await sql<{ flags: number; problems: number; photos: number }>`
      SELECT (SELECT count(*)::int FROM flags) AS flags, (SELECT count(*)::int FROM patrol_problems) AS problems,
             (SELECT count(*)::int FROM flag_photos) AS photos`.execute(t.database.db)
  ).rows[0]!
// seen in PQ-B (lon 114.015), though the walker's own cell is PQ-A: routing follows the place
const problem = {
  category: 'pollution',
  description: '排污口有黑水',
  lon: 114.015,
  lat: 36.005,
  accuracy: 6,
  observedAt: '2026-11-20T01:20:00Z',
  photos: [{ data: PNG, contentType: 'image/png', filename: 'outfall.png' }],
}

describe('a problem found on a patrol', () => {
  it('becomes a flag routed to the cell where it was seen, linked to the patrol, once per key', async () => {
    const key = { 'idempotency-key': 'problem-1' }
    const first = await post(walker, `/api/patrols/${patrolId}/problems`, problem, key)
    expect(first.statusCode, first.body).toBe(201)
    const summary = first.json()
    expect(summary).toMatchObject({ category: 'pollution', observedAt: '2026-11-20T01:20:00.000Z', state: 'reported' })
    const again = await post(walker, `/api/patrols/${patrolId}/problems`, problem, key)
    expect(again.statusCode).toBe(201)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.json().flagId).toBe(summary.flagId)
    expect(await counts()).toEqual({ flags: 1, problems: 1, photos: 1 })

    // the flag is PQ-B's to handle: the walker from PQ-A sees it on the patrol, the admin in full
    const flag = await t.app.inject({ method: 'GET', url: `/api/flags/${summary.flagId}`, headers: admin })
    expect(flag.statusCode, flag.body).toBe(200)
    expect(flag.json()).toMatchObject({ category: 'pollution', description: problem.description })
    const routed = await sql<{
      cell_id: number | null
    }>`SELECT cell_id FROM flags WHERE id = ${summary.flagId}`.execute(t.database.db)
    expect(routed.rows[0]!.cell_id).toBe(cellIds['PQ-B'])

    const patrol = await t.app.inject({ method: 'GET', url: `/api/patrols/${patrolId}`, headers: walker })
    expect(patrol.json().problems).toEqual([summary])
    const audit = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'patrol' AND action = 'problem' AND entity_id = ${patrolId}`.execute(
      t.database.db,
    )
    expect(audit.rows[0]!.n).toBe(1)
  })

  it('a second report of the same category nearby asks whether it is a duplicate, then is taken when confirmed', async () => {
    const near = { ...problem, lon: 114.0151, photos: undefined, observedAt: '2026-11-20T01:25:00Z' }
    const before = await counts()
    const asked = await post(walker, `/api/patrols/${patrolId}/problems`, near)
    expect(asked.statusCode).toBe(409)
    expect(asked.json().error.code).toBe('possible_duplicate')
    expect(await counts()).toEqual(before)
    const confirmed = await post(walker, `/api/patrols/${patrolId}/problems`, { ...near, confirmNotDuplicate: true })
    expect(confirmed.statusCode, confirmed.body).toBe(201)
    expect(await counts()).toEqual({ ...before, flags: before.flags + 1, problems: before.problems + 1 })
  })

  it.each([
    ['a stranger', () => stranger, {}, 403, 'forbidden'],
    ['a time in the future', () => walker, { observedAt: '2026-11-20T04:00:00Z' }, 400, 'future_time'],
    ['a time before the patrol started', () => walker, { observedAt: '2026-11-20T00:30:00Z' }, 400, 'invalid_time'],
    ['an unknown category', () => walker, { category: 'no_such_thing' }, 400, null],
    [
      'a text file as its photo',
      () => walker,
      { photos: [{ data: Buffer.from('hello').toString('base64') }] },
      415,
      null,
    ],
    ['a place outside every region', () => walker, { lon: 100, lat: 20 }, 400, 'outside_jurisdiction'],
  ] as const)('is refused for %s, and nothing is written', async (_, who, change, status, code) => {
    const before = await counts()
    const res = await post(who(), `/api/patrols/${patrolId}/problems`, {
      ...problem,
      lon: 114.005,
      ...change,
      confirmNotDuplicate: true,
    })
    expect(res.statusCode, res.body).toBe(status)
    if (code) expect(res.json().error.code).toBe(code)
    expect(res.json().error.message).toMatch(/\S/)
    expect(await counts()).toEqual(before)
  })

  it('is refused once the patrol has ended', async () => {
    const ended = await post(walker, `/api/patrols/${patrolId}/end`, { endedAt: '2026-11-20T02:00:00Z' })
    expect(ended.statusCode, ended.body).toBe(200)
    const before = await counts()
    const res = await post(walker, `/api/patrols/${patrolId}/problems`, { ...problem, confirmNotDuplicate: true })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('patrol_ended')
    expect(await counts()).toEqual(before)
  })
})

describe('the month’s patrols', () => {
  it('lists the patrol with its problems, only mine when asked, and refuses a month that is not one', async () => {
    const get = (headers: Record<string, string>, url: string) => t.app.inject({ method: 'GET', url, headers })
    const all = await get(stranger, '/api/patrols?month=2026-11')
    expect(all.statusCode, all.body).toBe(200)
    // the walker's one patrol: two problems (the first and the confirmed one), no check-in, no point
    expect(all.json().patrols).toEqual([
      expect.objectContaining({ id: patrolId, status: 'ended', checkIns: 0, problems: 2, pointsKept: 0 }),
    ])
    expect((await get(stranger, '/api/patrols?month=2026-11&mine=true')).json().patrols).toEqual([])
    expect((await get(walker, '/api/patrols?month=2026-11&mine=true')).json().patrols).toHaveLength(1)
    expect((await get(walker, '/api/patrols?month=2026-12')).json().patrols).toEqual([])
    const bad = await get(walker, '/api/patrols?month=2026-13')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('month')
  })
})
