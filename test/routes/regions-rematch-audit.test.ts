// Issue 11 item 4: a whole-region rematch through the API is audited with who asked for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp()
})
afterAll(async () => t.close())

describe('POST /api/regions/:code/rematch', () => {
  it('writes an audit row naming the admin, the region and how many parcels were matched', async () => {
    const f = factories(t.database.db)
    const region = await f.region('R1')
    await f.cell({ regionId: region.id, code: 'A', level: 1, geometry: box(113, 35, 113.1, 35.1) })
    await f.parcel({ regionId: region.id, externalId: 'p1', geometry: box(113.01, 35.01, 113.02, 35.02) })
    await f.parcel({ regionId: region.id, externalId: 'p2', geometry: box(113.03, 35.03, 113.04, 35.04) })
    const admin = await signedIn(t, 'admin')
    const res = await t.app.inject({ method: 'POST', url: '/api/regions/R1/rematch', headers: admin.headers })
    expect(res.statusCode).toBe(200)
    const rows = await t.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'rematch').execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      actor_id: admin.userId,
      actor_login: admin.login,
      entity_type: 'region',
      entity_id: 'R1',
      after: { parcels: 2 },
    })
  })

  it('writes nothing for a region that does not exist', async () => {
    const admin = await signedIn(t, 'admin')
    const before = await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'rematch').execute()
    const res = await t.app.inject({ method: 'POST', url: '/api/regions/NOPE/rematch', headers: admin.headers })
    expect(res.statusCode).toBe(404)
    const after = await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'rematch').execute()
    expect(after).toHaveLength(before.length)
  })
})
