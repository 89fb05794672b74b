// The route × role matrix: every registered /api route is requested as anonymous, viewer, inspector,
// supervisor (own cell and another cell) and admin, and the outcome is checked against the policy the
// route declares. A route with no sample request here fails the test, so new routes get checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Access } from '../../server/src/plugins/access.js'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

type Requester = 'anonymous' | 'viewer' | 'inspector' | 'supervisorOwn' | 'supervisorOther' | 'admin'
const REQUESTERS: Requester[] = ['anonymous', 'viewer', 'inspector', 'supervisorOwn', 'supervisorOther', 'admin']

interface Sample {
  url: string
  payload?: unknown
}

let t: TestApp
let world: { ownCell: string; otherCell: string; personId: number; parcelId: number; responsibilityId: number }
const headers: Partial<Record<Requester, Record<string, string>>> = {}
/** a flag dispatched to the own cell, with a photo */
const flagWorld = { flagId: 0, photoId: 0 }

beforeAll(async () => {
  t = await testApp({ env: { SIGNIN_RATE_PER_MINUTE: '100000' } })
  const f = factories(t.database.db)
  const region = await f.region('R1', box(113, 35, 113.02, 35.01))
  await f.cell({ regionId: region.id, code: 'R1', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  const own = await f.cell({ regionId: region.id, code: 'R1001', level: 2, parentCode: 'R1', geometry: box(113, 35, 113.01, 35.01) })
  const other = await f.cell({ regionId: region.id, code: 'R1002', level: 2, parentCode: 'R1', geometry: box(113.01, 35, 113.02, 35.01) })
  const { chief } = await f.staff(own.id)
  const otherStaff = await f.staff(other.id, ['Other chief', 'Other member'])
  const parcelId = await f.parcel({ regionId: region.id, externalId: 'P1', geometry: box(113.002, 35.002, 113.004, 35.004) })
  await f.rematchAll(region.id)
  const duty = await f.duty({ personId: otherStaff.member.id, cellId: other.id, role: 'specialist' })
  world = { ownCell: own.code, otherCell: other.code, personId: chief.id, parcelId, responsibilityId: duty.id }
  headers.viewer = (await signedIn(t, 'viewer')).headers
  headers.inspector = (await signedIn(t, 'inspector')).headers
  headers.supervisorOwn = (await signedIn(t, 'supervisor', chief.id)).headers
  headers.supervisorOther = (await signedIn(t, 'supervisor', otherStaff.chief.id)).headers
  headers.admin = (await signedIn(t, 'admin')).headers
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 0xff, 0xd9]).toString('base64')
  const flag = await t.app.inject({ method: 'POST', url: '/api/flags', headers: headers.inspector, payload: { category: 'dust', lon: 113.003, lat: 35.003, photos: [{ data: jpeg }] } })
  flagWorld.flagId = flag.json().id
  flagWorld.photoId = flag.json().photos[0].id
  await t.app.inject({ method: 'POST', url: `/api/flags/${flagWorld.flagId}/register`, headers: headers.admin, payload: { version: 1 } })
})
afterAll(async () => t.close())

