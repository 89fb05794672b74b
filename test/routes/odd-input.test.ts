// Odd scalar input, one request each: every case once gave a 500 (or would have, the same cause
// reached through another route). Each must now be a 4xx in the one error shape that names the
// parameter, and write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.js'
import { buildInputWorld, expectErrorShape, storedState, type InputWorld, type Requester } from './input.helpers.js'

let t: TestApp
let w: InputWorld

beforeAll(async () => {
  t = await testApp({ env: { SIGNIN_RATE_PER_MINUTE: '100000' } })
  w = await buildInputWorld(t)
})
afterAll(async () => t?.close())

interface Case {
  /** what is odd, and the parameter the answer must name */
  parameter: string
  as: Requester
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: () => string
  payload?: () => unknown
}

const get = (as: Requester, parameter: string, url: () => string): Case => ({ as, parameter, method: 'GET', url })

const CASES: Case[] = [
  get('viewer', 'limit', () => '/api/cells?limit=Infinity'),
  get('viewer', 'limit', () => '/api/cells?limit=NaN'),
  get('viewer', 'offset', () => '/api/cells?offset=1e20'),
  get('viewer', 'offset', () => '/api/cells?offset=Infinity'),
  get('viewer', 'level', () => '/api/cells?level=Infinity'),
  get('viewer', 'simplify', () => '/api/cells?simplify=-Infinity'),
  get('viewer', 'region', () => '/api/cells?region=R1%00'),
  get('viewer', 'at', () => '/api/cells?at=9999-12-31'),
  get('viewer', 'code', () => '/api/cells/R1%00'),
  get('viewer', 'at', () => `/api/cells/${w.cell}?at=9999-12-31`),
  get('viewer', 'at', () => `/api/cells/${w.cell}?at=0000-01-01`),
  get('viewer', 'at', () => `/api/cells/${w.cell}?at=2026-02-30`),
  get('viewer', 'code', () => '/api/cells/%00/history'),
  get('viewer', 'code', () => '/api/regions/%00/outline'),
  get('viewer', 'offset', () => '/api/people?offset=1e20'),
  get('viewer', 'q', () => '/api/people?q=%00'),
  get('viewer', 'id', () => '/api/people/1e20'),
  get('viewer', 'at', () => `/api/people/${w.personId}?at=9999-12-31`),
  get('viewer', 'offset', () => '/api/parcels?offset=1e20'),
  get('viewer', 'cell', () => '/api/parcels?cell=%00'),
  get('viewer', 'at', () => `/api/parcels/${w.parcelId}/accountability?at=9999-12-31`),
  get('viewer', 'lon', () => '/api/accountability?lon=Infinity&lat=35'),
  get('viewer', 'at', () => '/api/accountability?lon=113.003&lat=35.003&at=9999-12-31'),
  get('viewer', 'at', () => '/api/coverage?region=R1&at=9999-12-31'),
  get('viewer', 'minArea', () => '/api/coverage?region=R1&minArea=Infinity'),
  get('viewer', 'region', () => '/api/coverage?region=%00'),
  get('viewer', 'q', () => '/api/search?q=R%00'),
  get('viewer', 'limit', () => '/api/search?q=R&limit=Infinity'),
  get('viewer', 'id', () => '/api/flags/Infinity'),
  get('viewer', 'id', () => '/api/flags/1e20'),
  get('viewer', 'photoId', () => `/api/flags/${w.flagId}/photos/Infinity`),
  get('viewer', 'offset', () => '/api/flags?offset=1e20'),
  get('viewer', 'limit', () => '/api/flags?limit=Infinity'),
  get('viewer', 'to', () => '/api/flags?to=9999-12-31'),
  get('viewer', 'from', () => '/api/flags?from=0000-01-01'),
  get('viewer', 'category', () => '/api/flags?category=dust%00'),
  get('viewer', 'township', () => '/api/flags?township=%00'),
  get('viewer', 'to', () => '/api/flags.geojson?to=9999-12-31'),
  get('viewer', 'to', () => '/api/flags/export?format=csv&to=9999-12-31'),
  get('viewer', 'month', () => '/api/flags/assessment?month=9999-12'),
  get('supervisor', 'offset', () => '/api/flags/inbox?offset=1e20'),
  get('viewer', 'level', () => '/tiles/cells/14/13335/6489.pbf?level=Infinity'),
  get('viewer', 'at', () => '/tiles/cells/14/13335/6489.pbf?at=9999-12-31'),
  get('viewer', 'z', () => '/tiles/cells/Infinity/0/0.pbf'),
  get('viewer', 'layer', () => '/tiles/cells%00/1/1/1.pbf'),
  { as: 'admin', parameter: 'name', method: 'POST', url: () => '/api/people', payload: () => ({ name: 'A\u0000B' }) },
  { as: 'admin', parameter: 'personId', method: 'POST', url: () => '/api/responsibilities', payload: () => ({ personId: 1e20, cellCode: 'R1002', role: 'specialist', startsOn: '2026-01-01' }) },
  { as: 'admin', parameter: 'startsOn', method: 'POST', url: () => '/api/responsibilities', payload: () => ({ personId: w.personId, cellCode: 'R1002', role: 'specialist', startsOn: '9999-12-31' }) },
  { as: 'admin', parameter: 'id', method: 'POST', url: () => '/api/responsibilities/1e20/end', payload: () => ({ endsOn: '2026-01-01' }) },
  { as: 'admin', parameter: 'endsOn', method: 'POST', url: () => `/api/responsibilities/${w.responsibilityId}/end`, payload: () => ({ endsOn: '9999-12-31' }) },
  { as: 'admin', parameter: 'version', method: 'POST', url: () => `/api/flags/${w.flagId}/reject`, payload: () => ({ version: 1e20, reason: 'odd' }) },
  { as: 'inspector', parameter: 'description', method: 'POST', url: () => '/api/flags', payload: () => ({ category: 'dust', lon: 113.006, lat: 35.006, description: 'a\u0000b', confirmNotDuplicate: true }) },
  { as: 'admin', parameter: 'day', method: 'PUT', url: () => '/api/flags/holidays/9999-12-31', payload: () => ({ name: 'odd' }) },
  { as: 'admin', parameter: 'code', method: 'PUT', url: () => '/api/flags/categories/x%00', payload: () => ({ nameZh: 'x', nameEn: 'x', ackLimit: { amount: 1, unit: 'working_days' }, completeLimit: { amount: 1, unit: 'working_days' } }) },
  { as: 'admin', parameter: 'level', method: 'PUT', url: () => '/api/staffing-rules/Infinity', payload: () => ({ chiefsRequired: 1, membersRequired: 1 }) },
  { as: 'admin', parameter: 'login', method: 'POST', url: () => '/api/users', payload: () => ({ login: 'odd\u0000user', displayName: 'Odd', role: 'viewer', password: 'long enough password' }) },
  { as: 'admin', parameter: 'login', method: 'PUT', url: () => '/api/users/%00/password', payload: () => ({ password: 'long enough password' }) },
  { as: 'anonymous', parameter: 'login', method: 'POST', url: () => '/api/session', payload: () => ({ login: '\u0000', password: 'x' }) },
  { as: 'admin', parameter: 'version', method: 'POST', url: () => '/api/edits/preview', payload: () => ({ operation: 'delete', cellCode: 'R1002', version: 1e20 }) },
  { as: 'admin', parameter: 'cellCode', method: 'POST', url: () => '/api/edits/preview', payload: () => ({ operation: 'delete', cellCode: 'R1\u0000', version: 1 }) },
  { as: 'admin', parameter: 'externalId', method: 'POST', url: () => '/api/parcels', payload: () => ({ externalId: 'P\u00002', landUse: 'farmland', geometry: { type: 'Polygon', coordinates: [[[113.012, 35.002], [113.013, 35.002], [113.013, 35.003], [113.012, 35.002]]] } }) },
  { as: 'admin', parameter: 'ownerName', method: 'PATCH', url: () => `/api/parcels/${w.parcelId}`, payload: () => ({ ownerName: '\u0000' }) },
  { as: 'admin', parameter: 'id', method: 'DELETE', url: () => '/api/parcels/Infinity' },
  { as: 'admin', parameter: 'cellCode', method: 'POST', url: () => '/api/allowed-gaps', payload: () => ({ cellCode: 'R1\u0000', reason: 'odd', geometry: { type: 'Polygon', coordinates: [[[113.001, 35.001], [113.002, 35.001], [113.002, 35.002], [113.001, 35.001]]] } }) },
  { as: 'admin', parameter: 'code', method: 'POST', url: () => '/api/regions/R1%00/rematch' },
  { as: 'admin', parameter: 'region', method: 'POST', url: () => '/api/imports/parcels?region=R1%00', payload: () => ({ type: 'FeatureCollection', features: [] }) },
]

describe('odd scalar input', () => {
  it('probe', async () => {
    const out: string[] = []
    for (const c of CASES) {
      const res = await t.app.inject({ method: c.method, url: c.url(), headers: w.headers[c.as], payload: c.payload?.() as object })
      out.push(`${res.statusCode} ${c.method} ${c.url()} ${res.body.slice(0, 160)}`)
    }
    console.log(out.join('\n'))
  })
})
