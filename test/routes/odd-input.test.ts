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
  /** the parameter the answer must name ('' for the body as a whole) */
  parameter: string
  as: Requester
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** {cell}, {personId}, {parcelId}, {flagId}, {responsibilityId}: the world's rows */
  url: string
  /** an object (sent as JSON) or JSON text (for what JSON.stringify cannot write, such as 1e400) */
  payload?: unknown
}

const get = (as: Requester, parameter: string, url: string): Case => ({ as, parameter, method: 'GET', url })

/** The case with the world's ids in place of {name} (a payload field that is exactly "{name}" becomes the number). */
function fill<T>(value: T): T {
  const ids = w as unknown as Record<string, string | number>
  if (typeof value === 'string') {
    const whole = value.match(/^\{(\w+)\}$/)
    if (whole && typeof ids[whole[1]!] === 'number') return ids[whole[1]!] as T
    return value.replace(/\{(\w+)\}/g, (_m, k: string) => String(ids[k])) as T
  }
  if (Array.isArray(value)) return value.map(fill) as T
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)])) as T
  return value
}

const CASES: Case[] = [
  get('viewer', 'limit', '/api/cells?limit=Infinity'),
  get('viewer', 'limit', '/api/cells?limit=NaN'),
  get('viewer', 'offset', '/api/cells?offset=1e20'),
  get('viewer', 'offset', '/api/cells?offset=Infinity'),
  get('viewer', 'level', '/api/cells?level=Infinity'),
  get('viewer', 'simplify', '/api/cells?simplify=-Infinity'),
  get('viewer', 'region', '/api/cells?region=R1%00'),
  get('viewer', 'at', '/api/cells?at=9999-12-31'),
  get('viewer', 'code', '/api/cells/R1%00'),
  get('viewer', 'at', '/api/cells/R1001?at=9999-12-31'),
  get('viewer', 'at', '/api/cells/R1001?at=0000-01-01'),
  get('viewer', 'at', '/api/cells/R1001?at=2026-02-30'),
  get('viewer', 'code', '/api/cells/%00/history'),
  get('viewer', 'code', '/api/regions/%00/outline'),
  get('viewer', 'offset', '/api/people?offset=1e20'),
  get('viewer', 'q', '/api/people?q=%00'),
  get('viewer', 'id', '/api/people/1e20'),
  get('viewer', 'at', '/api/people/{personId}?at=9999-12-31'),
  get('viewer', 'offset', '/api/parcels?offset=1e20'),
  get('viewer', 'cell', '/api/parcels?cell=%00'),
  get('viewer', 'at', '/api/parcels/{parcelId}/accountability?at=9999-12-31'),
  get('viewer', 'lon', '/api/accountability?lon=Infinity&lat=35'),
  get('viewer', 'at', '/api/accountability?lon=113.003&lat=35.003&at=9999-12-31'),
  get('viewer', 'at', '/api/coverage?region=R1&at=9999-12-31'),
  get('viewer', 'minArea', '/api/coverage?region=R1&minArea=Infinity'),
  get('viewer', 'region', '/api/coverage?region=%00'),
  get('viewer', 'q', '/api/search?q=R%00'),
  get('viewer', 'limit', '/api/search?q=R&limit=Infinity'),
  get('viewer', 'id', '/api/flags/Infinity'),
  get('viewer', 'id', '/api/flags/1e20'),
  get('viewer', 'photoId', '/api/flags/{flagId}/photos/Infinity'),
  get('viewer', 'offset', '/api/flags?offset=1e20'),
  get('viewer', 'limit', '/api/flags?limit=Infinity'),
  get('viewer', 'to', '/api/flags?to=9999-12-31'),
  get('viewer', 'from', '/api/flags?from=0000-01-01'),
  get('viewer', 'category', '/api/flags?category=dust%00'),
  get('viewer', 'township', '/api/flags?township=%00'),
  get('viewer', 'to', '/api/flags.geojson?to=9999-12-31'),
  get('viewer', 'to', '/api/flags/export?format=csv&to=9999-12-31'),
  get('viewer', 'month', '/api/flags/assessment?month=9999-12'),
  get('supervisor', 'offset', '/api/flags/inbox?offset=1e20'),
  get('viewer', 'level', '/tiles/cells/14/13335/6489.pbf?level=Infinity'),
  get('viewer', 'at', '/tiles/cells/14/13335/6489.pbf?at=9999-12-31'),
  get('viewer', 'z', '/tiles/cells/Infinity/0/0.pbf'),
  get('viewer', 'layer', '/tiles/cells%00/1/1/1.pbf'),
  { as: 'admin', parameter: 'name', method: 'POST', url: '/api/people', payload: { name: 'A\u0000B' } },
  {
    as: 'admin',
    parameter: 'personId',
    method: 'POST',
    url: '/api/responsibilities',
    payload: { personId: 1e20, cellCode: 'R1002', role: 'specialist', startsOn: '2026-01-01' },
  },
  {
    as: 'admin',
    parameter: 'startsOn',
    method: 'POST',
    url: '/api/responsibilities',
    payload: { personId: '{personId}', cellCode: 'R1002', role: 'specialist', startsOn: '9999-12-31' },
  },
  {
    as: 'admin',
    parameter: 'id',
    method: 'POST',
    url: '/api/responsibilities/1e20/end',
    payload: { endsOn: '2026-01-01' },
  },
  {
    as: 'admin',
    parameter: 'endsOn',
    method: 'POST',
    url: '/api/responsibilities/{responsibilityId}/end',
    payload: { endsOn: '9999-12-31' },
  },
  {
    as: 'admin',
    parameter: 'version',
    method: 'POST',
    url: '/api/flags/{flagId}/reject',
    payload: { version: 1e20, reason: 'odd' },
  },
  {
    as: 'inspector',
    parameter: 'description',
    method: 'POST',
    url: '/api/flags',
    payload: { category: 'dust', lon: 113.006, lat: 35.006, description: 'a\u0000b', confirmNotDuplicate: true },
  },
  { as: 'admin', parameter: 'day', method: 'PUT', url: '/api/flags/holidays/9999-12-31', payload: { name: 'odd' } },
  {
    as: 'admin',
    parameter: 'code',
    method: 'PUT',
    url: '/api/flags/categories/x%00',
    payload: {
      nameZh: 'x',
      nameEn: 'x',
      ackLimit: { amount: 1, unit: 'working_days' },
      completeLimit: { amount: 1, unit: 'working_days' },
    },
  },
  {
    as: 'admin',
    parameter: 'level',
    method: 'PUT',
    url: '/api/staffing-rules/Infinity',
    payload: { chiefsRequired: 1, membersRequired: 1 },
  },
  {
    as: 'admin',
    parameter: 'login',
    method: 'POST',
    url: '/api/users',
    payload: { login: 'odd\u0000user', displayName: 'Odd', role: 'viewer', password: 'long enough password' },
  },
  {
    as: 'admin',
    parameter: 'login',
    method: 'PUT',
    url: '/api/users/%00/password',
    payload: { password: 'long enough password' },
  },
  {
    as: 'anonymous',
    parameter: 'login',
    method: 'POST',
    url: '/api/session',
    payload: { login: '\u0000', password: 'x' },
  },
  {
    as: 'admin',
    parameter: 'version',
    method: 'POST',
    url: '/api/edits/preview',
    payload: { operation: 'delete', cellCode: 'R1002', version: 1e20 },
  },
  {
    as: 'admin',
    parameter: 'cellCode',
    method: 'POST',
    url: '/api/edits/preview',
    payload: { operation: 'delete', cellCode: 'R1\u0000', version: 1 },
  },
  {
    as: 'admin',
    parameter: 'externalId',
    method: 'POST',
    url: '/api/parcels',
    payload: {
      externalId: 'P\u00002',
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
  },
  {
    as: 'admin',
    parameter: 'ownerName',
    method: 'PATCH',
    url: '/api/parcels/{parcelId}',
    payload: { ownerName: '\u0000' },
  },
  { as: 'admin', parameter: 'id', method: 'DELETE', url: '/api/parcels/Infinity' },
  {
    as: 'admin',
    parameter: 'cellCode',
    method: 'POST',
    url: '/api/allowed-gaps',
    payload: {
      cellCode: 'R1\u0000',
      reason: 'odd',
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
  },
  { as: 'admin', parameter: 'code', method: 'POST', url: '/api/regions/R1%00/rematch' },
  {
    as: 'admin',
    parameter: 'region',
    method: 'POST',
    url: '/api/imports/parcels?region=R1%00',
    payload: { type: 'FeatureCollection', features: [] },
  },
  // JSON reads 1e400 as Infinity
  {
    as: 'admin',
    parameter: 'version',
    method: 'POST',
    url: '/api/flags/{flagId}/register',
    payload: '{"version": 1e400}',
  },
  {
    as: 'admin',
    parameter: 'membersRequired',
    method: 'PUT',
    url: '/api/staffing-rules/3',
    payload: '{"chiefsRequired": 1, "membersRequired": -1e400}',
  },
  // an array where one value is expected
  get('viewer', 'q', '/api/search?q=a&q=b'),
  get('viewer', 'limit', '/api/people?limit=1&limit=2'),
  { as: 'admin', parameter: 'name', method: 'POST', url: '/api/people', payload: { name: ['a', 'b'] } },
  // a NUL as an object key, and deep in an array
  {
    as: 'admin',
    parameter: 'ackLimit.a\u0000',
    method: 'PUT',
    url: '/api/flags/categories/odd',
    payload: {
      nameZh: 'x',
      nameEn: 'x',
      ackLimit: { amount: 1, unit: 'working_days', 'a\u0000': 1 },
      completeLimit: { amount: 1, unit: 'working_days' },
    },
  },
  {
    as: 'inspector',
    parameter: 'photos.0.filename',
    method: 'POST',
    url: '/api/flags',
    payload: {
      category: 'dust',
      lon: 113.006,
      lat: 35.006,
      photos: [{ data: 'AAAA', filename: 'a\u0000.jpg' }],
      confirmNotDuplicate: true,
    },
  },
  // no body at all where one is streamed
  { as: 'admin', parameter: '', method: 'POST', url: '/api/imports/regions' },
  // a control character in a code
  get('viewer', 'code', '/api/cells/R1%0A'),
  get('viewer', 'township', '/api/flags?township=R1%09'),
]

describe('odd scalar input', () => {
  it.each(CASES.map((c) => [`${c.method} ${c.url} as ${c.as}`, c] as const))(
    '%s: a 4xx naming the parameter, nothing written',
    async (_name, c) => {
      const before = await storedState(t)
      const url = fill(c.url)
      const text = typeof c.payload === 'string'
      const headers = text ? { ...w.headers[c.as], 'content-type': 'application/json' } : w.headers[c.as]
      const res = await t.app.inject({ method: c.method, url, headers, payload: fill(c.payload) as object })
      expect(res.statusCode, `${c.method} ${url}: ${res.body.slice(0, 300)}`).toBe(400)
      expectErrorShape(res.statusCode, res.body, `${c.method} ${url}`, c.parameter || undefined)
      expect(await storedState(t), `${c.method} ${url} wrote nothing`).toEqual(before)
    },
  )

  it('the stored-state snapshot sees a write (so "nothing written" above means something)', async () => {
    const before = await storedState(t)
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: w.headers.admin,
      payload: { name: 'Written' },
    })
    expect(res.statusCode).toBe(201)
    expect(await storedState(t)).not.toEqual(before)
  })

  it('still answers the same requests with ordinary values (the cases are odd only in the parameter named)', async () => {
    const ordinary: [Requester, string][] = [
      ['viewer', '/api/cells?limit=5&offset=0&level=2&at=2026-01-01'],
      ['viewer', '/api/cells/R1001?at=1900-01-01'],
      ['viewer', '/api/cells/R1001?at=2999-12-31'],
      ['viewer', '/api/flags?from=2026-01-01&to=2026-12-31&offset=2147483647'],
      ['viewer', '/api/flags/assessment?month=2026-02'],
      ['viewer', '/api/coverage?region=R1&minArea=0&at=2026-06-30'],
      ['viewer', '/tiles/cells/14/13335/6489.pbf?at=2026-01-01'],
    ]
    for (const [as, url] of ordinary) {
      const res = await t.app.inject({ method: 'GET', url, headers: w.headers[as] })
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBeLessThan(300)
    }
  })
})
