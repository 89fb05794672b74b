// Supervised objects are matched by the parcel rules. A hand-made grid with a shared edge, a gap and a
// vacant cell; every expectation is worked out by hand from the boxes below, and the polygon cases
// are checked against parcels with the very same geometry matched by the parcel matching.
//
//   region/T  113.000 ─────────── 113.030   (35.000–35.010)
//   A 113.000–113.010 staffed | B 113.010–113.020 staffed | gap 113.020–113.025 | V 113.025–113.030 vacant
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let admin: Record<string, string>
let regionId: number
const EARTH_R = 6371008.8 // mean radius (m): the spherical box area is within 0.5 % of the spheroid's here

/** Area of a lon/lat box on a sphere: R² · Δλ · (sin φ2 − sin φ1). */
const sphereBoxArea = (w: number, s: number, e: number, n: number) =>
  EARTH_R ** 2 * (((e - w) * Math.PI) / 180) * (Math.sin((n * Math.PI) / 180) - Math.sin((s * Math.PI) / 180))

beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('OM', box(113, 35, 113.03, 35.01))
  regionId = region.id
  const top = await f.cell({ regionId, code: 'OM', level: 1, geometry: box(113, 35, 113.03, 35.01) })
  await f.staff(top.id)
  const a = await f.cell({ regionId, code: 'OM-A', level: 2, parentCode: 'OM', geometry: box(113, 35, 113.01, 35.01) })
  const b = await f.cell({
    regionId,
    code: 'OM-B',
    level: 2,
    parentCode: 'OM',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  await f.cell({ regionId, code: 'OM-V', level: 2, parentCode: 'OM', geometry: box(113.025, 35, 113.03, 35.01) })
  await f.staff(a.id)
  await f.staff(b.id)
})
afterAll(async () => t.close())

const file = (body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/objects', headers: admin, payload: { riskLevel: 'high', ...body } })

const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] })