let sampleCounter = 0
/** A request for every route; `cell` is the cell the request acts on (for supervisor scope). */
function sample(method: string, url: string): Sample | undefined {
  const n = ++sampleCounter
  const samples: Record<string, Sample> = {
    'GET /api/health': { url: '/api/health' },
    'GET /api/map-config': { url: '/api/map-config' },
    'POST /api/session': { url: '/api/session', payload: { login: 'nobody', password: 'wrong password' } },
    'GET /api/session': { url: '/api/session' },
    'DELETE /api/session': { url: '/api/session' },
    'GET /api/users': { url: '/api/users' },
    'POST /api/users': { url: '/api/users', payload: { login: `matrix-${n}`, displayName: 'M', role: 'viewer', password: 'long enough password' } },
    'PUT /api/users/:login/password': { url: `/api/users/no-such-user/password`, payload: { password: 'long enough password' } },
    'GET /api/regions': { url: '/api/regions' },
    'GET /api/regions/:code/outline': { url: '/api/regions/R1/outline' },
    'GET /api/context-areas': { url: '/api/context-areas' },
    'POST /api/regions/:code/rematch': { url: '/api/regions/R1/rematch' },
    'GET /api/cells': { url: '/api/cells?region=R1' },
    'GET /api/cells/:code': { url: `/api/cells/${world.ownCell}` },
    'GET /api/parcels': { url: '/api/parcels?bbox=113,35,113.02,35.01&cell=R1' },
    'GET /api/parcels/:id/accountability': { url: `/api/parcels/${world.parcelId}/accountability` },
    'GET /api/people': { url: '/api/people' },
    'GET /api/people/:id': { url: `/api/people/${world.personId}` },
    'POST /api/people': { url: '/api/people', payload: { name: `New ${n}` } },
    'POST /api/responsibilities': { url: '/api/responsibilities', payload: { personId: world.personId, cellCode: world.otherCell, role: 'specialist', startsOn: '2026-01-01' } },
    'POST /api/responsibilities/:id/end': { url: `/api/responsibilities/${world.responsibilityId}/end`, payload: { endsOn: '2099-01-01' } },
    'GET /api/accountability': { url: '/api/accountability?lon=113.003&lat=35.003' },
    'GET /api/coverage': { url: '/api/coverage?region=R1' },
    'GET /api/search': { url: '/api/search?q=R1' },
    'GET /api/allowed-gaps': { url: '/api/allowed-gaps' },
    'POST /api/edits/preview': { url: '/api/edits/preview', payload: { operation: 'delete', cellCode: world.otherCell, version: 999, reason: 'matrix' } },
    'POST /api/edits': { url: '/api/edits', payload: { operation: 'delete', cellCode: world.otherCell, version: 999, reason: 'matrix' } },
    'GET /api/cells/:code/history': { url: `/api/cells/${world.ownCell}/history` },
    'GET /api/staffing-rules': { url: '/api/staffing-rules' },
    'PUT /api/staffing-rules/:level': { url: '/api/staffing-rules/7', payload: { chiefsRequired: 1, membersRequired: 2 } },
    'DELETE /api/staffing-rules/:level': { url: '/api/staffing-rules/8' },
    'POST /api/parcels': { url: '/api/parcels', payload: { externalId: `NEW-${n}`, landUse: 'farmland', geometry: { type: 'Polygon', coordinates: [[[113.012, 35.002], [113.013, 35.002], [113.013, 35.003], [113.012, 35.002]]] } } },
    'PATCH /api/parcels/:id': { url: `/api/parcels/${world.parcelId}`, payload: { ownerName: 'X' } },
    'DELETE /api/parcels/:id': { url: '/api/parcels/999999' },
    'POST /api/allowed-gaps': { url: '/api/allowed-gaps', payload: { cellCode: 'R1', reason: 'reservoir', geometry: { type: 'Polygon', coordinates: [[[113.001, 35.001], [113.002, 35.001], [113.002, 35.002], [113.001, 35.001]]] } } },
    'DELETE /api/allowed-gaps/:id': { url: '/api/allowed-gaps/999999' },
    'GET /api/flags/categories': { url: '/api/flags/categories' },
    'PUT /api/flags/categories/:code': { url: '/api/flags/categories/matrix', payload: { nameZh: '矩阵', nameEn: 'Matrix', ackLimit: { amount: 1, unit: 'working_days' }, completeLimit: { amount: 2, unit: 'working_days' } } },
    'GET /api/flags/holidays': { url: '/api/flags/holidays' },
    'PUT /api/flags/holidays/:day': { url: '/api/flags/holidays/2099-01-01', payload: { name: 'matrix' } },
    'DELETE /api/flags/holidays/:day': { url: '/api/flags/holidays/2099-01-02' },
    'POST /api/flags': { url: '/api/flags', payload: { category: 'dust', lon: 113.004, lat: 35.004, confirmNotDuplicate: true } },
    'GET /api/flags': { url: '/api/flags?mine=true' },
    'GET /api/flags/inbox': { url: '/api/flags/inbox' },
    'GET /api/flags.geojson': { url: '/api/flags.geojson?bbox=113,35,113.02,35.01' },
    'GET /api/flags/export': { url: '/api/flags/export?format=csv' },
    'GET /api/flags/assessment': { url: '/api/flags/assessment?month=2026-11' },
    'POST /api/flags/escalate': { url: '/api/flags/escalate' },
    'GET /api/flags/:id': { url: `/api/flags/${flagWorld.flagId}` },
    'GET /api/flags/:id/photos/:photoId': { url: `/api/flags/${flagWorld.flagId}/photos/${flagWorld.photoId}` },
    // a stale version: allowed requests end in 409 and leave the flag as it is
    'POST /api/flags/:id/register': { url: `/api/flags/${flagWorld.flagId}/register`, payload: { version: 999 } },
    'POST /api/flags/:id/reject': { url: `/api/flags/${flagWorld.flagId}/reject`, payload: { version: 999, reason: 'matrix' } },
    'POST /api/flags/:id/acknowledge': { url: `/api/flags/${flagWorld.flagId}/acknowledge`, payload: { version: 999 } },
    'POST /api/flags/:id/feedback': { url: `/api/flags/${flagWorld.flagId}/feedback`, payload: { version: 999, note: 'matrix' } },
    'POST /api/flags/:id/verify': { url: `/api/flags/${flagWorld.flagId}/verify`, payload: { version: 999 } },
    'POST /api/flags/:id/return': { url: `/api/flags/${flagWorld.flagId}/return`, payload: { version: 999, comment: 'matrix' } },
    'POST /api/flags/:id/reopen': { url: `/api/flags/${flagWorld.flagId}/reopen`, payload: { version: 999, comment: 'matrix' } },
    'GET /tiles/:layer/:z/:x/:y.pbf': { url: '/tiles/cells/14/13335/6489.pbf' },
    'POST /api/imports/:kind': { url: '/api/imports/regions', payload: { type: 'FeatureCollection', features: [] } },
  }
  return samples[`${method} ${url}`]
}

