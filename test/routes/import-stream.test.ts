// POST /api/imports/:kind — the import over HTTP, the body streamed (past the app's 1 MB JSON limit).
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box } from '../helpers/factories.js'

let t: TestApp
let admin: Record<string, string>

beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
})
afterAll(async () => t.close())

const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry })
const post = (kind: string, body: string | Readable, contentType: string, headers = admin) =>
  t.app.inject({
    method: 'POST',
    url: `/api/imports/${kind}`,
    headers: { ...headers, 'content-type': contentType },
    payload: body,
  })
const parcelCount = async () => (await t.database.db.selectFrom('parcels').select('id').execute()).length

describe('POST /api/imports/:kind', () => {
  it('imports a region and cells from FeatureCollections, then a GeoJSON-seq body of several MB, streamed', async () => {
    const region = JSON.stringify({
      type: 'FeatureCollection',
      features: [feature({ code: 'H', name: '县' }, box(113, 35, 113.1, 35.1))],
    })
    const r = await post('regions', region, 'application/geo+json')
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ kind: 'regions', imported: 1, committed: true })
    const cells = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        feature({ code: 'H', name: '县' }, box(113, 35, 113.1, 35.1)),
        feature({ code: 'H001', name: '村', parentCode: 'H' }, box(113, 35, 113.1, 35.1)),
      ],
    })
    expect((await post('cells', cells, 'application/json')).json()).toMatchObject({ imported: 2, committed: true })

    // 100 × 100 parcels with long owner names: well over the 1 MB JSON body limit
    const lines: string[] = []
    for (let i = 0; i < 100; i++) {
      for (let j = 0; j < 100; j++) {
        lines.push(
          JSON.stringify(
            feature(
              { externalId: `H-${i}-${j}`, landUse: 'farmland', ownerName: '某某农业专业合作社'.repeat(12) },
              box(113 + i * 0.001, 35 + j * 0.001, 113 + i * 0.001 + 0.0008, 35 + j * 0.001 + 0.0008),
            ),
          ),
        )
      }
    }
    const body = lines.join('\n') + '\n'
    expect(Buffer.byteLength(body)).toBeGreaterThan(4 * 1024 * 1024)
    const bytes = Buffer.from(body)
    const stream = Readable.from(
      (function* () {
        for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536)
      })(),
    )
    const res = await post('parcels', stream, 'application/geo+json-seq')
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200)
    expect(res.json()).toMatchObject({
      kind: 'parcels',
      read: 10_000,
      imported: 10_000,
      rejected: [],
      committed: true,
      rematched: 10_000,
    })
    expect(await parcelCount()).toBe(10_000)
  })

  it('is all or nothing: a bad feature gives 422 with the report (reason and where), and nothing is written', async () => {
    const before = await parcelCount()
    const body = [
      JSON.stringify(feature({ externalId: 'N-1', landUse: 'farmland' }, box(113.01, 35.01, 113.02, 35.02))),
      JSON.stringify(
        feature(
          { externalId: 'N-2', landUse: 'farmland' },
          {
            type: 'Polygon',
            coordinates: [
              [
                [113.01, 35.01],
                [113.02, 35.02],
                [113.02, 35.01],
                [113.01, 35.02],
                [113.01, 35.01],
              ],
            ],
          },
        ),
      ),
      '{"type":"Feature","properties":{"externalId":"N-3"},"geometry":',
    ].join('\n')
    const res = await post('parcels', body, 'application/x-ndjson')
    expect(res.statusCode).toBe(422)
    const err = res.json().error
    expect(err.code).toBe('import_rejected')
    expect(err.details).toMatchObject({ committed: false, imported: 0, read: 3 })
    expect(
      err.details.rejected.map((r: { id: string | null; reason: string }) => [r.id, r.reason.slice(0, 40)]),
    ).toEqual([
      ['N-2', expect.stringContaining('invalid polygon: Self-intersection')],
      [null, expect.stringMatching(/^malformed JSON at byte \d+/)],
    ])
    expect(await parcelCount()).toBe(before)
  })

  it('needs an admin; the body limit of other routes still applies to them', async () => {
    const viewer = (await signedIn(t, 'viewer')).headers
    const res = await post('parcels', '{"type":"FeatureCollection","features":[]}', 'application/json', viewer)
    expect(res.statusCode).toBe(403)
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: admin,
      payload: { name: 'x'.repeat(2 * 1024 * 1024) },
    })
    expect(big.statusCode).toBe(413)
    expect((await post('roads', '{}', 'application/json')).statusCode).toBe(400)
  })
})
