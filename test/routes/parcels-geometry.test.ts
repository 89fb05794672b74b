// POST/PATCH /api/parcels with odd geometry (issue 11, items 7 and 8): land outside the region is refused
// like an imported parcel; an elevation never gives a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let admin: Record<string, string>
let movable: number
beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('PG', box(113, 35, 113.02, 35.01))
  await f.cell({ regionId: region.id, code: 'PG', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  movable = await f.parcel({ regionId: region.id, externalId: 'PG-1', geometry: box(113.001, 35.001, 113.002, 35.002) })
  await f.rematchAll(region.id)
})
afterAll(async () => t.close())

const state = async () =>
  (
    await sql<{
      s: string
    }>`SELECT md5(string_agg(external_id || md5(ST_AsBinary(boundary)), '|' ORDER BY id)) || (SELECT count(*) FROM audit_log) AS s FROM parcels`.execute(
      t.database.db,
    )
  ).rows[0]!.s

describe('parcel writes and the region', () => {
  it('POST a parcel 1,000 km away: 422 outside_region; nothing written', async () => {
    const before = await state()
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/parcels',
      headers: admin,
      payload: { externalId: 'PG-FAR', landUse: 'farmland', geometry: box(124, 35, 124.001, 35.001) },
    })
    expect(res.statusCode, res.body).toBe(422)
    expect(res.json().error.code).toBe('outside_region')
    expect(await state()).toBe(before)
  })

  it('PATCH a parcel to 1,000 km away: 422 outside_region; nothing written', async () => {
    const before = await state()
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/parcels/${movable}`,
      headers: admin,
      payload: { geometry: box(124, 35, 124.001, 35.001) },
    })
    expect(res.statusCode, res.body).toBe(422)
    expect(res.json().error.code).toBe('outside_region')
    expect(await state()).toBe(before)
  })

  it('POST a parcel with elevations: created, stored in 2D', async () => {
    const ring = box(113.003, 35.003, 113.004, 35.004).coordinates[0]!.map(([x, y]) => [x, y, 5])
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/parcels',
      headers: admin,
      payload: { externalId: 'PG-Z', landUse: 'farmland', geometry: { type: 'Polygon', coordinates: [ring] } },
    })
    expect(res.statusCode, res.body).toBe(201)
    const { rows } = await sql<{
      dims: number
    }>`SELECT ST_NDims(boundary) AS dims FROM parcels WHERE external_id = 'PG-Z'`.execute(t.database.db)
    expect(rows[0]!.dims).toBe(2)
  })
})
