// Patrols due and the supervisors' daily digest, worked out by hand on this world (Shanghai times):
//
//   PT (level 1) 113.00–113.02 × 35.00–35.01, with PT-A (113.00–113.01) and PT-B (113.01–113.02)
//   objects: O1 boiler, high risk (4 visits a month) and O2 outfall, low (1) in PT-A; O3 enterprise,
//   medium (2) in PT-B. O2 is visited once on Thursday 19 November; nothing else is.
//   flag F ('other': acknowledge in 1 working day, complete in 5) in PT-A, dispatched Wednesday 18
//   November 10:00: acknowledgement due Thursday 19th 18:00, completion Wednesday 25th 18:00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

type H = Record<string, string>
let t: TestApp
let admin: H
let inspector: H
/** accounts of PT-A's chief and member, PT-B's chief, PT's chief */
let aChief: H
let aMember: H
let bChief: H
let topChief: H
const ids: Record<string, number> = {}
const sh = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`)

const call = async (headers: H, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const res = await t.app.inject({ method, url, headers, payload: payload as object })
  expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300)
  return res.json()
}

beforeAll(async () => {
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760', SIGNIN_RATE_PER_MINUTE: '100000' } })
  t.clock.now = sh('2026-11-18', '09:00')
  admin = (await signedIn(t, 'admin')).headers
  inspector = (await signedIn(t, 'inspector')).headers
  const f = factories(t.database.db)
  const region = await f.region('PT', box(113, 35, 113.02, 35.01))
  const top = await f.cell({ regionId: region.id, code: 'PT', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  const cell = (code: string, g: ReturnType<typeof box>) =>
    f.cell({ regionId: region.id, code, level: 2, parentCode: 'PT', geometry: g })
  const a = await cell('PT-A', box(113, 35, 113.01, 35.01))
  const b = await cell('PT-B', box(113.01, 35, 113.02, 35.01))
  const topStaff = await f.staff(top.id)
  const aStaff = await f.staff(a.id)
  const bStaff = await f.staff(b.id)
  aChief = (await signedIn(t, 'supervisor', aStaff.chief.id)).headers
  aMember = (await signedIn(t, 'supervisor', aStaff.member.id)).headers
  bChief = (await signedIn(t, 'supervisor', bStaff.chief.id)).headers
  topChief = (await signedIn(t, 'supervisor', topStaff.chief.id)).headers
  for (const [code, type, riskLevel, lon] of [
    ['O1', 'boiler', 'high', 113.002],
    ['O2', 'river_outfall', 'low', 113.008],
    ['O3', 'enterprise', 'medium', 113.015],
  ] as const) {
    const body = await call(admin, 'POST', '/api/objects', {
      code,
      name: `对象${code}`,
      type,
      riskLevel,
      geometry: { type: 'Point', coordinates: [lon, 35.005] },
    })
    ids[code] = body.object.id
  }
  const flag = await call(inspector, 'POST', '/api/flags', {
    category: 'other',
    description: '河边垃圾',
    geometry: { type: 'Point', coordinates: [113.005, 35.003] },
    confirmNotDuplicate: true,
  })
  ids.F = flag.id
  t.clock.now = sh('2026-11-18', '10:00')
  await call(admin, 'POST', `/api/flags/${flag.id}/register`, { version: flag.version })
  // Thursday 09:00: PT-A's member walks to O2 and checks in
  t.clock.now = sh('2026-11-19', '09:00')
  const patrol = await call(aMember, 'POST', '/api/patrols', {})
  await call(aMember, 'POST', `/api/patrols/${patrol.id}/check-ins`, {
    objectId: ids.O2,
    lon: 113.008,
    lat: 35.005,
    checkedAt: sh('2026-11-19', '09:00').toISOString(),
    checklist: [],
  })
})
afterAll(async () => t.close())

const patrolDue = async (who: H) =>
  (await call(who, 'GET', '/api/notifications')).items
    .filter((n: any) => n.kind === 'patrol_due')
    .map(
      (n: any) => `${n.payload.objectCode} ${n.payload.cellCode} ${n.payload.visitsMade}/${n.payload.requiredVisits}`,
    )

describe('patrols due', () => {
  it("each account is reminded of the objects in its person's cells visited less than required this month", async () => {
    t.clock.now = sh('2026-11-19', '10:00')
    // O2 had its one visit; O1 none of four; O3 none of two
    expect(await patrolDue(aChief)).toEqual(['O1 PT-A 0/4'])
    expect(await patrolDue(aMember)).toEqual(['O1 PT-A 0/4'])
    expect(await patrolDue(bChief)).toEqual(['O3 PT-B 0/2'])
    // the level-1 cell's chief answers for everything below it
    expect(await patrolDue(topChief)).toEqual(['O1 PT-A 0/4', 'O3 PT-B 0/2'])
    expect(await patrolDue(admin)).toEqual([])
    const o1 = (await call(aChief, 'GET', '/api/notifications')).items.find((n: any) => n.kind === 'patrol_due')
    expect(o1).toMatchObject({
      key: `patrol_due:supervised_object:${ids.O1}:2026-11`,
      subject: { type: 'supervised_object', id: ids.O1 },
      payload: { month: '2026-11', objectName: '对象O1' },
    })
    // read: kept, and not shown as unread again this month
    const res = await call(aChief, 'POST', '/api/notifications/read', { keys: [o1.key] })
    expect(res.marked).toBe(1)
    expect((await call(aChief, 'GET', '/api/notifications/summary')).byKind.patrol_due).toBe(0)
    expect((await call(aMember, 'GET', '/api/notifications/summary')).byKind.patrol_due).toBe(1)
  })
})

describe('GET /api/notifications/digest', () => {
  it("a supervisor's digest: yesterday's events, today's deadlines and patrols behind, in their cells only", async () => {
    t.clock.now = sh('2026-11-19', '10:00')
    const d = await call(aChief, 'GET', '/api/notifications/digest?date=2026-11-19')
    expect(d).toEqual({
      date: '2026-11-19',
      scope: 'own_cells',
      events: [
        {
          kind: 'flag_dispatched',
          subject: { type: 'flag', id: ids.F },
          payload: { category: 'other', description: '河边垃圾', cellCode: 'PT-A' },
          at: sh('2026-11-18', '10:00').toISOString(),
          // PT-A's chief and member have accounts
          recipients: 2,
        },
      ],
      due: [
        {
          kind: 'flag',
          id: ids.F,
          limit: 'ack',
          dueAt: sh('2026-11-19', '18:00').toISOString(),
          label: 'other',
          cellCode: 'PT-A',
        },
      ],
      patrolsBehind: [
        { objectId: ids.O1, code: 'O1', name: '对象O1', cellCode: 'PT-A', requiredVisits: 4, visitsMade: 0 },
      ],
    })
    const other = await call(bChief, 'GET', '/api/notifications/digest?date=2026-11-19')
    expect(other).toMatchObject({ scope: 'own_cells', events: [], due: [] })
    expect(other.patrolsBehind.map((o: any) => o.code)).toEqual(['O3'])
    const all = await call(admin, 'GET', '/api/notifications/digest?date=2026-11-19')
    expect(all.scope).toBe('all')
    expect(all.events.map((e: any) => e.subject.id)).toEqual([ids.F])
    expect(all.patrolsBehind.map((o: any) => o.code)).toEqual(['O1', 'O3'])
  })

  it('another day: the day before had no events, and the completion limit is due on the 25th; default date is today', async () => {
    const d20 = await call(aChief, 'GET', '/api/notifications/digest?date=2026-11-20')
    expect(d20).toMatchObject({ date: '2026-11-20', events: [], due: [] })
    const d25 = await call(aChief, 'GET', '/api/notifications/digest?date=2026-11-25')
    expect(d25.due.map((x: any) => `${x.limit} ${x.dueAt}`)).toEqual([
      `complete ${sh('2026-11-25', '18:00').toISOString()}`,
    ])
    t.clock.now = sh('2026-11-25', '08:00')
    expect((await call(aChief, 'GET', '/api/notifications/digest')).date).toBe('2026-11-25')
  })

  it('a bad date is a 400 naming it; other roles are refused', async () => {
    for (const q of ['date=2026-02-30', 'date=yesterday', 'date=', 'day=2026-11-19']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/notifications/digest?${q}`, headers: aChief })
      expect(res.statusCode, q).toBe(400)
      expect(res.json().error.message, q).toMatch(/date|day/)
    }
    const res = await t.app.inject({ method: 'GET', url: '/api/notifications/digest', headers: inspector })
    expect(res.statusCode).toBe(403)
    // the first and last supported days answer (the day before and after are computed, never stored)
    for (const date of ['1900-01-01', '2999-12-31'])
      expect(await call(admin, 'GET', `/api/notifications/digest?date=${date}`)).toMatchObject({
        date,
        events: [],
        due: [],
      })
  })
})
