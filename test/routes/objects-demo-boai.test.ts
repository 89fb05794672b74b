// The Boai demo's supervision inventory (loadObjectsDemo): one object per enterprise and construction-site
// parcel, each matched exactly as its parcel — the counts come from fixtures/boai/expected.json, the
// parcel side from the parcel matching, never from the objects' own figures.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { ROOT } from '../helpers/templates.js'

let t: TestApp
let h: Record<string, string>
beforeAll(async () => {
  t = await testApp({ template: 'demo' })
  h = (await signedIn(t, 'viewer')).headers
})
afterAll(async () => t.close())

const expected = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/boai/expected.json'), 'utf8')) as {
  counts: { parcelsByLandUse: Record<string, number> }
}

describe('Boai demo: the supervision inventory', () => {
  it('one object per enterprise and construction-site parcel, every risk level present', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/objects?limit=20000', headers: h })
    expect(res.statusCode, res.body).toBe(200)
    const features = res.json().features as { properties: { typeCode: string; riskLevel: string; status: string } }[]
    const byType = (type: string) => features.filter((f) => f.properties.typeCode === type).length
    expect(byType('enterprise')).toBe(expected.counts.parcelsByLandUse.enterprise)
    expect(byType('construction_site')).toBe(expected.counts.parcelsByLandUse.construction_site)
    expect(new Set(features.map((f) => f.properties.riskLevel))).toEqual(new Set(['high', 'medium', 'low']))
    expect(features.every((f) => f.properties.status === 'accepted')).toBe(true)
  })

  it("each object has its parcel's match status and cell", async () => {
    const today = (await t.app.inject({ method: 'GET', url: '/api/objects?limit=20000', headers: h })).json()
    const objects = new Map<string, { matchStatus: string; cellCode: string | null }>(
      today.features.map(
        (f: { properties: { attributes: { parcel: string }; matchStatus: string; cellCode: string | null } }) => [
          f.properties.attributes.parcel,
          f.properties,
        ],
      ),
    )
    const parcels = await t.app.inject({ method: 'GET', url: '/api/parcels?limit=20000', headers: h })
    let compared = 0
    for (const p of parcels.json().features as {
      properties: { externalId: string; status: string; cellCode: string | null }
    }[]) {
      const o = objects.get(p.properties.externalId)
      if (!o) continue
      compared++
      expect({ status: o.matchStatus, cell: o.cellCode }, p.properties.externalId).toEqual({
        status: p.properties.status,
        cell: p.properties.cellCode,
      })
    }
    expect(compared).toBe(objects.size)
    // the planted defects reach the inventory: some objects are not simply matched
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM parcel_matches m JOIN parcels p ON p.id = m.parcel_id
      WHERE p.land_use IN ('enterprise', 'construction_site') AND m.placement <> 'inside'`.execute(t.database.db)
    const notInside = [...objects.values()].filter((o) => o.matchStatus === 'unowned' || o.matchStatus === 'straddling')
    expect(notInside.length).toBe(rows[0]!.n)
  })
})