describe('object matching by the parcel rules', () => {
  const cases = [
    // on the shared edge of A and B: neither interior holds it, so the lowest code (as the point lookup)
    { code: 'P-EDGE', geometry: point(113.01, 35.005), cell: 'OM-A', match: 'matched', reason: 'matched' },
    { code: 'P-B', geometry: point(113.015, 35.005), cell: 'OM-B', match: 'matched', reason: 'matched' },
    // in the gap between B and V: no leaf cell
    { code: 'P-GAP', geometry: point(113.0225, 35.005), cell: null, match: 'unowned', reason: 'uncovered' },
    // in the vacant V: matched to V, answered by the township above
    { code: 'P-VACANT', geometry: point(113.0275, 35.005), cell: 'OM-V', match: 'inherited', reason: 'inherited' },
  ]
  for (const c of cases) {
    it(`${c.code}: ${c.match}`, async () => {
      const res = await file({ code: c.code, name: c.code, type: 'boiler', geometry: c.geometry })
      expect(res.statusCode, res.body).toBe(201)
      const body = res.json()
      expect(body.object.properties.cellCode).toBe(c.cell)
      expect(body.object.properties.matchStatus).toBe(c.match)
      expect(body.reason).toBe(c.reason)
      if (c.code === 'P-VACANT') expect(body.effective.cellCode).toBe('OM')
      if (c.code === 'P-GAP') expect(body.chain).toEqual([])
    })
  }

  it('a point object is answered by the same cell as the point lookup', async () => {
    for (const [lon, lat, code] of [
      [113.01, 35.005, 'P-EDGE'],
      [113.015, 35.005, 'P-B'],
    ] as const) {
      const lookup = await t.app.inject({
        method: 'GET',
        url: `/api/accountability?lon=${lon}&lat=${lat}`,
        headers: admin,
      })
      const list = await t.app.inject({ method: 'GET', url: `/api/objects?q=${code}`, headers: admin })
      expect(list.json().features[0].properties.cellCode).toBe(lookup.json().chain[0].cell.code)
    }
  })

  it('polygons: largest share, straddling and partly uncovered, exactly as parcels with the same geometry', async () => {
    const f = factories(t.database.db)
    // 3/5 in A, 2/5 in B
    const straddle = box(113.007, 35.004, 113.012, 35.006)
    // half in B, half in the gap
    const halfOut = box(113.018, 35.004, 113.022, 35.006)
    // wholly inside B
    const inside = box(113.012, 35.002, 113.014, 35.003)
    const geoms = { 'G-STRADDLE': straddle, 'G-HALF-OUT': halfOut, 'G-INSIDE': inside }
    for (const [code, geometry] of Object.entries(geoms)) {
      expect((await file({ code, name: code, type: 'construction_site', geometry })).statusCode).toBe(201)
      await f.parcel({ regionId, externalId: code, geometry })
    }
    await f.rematchAll(regionId)
    for (const code of Object.keys(geoms)) {
      const obj = (await t.app.inject({ method: 'GET', url: `/api/objects?q=${code}`, headers: admin })).json()
        .features[0]
      const parcelId = (
        await t.database.db.selectFrom('parcels').select('id').where('external_id', '=', code).executeTakeFirstOrThrow()
      ).id
      const parcel = (
        await t.app.inject({ method: 'GET', url: `/api/parcels/${parcelId}/accountability`, headers: admin })
      ).json()
      expect(obj.properties.matchStatus, code).toBe(parcel.parcel.status)
      expect(obj.properties.cellCode, code).toBe(parcel.chain[0]?.cell.code ?? null)
    }
    const byCode = async (code: string) => {
      const id = (await t.app.inject({ method: 'GET', url: `/api/objects?q=${code}`, headers: admin })).json()
        .features[0].id
      return (await t.app.inject({ method: 'GET', url: `/api/objects/${id}`, headers: admin })).json()
    }
    const s = await byCode('G-STRADDLE')
    expect(s.object.properties.matchStatus).toBe('straddling')
    expect(s.object.properties.cellCode).toBe('OM-A')
    const shares = s.object.properties.shares
    expect(shares.map((x: { cellCode: string }) => x.cellCode)).toEqual(['OM-A', 'OM-B'])
    expect(shares[0].areaM2).toBeCloseTo(sphereBoxArea(113.007, 35.004, 113.01, 35.006), -2)
    expect(shares[0].areaM2 / shares[1].areaM2).toBeCloseTo(1.5, 2)
    const h = await byCode('G-HALF-OUT')
    expect(h.object.properties.matchStatus).toBe('unowned')
    expect(h.object.properties.uncoveredAreaM2 / h.object.properties.areaM2).toBeCloseTo(0.5, 2)
    expect(h.object.properties.areaM2 / sphereBoxArea(113.018, 35.004, 113.022, 35.006)).toBeCloseTo(1, 2)
    expect((await byCode('G-INSIDE')).object.properties.matchStatus).toBe('matched')
  })

  it('unowned, straddling and inherited objects appear in the coverage report; a retired one does not', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/coverage?region=OM', headers: admin })
    expect(res.statusCode, res.body).toBe(200)
    const objects = res.json().objects
    expect(objects.unowned.map((o: { code: string }) => o.code)).toEqual(['G-HALF-OUT', 'P-GAP'])
    expect(objects.straddling.map((o: { code: string }) => o.code)).toEqual(['G-STRADDLE'])
    expect(objects.inherited.map((o: { code: string }) => o.code)).toEqual(['P-VACANT'])
    expect(objects.inherited[0].accountableCode).toBe('OM')

    const id = (await t.app.inject({ method: 'GET', url: '/api/objects?q=P-GAP', headers: admin })).json().features[0]
      .id
    const retired = await t.app.inject({
      method: 'POST',
      url: `/api/objects/${id}/retire`,
      headers: admin,
      payload: { version: 1, reason: 'boiler removed' },
    })
    expect(retired.statusCode, retired.body).toBe(200)
    const after = (await t.app.inject({ method: 'GET', url: '/api/coverage?region=OM', headers: admin })).json()
    expect(after.objects.unowned.map((o: { code: string }) => o.code)).toEqual(['G-HALF-OUT'])
    // anonymous readers of a public map never see the inventory
    const anon = await t.app.inject({ method: 'GET', url: '/api/objects' })
    expect(anon.statusCode).toBe(401)
  })

  it('a boundary edit rematches the objects it touches', async () => {
    const b = await t.database.db
      .selectFrom('grid_cells')
      .select('version')
      .where('code', '=', 'OM-B')
      .executeTakeFirstOrThrow()
    // B grows over the gap: the half-out site is now wholly in B
    const edit = await t.app.inject({
      method: 'POST',
      url: '/api/edits',
      headers: admin,
      payload: {
        operation: 'reshape',
        cellCode: 'OM-B',
        version: b.version,
        geometry: box(113.01, 35, 113.025, 35.01),
        reason: 'the gap belongs to B',
      },
    })
    expect(edit.statusCode, edit.body).toBe(200)
    const list = await t.app.inject({ method: 'GET', url: '/api/objects?q=G-HALF-OUT', headers: admin })
    expect(list.json().features[0].properties).toMatchObject({ cellCode: 'OM-B', matchStatus: 'matched' })
  })
})
