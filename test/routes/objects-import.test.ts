// Importing the inventory (POST /api/objects/import): CSV with lon/lat columns (English or Chinese
// headers) and GeoJSON, all or nothing, with a dry run. A hand-made world; every expectation is worked
// out by hand from the boxes below.
//
//   region/OI 113.000 ─────────────────── 113.030   (35.000–35.010)
//   OI-A 113.000–113.010 staffed | OI-B 113.010–113.020 staffed | gap 113.020–113.030 (only the top cell OI)
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let admin: Record<string, string>

beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('OI', box(113, 35, 113.03, 35.01))
  const regionId = region.id
  const top = await f.cell({ regionId, code: 'OI', level: 1, geometry: box(113, 35, 113.03, 35.01) })
  await f.staff(top.id)
  const a = await f.cell({ regionId, code: 'OI-A', level: 2, parentCode: 'OI', geometry: box(113, 35, 113.01, 35.01) })
  const b = await f.cell({
    regionId,
    code: 'OI-B',
    level: 2,
    parentCode: 'OI',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  await f.staff(a.id)
  await f.staff(b.id)
})
afterAll(async () => t.close())

const HEADER = 'code,name,type,risk_level,lon,lat'
const csv = (...lines: string[]) => lines.join('\n') + '\n'

const importing = (payload: Record<string, unknown>, headers = admin) =>
  t.app.inject({ method: 'POST', url: '/api/objects/import', headers, payload })

const count = async (table: 'supervised_objects' | 'audit_log') =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n

const counts = async () => ({ objects: await count('supervised_objects'), audit: await count('audit_log') })