function expectedDecision(access: Access, who: Requester): 'allow' | 'deny401' | 'deny403' {
  if ('public' in access) return 'allow'
  if (who === 'anonymous') return 'deny401'
  if ('read' in access) return 'allow'
  const role = who.startsWith('supervisor') ? 'supervisor' : who
  if (!access.roles.includes(role as never)) return 'deny403'
  if (who === 'supervisorOther' && access.supervisorScope) return 'deny403'
  return 'allow'
}

describe('route × role access matrix', () => {
  it('covers every registered /api route, and every cell of the matrix matches its declared policy', async () => {
    const routes = t.app.accessPolicies.filter((r) => r.url.startsWith('/api') || r.url.startsWith('/tiles'))
    expect(routes.length).toBeGreaterThanOrEqual(20)
    const missing = routes.filter((r) => !sample(r.method, r.url)).map((r) => `${r.method} ${r.url}`)
    expect(missing, 'routes without a sample request in this test').toEqual([])

    const outcomes: string[] = []
    let cells = 0
    for (const route of routes) {
      for (const who of REQUESTERS) {
        const s = sample(route.method, route.url)!
        let h = who === 'anonymous' ? {} : headers[who]!
        // signing out ends the session the other requests use: sign out a fresh one
        if (route.method === 'DELETE' && route.url === '/api/session' && who !== 'anonymous') {
          const role = who.startsWith('supervisor') ? 'supervisor' : (who as 'viewer')
          h = (await signedIn(t, role, role === 'supervisor' ? world.personId : null)).headers
        }
        const res = await t.app.inject({ method: route.method as 'GET', url: s.url, payload: s.payload as object, headers: h })
        const code = res.statusCode >= 400 ? (res.json() as { error: { code: string } }).error.code : null
        const decision = res.statusCode === 401 && code === 'unauthorized' ? 'deny401' : res.statusCode === 403 ? 'deny403' : 'allow'
        const expected = expectedDecision(route.access, who)
        cells++
        if (decision !== expected) outcomes.push(`${route.method} ${route.url} as ${who}: expected ${expected}, got ${res.statusCode} ${code}`)
        if (decision === 'allow') expect(res.statusCode, `${route.method} ${route.url} as ${who}`).toBeLessThan(500)
      }
    }
    expect(outcomes).toEqual([])
    expect(cells).toBe(routes.length * REQUESTERS.length)
    console.log(`access matrix: ${routes.length} routes × ${REQUESTERS.length} requesters = ${cells} cells checked`)
  })
})
