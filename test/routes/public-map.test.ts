// What an anonymous visitor of the public map (PUBLIC_MAP=true) may read: the map, names and history,
// never staff logins (who changed a cell) and never flags (GET /api/flags is 401 for them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertFlag } from '../../server/src/features/flags/repository.js'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let viewer: Record<string, string>
let adminLogin: string
let unownedFlagId: number
let townChief: Record<string, string>
let villageChief: Record<string, string>

beforeAll(async () => {
  t = await testApp({ env: { PUBLIC_MAP: 'true' } })
  const f = factories(t.database.db)
  const region = await f.region('R1', box(113, 35, 113.02, 35.01))
  const r1 = await f.cell({ regionId: region.id, code: 'R1', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  const town = await f.staff(r1.id)
  const r1001 = await f.cell({
    regionId: region.id,
    code: 'R1001',
    level: 2,
    parentCode: 'R1',
    geometry: box(113, 35, 113.01, 35.01),
  })
  const village = await f.staff(r1001.id, ['Village chief', 'Village member'])
  townChief = (await signedIn(t, 'supervisor', town.chief.id)).headers
  villageChief = (await signedIn(t, 'supervisor', village.chief.id)).headers
  await f.cell({
    regionId: region.id,
    code: 'R1002',
    level: 2,
    parentCode: 'R1',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  viewer = (await signedIn(t, 'viewer')).headers
  const admin = await signedIn(t, 'admin')
  adminLogin = admin.login
  // a real edit by the admin, so the cell's history records their login
  const edit = await t.app.inject({
    method: 'POST',
    url: '/api/edits',
    headers: admin.headers,
    payload: { operation: 'delete', cellCode: 'R1002', version: 1, reason: 'merged into the town' },
  })
  expect(edit.statusCode, edit.body).toBe(200)
  // an open flag in the gap the edit left: the coverage report lists it as unowned
  unownedFlagId = await insertFlag(t.database.db, {
    category: 'dumping',
    description: 'in the gap',
    geojson: JSON.stringify({ type: 'Point', coordinates: [113.015, 35.005] }),
    reportedBy: null,
    at: new Date('2026-02-01T00:00:00Z'),
    routing: {
      cell_id: r1.id,
      accountable_cell_id: r1.id,
      township_cell_id: r1.id,
      missing_level: 2,
      gap_parent_cell_id: r1.id,
      routing_rule: 'fallback_gap',
      routed_on: '2026-02-01',
      unowned: true,
    },
  })
})
afterAll(async () => t.close())

describe('GET /api/cells/:code/history', () => {
  it('shows who changed the cell to signed-in users only; anonymous visitors get the history without logins', async () => {
    const signedInHistory = (
      await t.app.inject({ method: 'GET', url: '/api/cells/R1002/history', headers: viewer })
    ).json() as { changedBy: string | null }[]
    expect(signedInHistory.map((v) => v.changedBy)).toEqual(['factory', adminLogin])

    const res = await t.app.inject({ method: 'GET', url: '/api/cells/R1002/history' })
    expect(res.statusCode).toBe(200)
    const anonymous = res.json() as { version: number; changedBy: string | null; reason: string | null }[]
    expect(anonymous.map((v) => v.version)).toEqual([1, 2])
    expect(anonymous.map((v) => v.changedBy)).toEqual([null, null])
    expect(anonymous[1]!.reason).toBe('merged into the town')
    expect(res.body).not.toContain(adminLogin)
  })
})

describe('GET /api/coverage', () => {
  it('lists unowned flags to signed-in users, not to anonymous visitors', async () => {
    const forViewer = (await t.app.inject({ method: 'GET', url: '/api/coverage?region=R1', headers: viewer })).json()
    expect((forViewer.flags.unowned as { id: number }[]).map((f) => f.id)).toEqual([unownedFlagId])

    const res = await t.app.inject({ method: 'GET', url: '/api/coverage?region=R1' })
    expect(res.statusCode).toBe(200)
    const anonymous = res.json()
    expect(anonymous.flags).toBeUndefined()
    // the rest of the report is the same
    expect(anonymous.gaps.length).toBe(forViewer.gaps.length)
    expect((await t.app.inject({ method: 'GET', url: '/api/flags' })).statusCode).toBe(401)
  })
})

describe('GET /api/coverage as a supervisor', () => {
  it("lists only the unowned flags the supervisor's own flag list shows them", async () => {
    const ids = async (headers: Record<string, string>) => {
      const res = await t.app.inject({ method: 'GET', url: '/api/coverage?region=R1', headers })
      expect(res.statusCode, res.body).toBe(200)
      return (res.json().flags.unowned as { id: number }[]).map((f) => f.id)
    }
    // the flag falls back to the township R1: its chief answers for it, the chief of village R1001 does not
    expect(await ids(townChief)).toEqual([unownedFlagId])
    expect(await ids(villageChief)).toEqual([])
    const own = await t.app.inject({ method: 'GET', url: '/api/flags', headers: villageChief })
    expect(own.body).not.toContain(`"id":${unownedFlagId},`)
  })
})
