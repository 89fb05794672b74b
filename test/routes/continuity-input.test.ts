// Continuity routes: who may read them, and bad input (4xx naming the problem, nothing written).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { continuityWorld } from './continuity.helpers.js'

let t: TestApp
let world: Awaited<ReturnType<typeof continuityWorld>>
const URLS = [
  '/api/cells/K01001/duty-timeline',
  '/api/continuity/shortfalls',
  '/api/continuity/vacancy-days',
  '/api/continuity/duties-ending',
]
beforeAll(async () => {
  t = await testApp({ env: { PUBLIC_MAP: 'true' } })
  world = await continuityWorld(t)
})
afterAll(async () => t.close())

const auditRows = async () =>
  Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(t.database.db)).rows[0]!.n)

describe('access', () => {
  it('refuses anonymous readers even with the public map on', async () => {
    for (const url of URLS) {
      const res = await t.app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(401)
    }
  })

  it('lets every signed-in role read', async () => {
    for (const [role, personId] of [
      ['admin', null],
      ['viewer', null],
      ['inspector', null],
      ['supervisor', world.leavingChief.id],
      ['unit_officer', world.countyChief.id],
    ] as const) {
      const h = (await signedIn(t, role, personId)).headers
      for (const url of URLS) {
        const res = await t.app.inject({ method: 'GET', url, headers: h })
        expect(res.statusCode, `${role} ${url}: ${res.body}`).toBe(200)
      }
    }
  })
})

describe('bad input', () => {
  let h: Record<string, string>
  beforeAll(async () => {
    h = (await signedIn(t, 'viewer')).headers
  })
  const cases: [string, number, RegExp][] = [
    ['/api/cells/K01001/duty-timeline?from=2026-05-01&to=2026-04-01', 400, /"from" \(2026-05-01\) is after "to"/],
    ['/api/continuity/shortfalls?from=2026-05-01&to=2026-04-30', 400, /is after/],
    ['/api/continuity/shortfalls?from=2023-01-01&to=2026-01-01', 400, /at most 1096 days/],
    ['/api/cells/K01001/duty-timeline?from=2026-13-01', 400, /from/],
    ['/api/cells/K01001/duty-timeline?to=yesterday', 400, /to/],
    ['/api/cells/NOPE/duty-timeline', 404, /cell "NOPE" was not found/],
    ['/api/continuity/shortfalls?scope=NOPE', 404, /scope cell "NOPE" was not found/],
    ['/api/continuity/vacancy-days?scope=NOPE', 404, /NOPE/],
    ['/api/continuity/vacancy-days?scope=K01001', 400, /below the townships/],
    ['/api/continuity/vacancy-days?month=2026-07', 400, /has not begun/],
    ['/api/continuity/vacancy-days?month=2026-7', 400, /month/],
    ['/api/continuity/duties-ending?within=-1', 400, /within/],
    ['/api/continuity/duties-ending?within=4000', 400, /within/],
    ['/api/continuity/duties-ending?scope=NOPE', 404, /NOPE/],
    ['/api/continuity/shortfalls?colour=red', 400, /colour/],
  ]
  for (const [url, status, message] of cases) {
    it(`${url} → ${status}`, async () => {
      const before = await auditRows()
      const res = await t.app.inject({ method: 'GET', url, headers: h })
      expect(res.statusCode, res.body).toBe(status)
      expect(res.json().error.message).toMatch(message)
      expect(await auditRows()).toBe(before)
    })
  }

  it('accepts a range of exactly three years', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/continuity/shortfalls?from=2023-06-15&to=2026-06-14',
      headers: h,
    })
    expect(res.statusCode, res.body).toBe(200)
  })
})
