// Patrol completion as an assessment indicator, worked out by hand from the objects and visits below.
// The world of assessment.helpers.ts: T1 (113.0–113.1) with its child T1A covering the west half,
// T2 (113.1–113.2) and T3 (113.2–113.3), all 35.0–35.1. Objects (visits required a month by risk):
//   T1A: O1 high (4) at 113.02, O2 low (1) at 113.03     T2: O3 medium (2) at 113.15     T3: none
// March visits: O1 on the 2nd, twice on the 3rd, the 5th (3 days → 3 of 4); O2 on the 2nd and 9th (2
// days, capped at 1); O3 none. T1 = (3 + 1) / (4 + 1) = 80 %; T2 = 0 / 2 = 0 %; T3 has nothing
// required, so the indicator does not apply to it (no score, no rank). The objects are filed on 1 March:
// February required nothing of them; April requires the same as March.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { assessmentWorld, type AssessmentWorld } from './assessment.helpers.js'

let t: TestApp
let w: AssessmentWorld
const objectIds: Record<string, number> = {}
let walker: Record<string, string>

const SCHEME = {
  redListSize: 0,
  blackListSize: 0,
  indicators: [
    {
      code: 'patrol',
      kind: 'patrol_completion',
      name: '巡查完成率',
      nameEn: 'Patrol completion',
      weight: 100,
      appliesTo: 'township',
    },
  ],
}

async function post(headers: Record<string, string>, url: string, payload: unknown) {
  const res = await t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })
  expect(res.statusCode, res.body).toBeLessThan(300)
  return res.json()
}

/** One patrol on `day` (March 2026), checking in at each object at its own place, 10 minutes apart. */
async function patrolOn(day: string, codes: string[]) {
  const at = (minutes: number) => new Date(Date.parse(`2026-03-${day}T01:00:00Z`) + minutes * 60_000).toISOString()
  const patrol = await post(walker, '/api/patrols', { startedAt: at(0) })
  for (const [i, code] of codes.entries()) {
    const lon = { O1: 113.02, O2: 113.03, O3: 113.15 }[code]!
    await post(walker, `/api/patrols/${patrol.id}/check-ins`, {
      objectId: objectIds[code],
      lon,
      lat: 35.05,
      checkedAt: at(10 * (i + 1)),
      checklist: [],
    })
  }
  await post(walker, `/api/patrols/${patrol.id}/end`, { endedAt: at(60) })
}

beforeAll(async () => {
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760' } })
  t.clock.now = new Date('2026-03-01T02:00:00Z')
  w = await assessmentWorld(t)
  const admin = (await signedIn(t, 'admin')).headers
  walker = (await signedIn(t, 'supervisor', w.personId)).headers
  const put = await t.app.inject({
    method: 'PUT',
    url: '/api/assessment/schemes/2026',
    headers: admin,
    payload: SCHEME,
  })
  expect(put.statusCode, put.body).toBe(200)
  for (const [code, type, riskLevel, lon] of [
    ['O1', 'boiler', 'high', 113.02],
    ['O2', 'river_outfall', 'low', 113.03],
    ['O3', 'enterprise', 'medium', 113.15],
  ] as const) {
    const created = await post(admin, '/api/objects', {
      code,
      name: code,
      type,
      riskLevel,
      geometry: { type: 'Point', coordinates: [lon, 35.05] },
    })
    objectIds[code] = created.object.id
  }
  t.clock.now = new Date('2026-04-01T02:00:00Z')
  await patrolOn('02', ['O1', 'O2'])
  await patrolOn('03', ['O1', 'O1'])
  await patrolOn('05', ['O1'])
  await patrolOn('09', ['O2'])
})
afterAll(() => t?.close())

describe('patrol completion in the assessment', () => {
  it('scores each township on the visits its objects required, with the cells it was computed from', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/assessment/2026-03', headers: walker })
    expect(res.statusCode, res.body).toBe(200)
    const rows = res.json().groups.township as { unit: { code: string }; score: number | null; rank: number | null }[]
    const byCode = Object.fromEntries(rows.map((r) => [r.unit.code, [r.score, r.rank]]))
    expect(byCode).toEqual({ T1: [80, 1], T2: [0, 2], T3: [null, null] })

    const t1 = await t.app.inject({ method: 'GET', url: '/api/assessment/2026-03/units/T1', headers: walker })
    const part = t1.json().parts.find((p: { indicator: string }) => p.indicator === 'patrol')
    expect(part.rawValue).toBeCloseTo(0.8, 10)
    expect(part.details).toEqual([
      { row: 'patrol_cell', cellCode: 'T1A', objects: 2, requiredVisits: 5, visitsMade: 4 },
    ])
  })

  it('counts no visit in another month, and requires nothing before the objects were filed', async () => {
    const scores = async (month: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/assessment/${month}`, headers: walker })
      expect(res.statusCode, res.body).toBe(200)
      const rows = res.json().groups.township as { unit: { code: string }; score: number | null }[]
      return Object.fromEntries(rows.map((r) => [r.unit.code, r.score]))
    }
    expect(await scores('2026-04')).toEqual({ T1: 0, T2: 0, T3: null })
    expect(await scores('2026-02')).toEqual({ T1: null, T2: null, T3: null })
  })
})
