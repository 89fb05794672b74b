// POST /api/imports/:kind at the limits (issue 11, items 7 and 9): bodies of millions of bad values get
// a short answer stating the true total; slow uploads are not cut while other routes keep a body
// timeout; elevations and repairs broken by rounding never give a 5xx.
import { PassThrough } from 'node:stream'
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box } from '../helpers/factories.js'
import { ROUNDING_BREAKS_REPAIR } from '../helpers/bad-geometries.js'

let t: TestApp
let admin: Record<string, string>
const TIMEOUT_SECONDS = 0.3

beforeAll(async () => {
  t = await testApp({ env: { REQUEST_BODY_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) } })
  admin = (await signedIn(t, 'admin')).headers
  expect(
    (await post('regions', collection([feature({ code: 'L', name: '县' }, box(113, 35, 113.1, 35.1))]))).statusCode,
  ).toBe(200)
  expect(
    (await post('cells', collection([feature({ code: 'L', name: '县' }, box(113, 35, 113.1, 35.1))]))).statusCode,
  ).toBe(200)
})
afterAll(async () => t.close())

const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry })
const collection = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features })
const post = (kind: string, body: string | PassThrough, query = '', extra: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/imports/${kind}${query}`,
    headers: { ...admin, 'content-type': 'application/geo+json', ...extra },
    payload: body,
  })
const parcelCount = async () => (await t.database.db.selectFrom('parcels').select('id').execute()).length

describe('POST /api/imports/:kind: the listed problems are capped', () => {
  it('2 million bad scalars: a small 422 stating the true total, the first 100 listed; nothing written', async () => {
    const n = 2_000_000
    const body = '{"type":"FeatureCollection","features":[' + '0,'.repeat(n - 1) + '0]}'
    const before = await parcelCount()
    const res = await post('parcels', body)
    expect(res.statusCode).toBe(422)
    // 100 listed problems of about 60 bytes each: a few kB, not 121 MB
    expect(res.body.length).toBeLessThan(20_000)
    const error = res.json().error
    expect(error.message).toBe(`${n} of ${n} features rejected (the first 100 are listed); nothing was imported`)
    expect(error.details).toMatchObject({ read: n, rejectedTotal: n, committed: false, imported: 0 })
    expect(error.details.rejected).toHaveLength(100)
    expect(error.details.rejected[99]).toEqual({ index: 99, id: null, reason: 'not a GeoJSON Feature' })
    expect(await parcelCount()).toBe(before)
  })
})

describe('POST /api/imports/:kind: odd geometry', () => {
  it('an elevation is dropped with a warning; a repair broken by rounding is repaired again, not a 500', async () => {
    const z = {
      type: 'Polygon',
      coordinates: [box(113.05, 35.05, 113.051, 35.051).coordinates[0]!.map(([x, y]) => [x, y, 42])],
    }
    const res = await post(
      'parcels',
      collection([
        feature({ externalId: 'HZ', landUse: 'farmland' }, z),
        feature({ externalId: 'HR', landUse: 'farmland' }, ROUNDING_BREAKS_REPAIR),
      ]),
      '?invalid=repair',
    )
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      imported: 2,
      repairedTotal: 1,
      rejectedTotal: 0,
      warnings: [expect.stringContaining('1 of 2 features')],
    })
    const { rows } = await sql<{ external_id: string; dims: number; valid: boolean }>`
      SELECT external_id, ST_NDims(boundary) AS dims, ST_IsValid(boundary) AS valid FROM parcels WHERE external_id IN ('HZ', 'HR') ORDER BY 1`.execute(
      t.database.db,
    )
    expect(rows).toEqual([
      { external_id: 'HR', dims: 2, valid: true },
      { external_id: 'HZ', dims: 2, valid: true },
    ])
  })

  it('a parcel 1,000 km away or across ±180° is refused with 422 naming it; nothing written', async () => {
    const before = await parcelCount()
    const res = await post(
      'parcels',
      collection([
        feature({ externalId: 'FAR', landUse: 'farmland' }, box(124, 35, 124.001, 35.001)),
        feature(
          { externalId: 'WRAP', landUse: 'farmland' },
          {
            type: 'Polygon',
            coordinates: [
              [
                [179.99, 35],
                [-179.99, 35],
                [-179.99, 35.01],
                [179.99, 35],
              ],
            ],
          },
        ),
      ]),
    )
    expect(res.statusCode).toBe(422)
    const reasons = Object.fromEntries(
      (res.json().error.details.rejected as { id: string; reason: string }[]).map((r) => [r.id, r.reason]),
    )
    expect(reasons.FAR).toMatch(/outside its region/)
    expect(reasons.WRAP).toMatch(/crosses the antimeridian/)
    expect(await parcelCount()).toBe(before)
  })
})

describe('request body timeout (REQUEST_BODY_TIMEOUT_SECONDS)', () => {
  it(
    'a slow upload to an import outlives the timeout while the same slowness on another route is cut with 408',
    { timeout: 60_000 },
    async () => {
      const before = await parcelCount()
      const lines = (from: number, to: number) =>
        Array.from(
          { length: to - from },
          (_, i) =>
            JSON.stringify(
              feature(
                { externalId: `SLOW-${from + i}`, landUse: 'farmland' },
                box(113.06 + (from + i) * 0.001, 35.06, 113.0605 + (from + i) * 0.001, 35.0605),
              ),
            ) + '\n',
        ).join('')
      const chunked = { 'transfer-encoding': 'chunked' }

      // the import starts first and sends half of its body …
      const slowImport = new PassThrough()
      slowImport.write(lines(0, 5))
      const importing = post('parcels', slowImport, '', { ...chunked, 'content-type': 'application/geo+json-seq' })
      // … then another route gets a body that never finishes
      const stalled = new PassThrough()
      stalled.write('{"operation": "reshape", ')
      const cut = await t.app.inject({
        method: 'POST',
        url: '/api/edits/preview',
        headers: { ...admin, 'content-type': 'application/json', ...chunked },
        payload: stalled,
      })
      // the other route was cut after the timeout: the import, started earlier, has been uploading longer
      expect(cut.statusCode).toBe(408)
      expect(cut.json()).toEqual({
        error: {
          code: 'request_timeout',
          message: `the request body did not arrive within ${TIMEOUT_SECONDS} s (REQUEST_BODY_TIMEOUT_SECONDS)`,
        },
      })
      expect(cut.headers.connection).toBe('close')
      stalled.destroy()

      slowImport.end(lines(5, 10))
      const done = await importing
      expect(done.statusCode, done.body).toBe(200)
      expect(done.json()).toMatchObject({ read: 10, imported: 10, committed: true })
      expect(await parcelCount()).toBe(before + 10)
    },
  )

  it('a body that arrives in time is not affected, and a request without a body has no timer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' })
    expect(res.statusCode).toBe(200)
    const stream = new PassThrough()
    const answered = t.app.inject({
      method: 'POST',
      url: '/api/edits/preview',
      headers: { ...admin, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      payload: stream,
    })
    stream.end('{"operation": "delete"}')
    await once(stream, 'finish')
    const r = await answered
    // answered by the edit's own validation, not the timeout
    expect(r.statusCode).toBe(400)
    expect(r.json().error.code).toBe('invalid_request')
  })
})
