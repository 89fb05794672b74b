// The route × requester access matrix, written by hand: for every route (method + URL) and every kind
// of requester, the outcome it SHOULD have (401, 403 or allowed), decided from what each role is for
// (README "Who uses it") and not read from the routes' declared policies, so a wrong policy fails here.
// A route missing from the table fails the test: a new route must be added, and its row thought about.
//
// Requesters, in the order of every row:
//   anonymous, anonymous with PUBLIC_MAP=true, viewer (county officer), inspector,
//   supervisor acting in their own cell, supervisor acting in another's cell, admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { detectCapabilities } from '../../server/src/db/database.js'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

type Requester = 'anonymous' | 'publicMap' | 'viewer' | 'inspector' | 'supervisorOwn' | 'supervisorOther' | 'admin'
const REQUESTERS: Requester[] = [
  'anonymous',
  'publicMap',
  'viewer',
  'inspector',
  'supervisorOwn',
  'supervisorOther',
  'admin',
]

/** allowed: any answer but 401 unauthorized or 403 forbidden (a 404, 409 or 400 is the route at work) */
const A = 'allowed' as const
type Outcome = typeof A | 401 | 403
interface Case {
  url: string
  payload?: unknown
  /** one outcome per requester, in the order of REQUESTERS */
  expect: [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]
}

let t: TestApp
/** the same database served with the public map on, for anonymous visitors of it */
let publicMapApp: FastifyInstance
let world: { ownCell: string; otherCell: string; personId: number; parcelId: number; responsibilityId: number }
const headers: Partial<Record<Requester, Record<string, string>>> = {}
/** a flag dispatched to the own cell, with a photo */
const flagWorld = { flagId: 0, photoId: 0 }

