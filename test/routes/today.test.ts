// One "today": the service time zone's day, whatever the process time zone. At 17:00 UTC on 30 November
// it is already 1 December in Shanghai, so a duty starting on 1 December is on duty for every API that
// answers "today" — and the web app is told that day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'
import { flagApi, point } from './flags.helpers.js'

// the process clock says 30 November; only the service time zone may turn it into 1 December
process.env.TZ = 'UTC'

let t: TestApp
let viewer: Record<string, string>
let inspector: Record<string, string>
let supervisor: Record<string, string>
const INSIDE = [113.005, 35.005]

beforeAll(async () => {
  t = await testApp({ env: { SERVICE_TIME_ZONE: 'Asia/Shanghai' } })
  t.clock.now = new Date('2026-11-30T17:00:00Z')
  const f = factories(t.database.db)
  const region = await f.region('D', box(113, 35, 113.02, 35.01))
  const county = await f.cell({ regionId: region.id, code: 'D', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  const cell = await f.cell({
    regionId: region.id,
    code: 'D001',
    level: 2,
    parentCode: 'D',
    geometry: box(113, 35, 113.01, 35.01),
  })
  await f.staff(county.id, ['县长', '县员'])
  // D001 had nobody on 30 November; its new chief starts on 1 December
  const leaver = await f.person('旧网格长')
  await f.duty({
    personId: leaver.id,
    cellId: cell.id,
    role: 'grid_chief',
    startsOn: '2020-01-01',
    endsOn: '2026-11-29',
  })
  const chief = await f.person('新网格长')
  await f.duty({ personId: chief.id, cellId: cell.id, role: 'grid_chief', startsOn: '2026-12-01' })
  viewer = (await signedIn(t, 'viewer')).headers
  inspector = (await signedIn(t, 'inspector')).headers
  supervisor = (await signedIn(t, 'supervisor', chief.id)).headers
})
afterAll(async () => t?.close())

describe('today is the service time zone day', () => {
  it('GET /api/map-config says today is 1 December in Asia/Shanghai', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/map-config' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ today: '2026-12-01', timeZone: 'Asia/Shanghai' })
  })

  it('GET /api/accountability (point lookup): the new chief answers for the point', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/accountability?lon=${INSIDE[0]}&lat=${INSIDE[1]}`,
      headers: viewer,
    })
    expect(res.statusCode, res.body).toBe(200)
    const chain = res.json().chain as { cell: { code: string }; people: { name: string }[] }[]
    expect(chain[0]!.cell.code).toBe('D001')
    expect(chain[0]!.people.map((p) => p.name)).toEqual(['新网格长'])
  })

  it('GET /api/cells/:code (cell detail): the new chief is on duty', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/cells/D001', headers: viewer })
    expect(res.statusCode, res.body).toBe(200)
    expect((res.json().people as { name: string }[]).map((p) => p.name)).toEqual(['新网格长'])
  })

  it('POST /api/flags routes to D001, and the new chief (supervisor scope) sees the flag', async () => {
    const flag = await flagApi(t).reportOk(inspector, { category: 'pollution', geometry: point(INSIDE) })
    expect(flag.routing).toMatchObject({ cellCode: 'D001', accountableCellCode: 'D001' })
    const res = await t.app.inject({ method: 'GET', url: '/api/flags.geojson', headers: supervisor })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['x-total-count']).toBe('1')
  })
})