/** The listed objects whose code or name holds `q`. */
const listed = async (q: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/objects?q=${encodeURIComponent(q)}`, headers: admin })
  expect(res.statusCode, res.body).toBe(200)
  return res.json().features as { geometry: { type: string }; properties: Record<string, unknown> }[]
}

const one = async (code: string) => {
  const features = (await listed(code)).filter((f) => f.properties.code === code)
  expect(features, code).toHaveLength(1)
  return features[0]!.properties
}

const feature = (properties: Record<string, unknown>, geometry: unknown) => ({
  type: 'Feature',
  properties,
  geometry,
})
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features })
const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] })

describe('POST /api/objects/import', () => {
  it('imports a CSV with English headers; the extra column is kept as an attribute', async () => {
    const before = await counts()
    const res = await importing({
      format: 'csv',
      content: csv(
        `${HEADER},address`,
        // in OI-A, in OI-B, and in the gap between OI-B and the region's east edge (no leaf cell)
        'OI-EN-A,Paper mill,enterprise,high,113.005,35.005,1 Mill Road',
        'OI-EN-B,Dye works,enterprise,medium,113.015,35.005,2 River Road',
        'OI-EN-GAP,Brick kiln,enterprise,low,113.025,35.005,3 Kiln Lane',
      ),
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      dryRun: false,
      read: 3,
      imported: 3,
      defaulted: [],
      matches: { matched: 2, unowned: 1 },
    })
    const expected = [
      { code: 'OI-EN-A', cell: 'OI-A', match: 'matched', risk: 'high', address: '1 Mill Road' },
      { code: 'OI-EN-B', cell: 'OI-B', match: 'matched', risk: 'medium', address: '2 River Road' },
      { code: 'OI-EN-GAP', cell: null, match: 'unowned', risk: 'low', address: '3 Kiln Lane' },
    ]
    for (const e of expected) {
      expect(await one(e.code)).toMatchObject({
        cellCode: e.cell,
        matchStatus: e.match,
        typeCode: 'enterprise',
        riskLevel: e.risk,
        status: 'accepted',
        attributes: { address: e.address },
      })
    }
    const after = await counts()
    expect(after.objects).toBe(before.objects + 3)
    expect(after.audit).toBe(before.audit + 1)
  })

  it('imports a CSV with Chinese headers, a BOM and the risk word 高', async () => {
    const res = await importing({
      format: 'csv',
      content: '\uFEFF' + csv('编码,名称,类型,风险等级,经度,纬度', 'OI-ZH-1,一号锅炉房,boiler,高,113.004,35.004'),
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ read: 1, imported: 1, matches: { matched: 1 } })
    expect(await one('OI-ZH-1')).toMatchObject({
      name: '一号锅炉房',
      typeCode: 'boiler',
      riskLevel: 'high',
      cellCode: 'OI-A',
      attributes: {},
    })
  })

  it('takes defaultType and defaultRiskLevel for a CSV without those columns and says so', async () => {
    const res = await importing({
      format: 'csv',
      content: csv('code,name,lon,lat', 'OI-DEF-1,Boiler one,113.012,35.002', 'OI-DEF-2,Boiler two,113.018,35.008'),
      defaultType: 'boiler',
      defaultRiskLevel: 'low',
    })
    expect(res.statusCode, res.body).toBe(200)
    const report = res.json()
    expect(report).toMatchObject({ read: 2, imported: 2, matches: { matched: 2 } })
    expect(report.defaulted).toHaveLength(2)
    expect(report.defaulted[0]).toContain('boiler')
    expect(report.defaulted[0]).toContain('2')
    expect(report.defaulted[1]).toContain('low')
    expect(report.defaulted[1]).toContain('2')
    for (const code of ['OI-DEF-1', 'OI-DEF-2'])
      expect(await one(code)).toMatchObject({ typeCode: 'boiler', riskLevel: 'low', cellCode: 'OI-B' })
  })

  it('imports a GeoJSON FeatureCollection with a point and a polygon', async () => {
    const res = await importing({
      format: 'geojson',
      content: collection(
        feature(
          { code: 'OI-GJ-PT', name: 'Cannery', type: 'enterprise', risk_level: 'medium', permit: 'PX-7' },
          point(113.006, 35.006),
        ),
        feature(
          { code: 'OI-GJ-POLY', name: 'Tower site', type: 'construction_site', risk_level: 'high' },
          // wholly inside OI-B (113.010–113.020)
          box(113.012, 35.002, 113.018, 35.008),
        ),
      ),
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ dryRun: false, read: 2, imported: 2, matches: { matched: 2 } })
    expect(await one('OI-GJ-PT')).toMatchObject({ cellCode: 'OI-A', attributes: { permit: 'PX-7' } })
    expect(await one('OI-GJ-POLY')).toMatchObject({
      cellCode: 'OI-B',
      matchStatus: 'matched',
      typeCode: 'construction_site',
      riskLevel: 'high',
    })
    const poly = (await listed('OI-GJ-POLY'))[0]!
    expect(poly.geometry.type).toBe('Polygon')
  })

  it('a dry run reports the import and writes nothing, not even an audit row', async () => {
    const before = await counts()
    const res = await importing({
      format: 'csv',
      dryRun: true,
      content: csv(
        HEADER,
        'OI-DRY-A,Dry one,enterprise,low,113.002,35.002',
        'OI-DRY-GAP,Dry two,enterprise,low,113.028,35.008',
      ),
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      dryRun: true,
      read: 2,
      imported: 2,
      defaulted: [],
      matches: { matched: 1, unowned: 1 },
    })
    expect(await counts()).toEqual(before)
    expect(await listed('OI-DRY')).toEqual([])
  })

  describe('refuses bad input whole, writing nothing', () => {
    /** Imports, expects a 400 with the code, and checks neither objects nor audit rows were written. */
    const refused = async (payload: Record<string, unknown>, code: string | null, message?: string) => {
      const before = await counts()
      const res = await importing(payload)
      expect(res.statusCode, res.body).toBe(400)
      const error = res.json().error
      if (code) expect(error.code).toBe(code)
      if (message) expect(error.message).toContain(message)
      expect(await counts()).toEqual(before)
      return error as { code: string; message: string; details?: { errors: string[]; total: number } }
    }

    it('(a) a CSV without lon/lat columns', async () => {
      const error = await refused(
        {
          format: 'csv',
          content: csv('code,name,type,risk_level,address', 'OI-NC,No coords,enterprise,low,Somewhere'),
        },
        'missing_columns',
        'lon, lat',
      )
      expect(error.message).toContain('found: code, name, type, risk_level, address')
    })

    it('(b) one row with lon "abc" among good rows: the error names row 3 and nothing is imported', async () => {
      const error = await refused(
        {
          format: 'csv',
          content: csv(
            HEADER,
            'OI-BAD-1,Good one,enterprise,low,113.003,35.003',
            'OI-BAD-2,Bad one,enterprise,low,abc,35.003',
            'OI-BAD-3,Good two,enterprise,low,113.013,35.003',
          ),
        },
        'invalid_rows',
        '1 of 3 objects',
      )
      expect(error.details!.total).toBe(1)
      expect(error.details!.errors).toHaveLength(1)
      expect(error.details!.errors[0]).toContain('row 3')
      expect(error.details!.errors[0]).toContain('non-numeric')
      expect(await listed('OI-BAD')).toEqual([])
    })

    it('(c) a code repeated within the file', async () => {
      const error = await refused(
        {
          format: 'csv',
          content: csv(
            HEADER,
            'OI-TWICE,First,enterprise,low,113.003,35.003',
            'OI-TWICE,Second,enterprise,low,113.013,35.003',
          ),
        },
        'invalid_rows',
        'OI-TWICE',
      )
      expect(error.details!.errors).toEqual([expect.stringContaining('row 3')])
      expect(error.details!.errors[0]).toContain('repeats row 2')
      expect(await listed('OI-TWICE')).toEqual([])
    })

    it('(d) a code that already exists', async () => {
      const first = await importing({
        format: 'csv',
        content: csv(HEADER, 'OI-EXISTS,Old,enterprise,low,113.001,35.001'),
      })
      expect(first.statusCode, first.body).toBe(200)
      const error = await refused(
        {
          format: 'csv',
          content: csv(
            HEADER,
            'OI-FRESH,Fresh,enterprise,low,113.002,35.001',
            'OI-EXISTS,New,enterprise,high,113.011,35.001',
          ),
        },
        'invalid_rows',
        'already exists',
      )
      expect(error.details!.errors).toEqual([expect.stringContaining('row 3')])
      expect(await one('OI-EXISTS')).toMatchObject({ name: 'Old', riskLevel: 'low', cellCode: 'OI-A' })
      expect(await listed('OI-FRESH')).toEqual([])
    })

    it('(e) an unknown type', async () => {
      const error = await refused(
        { format: 'csv', content: csv(HEADER, 'OI-UNK,Unknown,spaceport,low,113.003,35.003') },
        'invalid_rows',
        'unknown type "spaceport"',
      )
      expect(error.details).toMatchObject({ total: 1, errors: [expect.stringContaining('row 2')] })
    })

    it('(f) a point outside every region', async () => {
      const error = await refused(
        {
          format: 'csv',
          content: csv(
            HEADER,
            'OI-IN,Inside,enterprise,low,113.003,35.003',
            'OI-FAR,Far away,enterprise,low,120,35.003',
          ),
        },
        'invalid_rows',
        'outside every region',
      )
      expect(error.details).toEqual({ total: 1, errors: [expect.stringContaining('row 3')] })
      expect(await listed('OI-IN')).toEqual([])
    })

    it('(g) GeoJSON that is not JSON', async () => {
      await refused(
        { format: 'geojson', content: '{"type": "FeatureCollection", "features": [' },
        'invalid_json',
        'not GeoJSON',
      )
    })

    it('(h) a GeoJSON feature with a nested object property', async () => {
      const error = await refused(
        {
          format: 'geojson',
          content: collection(
            feature(
              { code: 'OI-NEST', name: 'Nested', type: 'enterprise', risk_level: 'low', contact: { phone: '139' } },
              point(113.003, 35.003),
            ),
          ),
        },
        'invalid_rows',
        'only flat values',
      )
      expect(error.details!.errors).toEqual([expect.stringContaining('feature 0')])
      expect(error.details!.errors[0]).toContain('"contact"')
    })

    it('(i) a self-intersecting polygon (bow-tie)', async () => {
      const bowTie = {
        type: 'Polygon',
        coordinates: [
          [
            [113.012, 35.002],
            [113.018, 35.008],
            [113.018, 35.002],
            [113.012, 35.008],
            [113.012, 35.002],
          ],
        ],
      }
      const error = await refused(
        {
          format: 'geojson',
          content: collection(
            feature({ code: 'OI-BOW', name: 'Bow tie', type: 'construction_site', risk_level: 'low' }, bowTie),
          ),
        },
        'invalid_geometry',
        'feature 0',
      )
      expect(error.message).toContain('not a valid polygon')
    })

    it('(j) a boiler (filed as a point) given as a polygon', async () => {
      const error = await refused(
        {
          format: 'geojson',
          content: collection(
            feature(
              { code: 'OI-BOX-BOILER', name: 'Boiler house', type: 'boiler', risk_level: 'low' },
              box(113.012, 35.002, 113.014, 35.004),
            ),
          ),
        },
        'invalid_rows',
        'point',
      )
      expect(error.details!.errors).toEqual([expect.stringContaining('feature 0')])
      expect(error.details!.errors[0]).toContain('filed as a point')
    })

    it('(k) a CSV with only a header', async () => {
      await refused({ format: 'csv', content: csv(HEADER) }, 'empty_import', 'no objects')
    })

    it('(l) an unknown format is refused by the schema', async () => {
      const error = await refused(
        { format: 'xlsx', content: csv(HEADER, 'OI-XLSX,Sheet,enterprise,low,113.003,35.003') },
        null,
      )
      expect(typeof error.code).toBe('string')
      expect(await listed('OI-XLSX')).toEqual([])
    })
  })

  it('is for admins only: a viewer gets 403 and nothing is written', async () => {
    const viewer = (await signedIn(t, 'viewer')).headers
    const before = await counts()
    const res = await importing(
      { format: 'csv', content: csv(HEADER, 'OI-VIEWER,Viewer try,enterprise,low,113.003,35.003') },
      viewer,
    )
    expect(res.statusCode, res.body).toBe(403)
    expect(res.json().error.code).toBe('forbidden')
    expect(await counts()).toEqual(before)
    expect(await listed('OI-VIEWER')).toEqual([])
  })
})