beforeAll(async () => {
  t = await testApp({ env: { SIGNIN_RATE_PER_MINUTE: '100000' } })
  const f = factories(t.database.db)
  const region = await f.region('R1', box(113, 35, 113.02, 35.01))
  await f.cell({ regionId: region.id, code: 'R1', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  const own = await f.cell({
    regionId: region.id,
    code: 'R1001',
    level: 2,
    parentCode: 'R1',
    geometry: box(113, 35, 113.01, 35.01),
  })
  const other = await f.cell({
    regionId: region.id,
    code: 'R1002',
    level: 2,
    parentCode: 'R1',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  const { chief } = await f.staff(own.id)
  const otherStaff = await f.staff(other.id, ['Other chief', 'Other member'])
  const parcelId = await f.parcel({
    regionId: region.id,
    externalId: 'P1',
    geometry: box(113.002, 35.002, 113.004, 35.004),
  })
  await f.rematchAll(region.id)
  const duty = await f.duty({ personId: otherStaff.member.id, cellId: other.id, role: 'specialist' })
  world = { ownCell: own.code, otherCell: other.code, personId: chief.id, parcelId, responsibilityId: duty.id }
  headers.viewer = (await signedIn(t, 'viewer')).headers
  headers.inspector = (await signedIn(t, 'inspector')).headers
  headers.supervisorOwn = (await signedIn(t, 'supervisor', chief.id)).headers
  headers.supervisorOther = (await signedIn(t, 'supervisor', otherStaff.chief.id)).headers
  headers.admin = (await signedIn(t, 'admin')).headers
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 0xff, 0xd9]).toString('base64')
  const flag = await t.app.inject({
    method: 'POST',
    url: '/api/flags',
    headers: headers.inspector,
    payload: { category: 'dust', lon: 113.003, lat: 35.003, photos: [{ data: jpeg }] },
  })
  flagWorld.flagId = flag.json().id
  flagWorld.photoId = flag.json().photos[0].id
  await t.app.inject({
    method: 'POST',
    url: `/api/flags/${flagWorld.flagId}/register`,
    headers: headers.admin,
    payload: { version: 1 },
  })
  publicMapApp = await buildApp({
    config: loadConfig({ WEB_DIST: '/nonexistent', SIGNIN_RATE_PER_MINUTE: '100000', PUBLIC_MAP: 'true' }),
    database: t.database,
    capabilities: await detectCapabilities(t.database.db),
    now: () => t.clock.now,
    logger: { level: 'error' },
  })
  await publicMapApp.ready()
})
afterAll(async () => {
  await publicMapApp?.close()
  await t.close()
})

let counter = 0
/** The table. Rebuilt for each request, so payloads that create something get a fresh name. */
function table(): Record<string, Case[]> {
  const n = ++counter
  return {
    'GET /api/health': [{ url: '/api/health', expect: [A, A, A, A, A, A, A] }],
    'GET /api/map-config': [{ url: '/api/map-config', expect: [A, A, A, A, A, A, A] }],
    'POST /api/session': [
      { url: '/api/session', payload: { login: 'nobody', password: 'wrong password' }, expect: [A, A, A, A, A, A, A] },
    ],
    'GET /api/session': [{ url: '/api/session', expect: [A, A, A, A, A, A, A] }],
    'DELETE /api/session': [{ url: '/api/session', expect: [401, 401, A, A, A, A, A] }],
    'GET /api/users': [{ url: '/api/users', expect: [401, 401, 403, 403, 403, 403, A] }],
    'POST /api/users': [
      {
        url: '/api/users',
        payload: { login: `matrix-${n}`, displayName: 'M', role: 'viewer', password: 'long enough password' },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'PUT /api/users/:login/password': [
      {
        url: `/api/users/no-such-user/password`,
        payload: { password: 'long enough password' },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'GET /api/regions': [{ url: '/api/regions', expect: [401, A, A, A, A, A, A] }],
    'GET /api/regions/:code/outline': [{ url: '/api/regions/R1/outline', expect: [401, A, A, A, A, A, A] }],
    'GET /api/context-areas': [{ url: '/api/context-areas', expect: [401, A, A, A, A, A, A] }],
    'POST /api/regions/:code/rematch': [{ url: '/api/regions/R1/rematch', expect: [401, 401, 403, 403, 403, 403, A] }],
    'GET /api/cells': [{ url: '/api/cells?region=R1', expect: [401, A, A, A, A, A, A] }],
    'GET /api/cells/:code': [{ url: `/api/cells/${world.ownCell}`, expect: [401, A, A, A, A, A, A] }],
    'GET /api/parcels': [{ url: '/api/parcels?bbox=113,35,113.02,35.01&cell=R1', expect: [401, A, A, A, A, A, A] }],
    'GET /api/parcels/:id/accountability': [
      { url: `/api/parcels/${world.parcelId}/accountability`, expect: [401, A, A, A, A, A, A] },
    ],
    'GET /api/people': [{ url: '/api/people', expect: [401, A, A, A, A, A, A] }],
    'GET /api/people/:id': [{ url: `/api/people/${world.personId}`, expect: [401, A, A, A, A, A, A] }],
    'POST /api/people': [
      { url: '/api/people', payload: { name: `New ${n}` }, expect: [401, 401, 403, 403, 403, 403, A] },
    ],
    'POST /api/responsibilities': [
      {
        url: '/api/responsibilities',
        payload: { personId: world.personId, cellCode: world.otherCell, role: 'specialist', startsOn: '2026-01-01' },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'POST /api/responsibilities/:id/end': [
      {
        url: `/api/responsibilities/${world.responsibilityId}/end`,
        payload: { endsOn: '2099-01-01' },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'GET /api/accountability': [{ url: '/api/accountability?lon=113.003&lat=35.003', expect: [401, A, A, A, A, A, A] }],
    'GET /api/coverage': [{ url: '/api/coverage?region=R1', expect: [401, A, A, A, A, A, A] }],
    'GET /api/search': [{ url: '/api/search?q=R1', expect: [401, A, A, A, A, A, A] }],
    'GET /api/allowed-gaps': [{ url: '/api/allowed-gaps', expect: [401, A, A, A, A, A, A] }],
    'POST /api/edits/preview': [
      {
        url: '/api/edits/preview',
        payload: { operation: 'delete', cellCode: world.otherCell, version: 999, reason: 'matrix' },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'POST /api/edits': [
      {
        url: '/api/edits',
        payload: { operation: 'delete', cellCode: world.otherCell, version: 999, reason: 'matrix' },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'GET /api/cells/:code/history': [{ url: `/api/cells/${world.ownCell}/history`, expect: [401, A, A, A, A, A, A] }],
    'GET /api/staffing-rules': [{ url: '/api/staffing-rules', expect: [401, A, A, A, A, A, A] }],
    'PUT /api/staffing-rules/:level': [
      {
        url: '/api/staffing-rules/7',
        payload: { chiefsRequired: 1, membersRequired: 2 },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'DELETE /api/staffing-rules/:level': [{ url: '/api/staffing-rules/8', expect: [401, 401, 403, 403, 403, 403, A] }],
    'POST /api/parcels': [
      {
        url: '/api/parcels',
        payload: {
          externalId: `NEW-${n}`,
          landUse: 'farmland',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113.012, 35.002],
                [113.013, 35.002],
                [113.013, 35.003],
                [113.012, 35.002],
              ],
            ],
          },
        },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'PATCH /api/parcels/:id': [
      { url: `/api/parcels/${world.parcelId}`, payload: { ownerName: 'X' }, expect: [401, 401, 403, 403, 403, 403, A] },
    ],
    'DELETE /api/parcels/:id': [{ url: '/api/parcels/999999', expect: [401, 401, 403, 403, 403, 403, A] }],
    'POST /api/allowed-gaps': [
      {
        url: '/api/allowed-gaps',
        payload: {
          cellCode: 'R1',
          reason: 'reservoir',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113.001, 35.001],
                [113.002, 35.001],
                [113.002, 35.002],
                [113.001, 35.001],
              ],
            ],
          },
        },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'DELETE /api/allowed-gaps/:id': [{ url: '/api/allowed-gaps/999999', expect: [401, 401, 403, 403, 403, 403, A] }],
    'GET /api/flags/categories': [{ url: '/api/flags/categories', expect: [401, A, A, A, A, A, A] }],
    'PUT /api/flags/categories/:code': [
      {
        url: '/api/flags/categories/matrix',
        payload: {
          nameZh: '矩阵',
          nameEn: 'Matrix',
          ackLimit: { amount: 1, unit: 'working_days' },
          completeLimit: { amount: 2, unit: 'working_days' },
        },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'GET /api/flags/holidays': [{ url: '/api/flags/holidays', expect: [401, A, A, A, A, A, A] }],
    'PUT /api/flags/holidays/:day': [
      { url: '/api/flags/holidays/2099-01-01', payload: { name: 'matrix' }, expect: [401, 401, 403, 403, 403, 403, A] },
    ],
    'DELETE /api/flags/holidays/:day': [
      { url: '/api/flags/holidays/2099-01-02', expect: [401, 401, 403, 403, 403, 403, A] },
    ],
    'POST /api/flags': [
      {
        url: '/api/flags',
        payload: { category: 'dust', lon: 113.004, lat: 35.004, confirmNotDuplicate: true },
        expect: [401, 401, 403, A, 403, 403, A],
      },
    ],
    'GET /api/flags': [{ url: '/api/flags?mine=true', expect: [401, 401, A, A, 403, 403, A] }],
    'GET /api/flags/inbox': [{ url: '/api/flags/inbox', expect: [401, 401, 403, 403, A, A, 403] }],
    'GET /api/flags.geojson': [
      { url: '/api/flags.geojson?bbox=113,35,113.02,35.01', expect: [401, 401, A, A, A, A, A] },
    ],
    'GET /api/flags/export': [{ url: '/api/flags/export?format=csv', expect: [401, 401, A, 403, 403, 403, A] }],
    'GET /api/flags/assessment': [
      { url: '/api/flags/assessment?month=2026-11', expect: [401, 401, A, 403, 403, 403, A] },
    ],
    'POST /api/flags/escalate': [{ url: '/api/flags/escalate', expect: [401, 401, 403, 403, 403, 403, A] }],
    'GET /api/flags/:id': [{ url: `/api/flags/${flagWorld.flagId}`, expect: [401, 401, A, A, A, 403, A] }],
    'GET /api/flags/:id/photos/:photoId': [
      { url: `/api/flags/${flagWorld.flagId}/photos/${flagWorld.photoId}`, expect: [401, 401, A, A, A, 403, A] },
    ],
    'POST /api/flags/:id/register': [
      {
        url: `/api/flags/${flagWorld.flagId}/register`,
        payload: { version: 999 },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'POST /api/flags/:id/reject': [
      {
        url: `/api/flags/${flagWorld.flagId}/reject`,
        payload: { version: 999, reason: 'matrix' },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'POST /api/flags/:id/acknowledge': [
      {
        url: `/api/flags/${flagWorld.flagId}/acknowledge`,
        payload: { version: 999 },
        expect: [401, 401, 403, 403, A, 403, A],
      },
    ],
    'POST /api/flags/:id/feedback': [
      {
        url: `/api/flags/${flagWorld.flagId}/feedback`,
        payload: { version: 999, note: 'matrix' },
        expect: [401, 401, 403, 403, A, 403, A],
      },
    ],
    'POST /api/flags/:id/verify': [
      {
        url: `/api/flags/${flagWorld.flagId}/verify`,
        payload: { version: 999 },
        expect: [401, 401, 403, A, 403, 403, A],
      },
    ],
    'POST /api/flags/:id/return': [
      {
        url: `/api/flags/${flagWorld.flagId}/return`,
        payload: { version: 999, comment: 'matrix' },
        expect: [401, 401, 403, A, 403, 403, A],
      },
    ],
    'POST /api/flags/:id/reopen': [
      {
        url: `/api/flags/${flagWorld.flagId}/reopen`,
        payload: { version: 999, comment: 'matrix' },
        expect: [401, 401, 403, A, 403, 403, A],
      },
    ],
    'POST /api/imports/:kind': [
      {
        url: '/api/imports/regions',
        payload: { type: 'FeatureCollection', features: [] },
        expect: [401, 401, 403, 403, 403, 403, A],
      },
    ],
    'GET /tiles/:layer/:z/:x/:y.pbf': [
      { url: '/tiles/cells/14/13335/6489.pbf', expect: [401, A, A, A, A, A, A] },
      { url: '/tiles/cells-2/14/13335/6489.pbf', expect: [401, A, A, A, A, A, A] },
      { url: '/tiles/parcels/14/13335/6489.pbf', expect: [401, A, A, A, A, A, A] },
      { url: '/tiles/gaps/14/13335/6489.pbf', expect: [401, A, A, A, A, A, A] },
      { url: '/tiles/overlaps/14/13335/6489.pbf', expect: [401, A, A, A, A, A, A] },
      // as GET /api/flags.geojson: signed-in readers only (supervisors get their own cells' flags)
      { url: '/tiles/flags/14/13335/6489.pbf', expect: [401, 401, A, A, A, A, A] },
    ],
  }
}

function outcomeOf(status: number, code: string | null): Outcome {
  if (status === 401 && code === 'unauthorized') return 401
  if (status === 403 && code === 'forbidden') return 403
  return A
}

describe('route × requester access matrix', () => {
  it('every registered route has a row, and every request gets the outcome written in it', async () => {
    const routes = t.app.accessPolicies
      .filter((r) => r.url.startsWith('/api') || r.url.startsWith('/tiles'))
      .map((r) => `${r.method} ${r.url}`)
    const rows = Object.keys(table())
    expect(
      routes.filter((r) => !rows.includes(r)),
      'routes with no row in the table: add them by hand',
    ).toEqual([])
    expect(
      rows.filter((r) => !routes.includes(r)),
      'rows for routes that do not exist',
    ).toEqual([])

    const wrong: string[] = []
    let checked = 0
    for (const route of routes) {
      const [method] = route.split(' ')
      for (let i = 0; i < table()[route]!.length; i++) {
        for (const [r, who] of REQUESTERS.entries()) {
          const c = table()[route]![i]!
          let h: Record<string, string> = who === 'anonymous' || who === 'publicMap' ? {} : headers[who]!
          // signing out ends the session the other requests use: sign out a fresh one
          if (route === 'DELETE /api/session' && h.cookie) {
            const role = who.startsWith('supervisor') ? 'supervisor' : (who as 'viewer')
            h = (await signedIn(t, role, role === 'supervisor' ? world.personId : null)).headers
          }
          const app = who === 'publicMap' ? publicMapApp : t.app
          const res = await app.inject({
            method: method as 'GET',
            url: c.url,
            payload: c.payload as object,
            headers: h,
          })
          const code = res.statusCode >= 400 ? ((res.json() as { error?: { code: string } }).error?.code ?? null) : null
          const got = outcomeOf(res.statusCode, code)
          checked++
          if (got !== c.expect[r])
            wrong.push(`${method} ${c.url} as ${who}: expected ${c.expect[r]}, got ${res.statusCode} ${code ?? ''}`)
          if (got === A) expect(res.statusCode, `${method} ${c.url} as ${who}: ${res.body}`).toBeLessThan(500)
        }
      }
    }
    expect(wrong).toEqual([])
    console.log(`access matrix: ${routes.length} routes, ${checked} requests checked against the table`)
  })
})
