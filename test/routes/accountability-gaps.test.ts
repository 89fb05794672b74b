// "Who is accountable here" where the coverage report has something to say: a gap within the sliver
// tolerance (one rule for both: the report counts it as covered, so the nearest cell answers), a real gap,
// and a cell overhanging its region's outline. Boxes near the equator, where 0.000001° is about 0.11 m.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Polygon } from 'geojson'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let h: Record<string, string>

interface Answer {
  covered: boolean
  missingLevel: number | null
  message: string | null
  chain: { level: number; cell: { code: string } }[]
  effective: { cellCode: string | null; rule: string } | null
  region: { code: string; name: string } | null
  outsideRegion: boolean
  sliverGap: {
    parentCode: string
    areaM2: number
    toleranceM2: number
    nearestCellCodes: string[]
    cellCode: string
  } | null
}

/** a box with a w° square notch cut into its west edge, its south side at `lat` */
function notchedWest(minLon: number, maxLon: number, lat: number, w: number): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [minLon, 0],
        [maxLon, 0],
        [maxLon, 0.01],
        [minLon, 0.01],
        [minLon, lat + w],
        [minLon + w, lat + w],
        [minLon + w, lat],
        [minLon, lat],
        [minLon, 0],
      ],
    ],
  }
}

async function envelopeArea(minLon: number, minLat: number, maxLon: number, maxLat: number): Promise<number> {
  const { rows } = await sql<{
    a: number
  }>`SELECT ST_Area(ST_MakeEnvelope(${minLon}, ${minLat}, ${maxLon}, ${maxLat}, 4326)::geography) AS a`.execute(
    t.database.db,
  )
  return rows[0]!.a
}

beforeAll(async () => {
  // the default sliver tolerance, 1 m², stated here so the test does not depend on the default
  t = await testApp({ env: { SLIVER_TOLERANCE_M2: '1' } })
  h = (await signedIn(t, 'viewer')).headers
  const f = factories(t.database.db)
  // Region SL: township C1 with villages K1 (west half, with a 0.00002° ≈ 4.9 m² hole nothing fills) and
  // K2 (east half, with a 0.000008° ≈ 0.79 m² notch in its west edge: a gap under the tolerance).
  const sl = await f.region('SL', box(40, 0, 40.01, 0.01))
  await f.cell({ regionId: sl.id, code: 'C1', level: 1, geometry: box(40, 0, 40.01, 0.01) })
  await f.cell({
    regionId: sl.id,
    code: 'K1',
    level: 2,
    parentCode: 'C1',
    geometry: {
      type: 'Polygon',
      coordinates: [
        box(40, 0, 40.005, 0.01).coordinates[0]!,
        box(40.002, 0.005, 40.00202, 0.00502).coordinates[0]!.reverse(),
      ],
    },
  })
  const k2 = await f.cell({
    regionId: sl.id,
    code: 'K2',
    level: 2,
    parentCode: 'C1',
    geometry: notchedWest(40.005, 40.01, 0.005, 0.000008),
  })
  await f.staff(k2.id)
  // Region Z: township L1 and township L2 with the same small notch: a gap between two level-1 cells,
  // and L2's one village L2A has the same outline.
  const z = await f.region('Z', box(50, 0, 50.02, 0.01))
  await f.cell({ regionId: z.id, code: 'L1', level: 1, geometry: box(50, 0, 50.01, 0.01) })
  await f.cell({ regionId: z.id, code: 'L2', level: 1, geometry: notchedWest(50.01, 50.02, 0.005, 0.000008) })
  await f.cell({
    regionId: z.id,
    code: 'L2A',
    level: 2,
    parentCode: 'L2',
    geometry: notchedWest(50.01, 50.02, 0.005, 0.000008),
  })
  // Region W: cell M reaches 0.001° north of the region's outline.
  const w = await f.region('W', box(60, 0, 60.01, 0.01))
  await f.cell({ regionId: w.id, code: 'M', level: 1, geometry: box(60, 0, 60.01, 0.011) })
})
afterAll(async () => t.close())

async function at(lon: number, lat: number): Promise<Answer> {
  const res = await t.app.inject({ method: 'GET', url: `/api/accountability?lon=${lon}&lat=${lat}`, headers: h })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

async function coverage(query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/coverage?${query}`, headers: h })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

/** whether a listed gap of the report holds the point (its bounding box does) */
const listedGapAt = (report: { gaps: { bbox: number[] }[] }, lon: number, lat: number) =>
  report.gaps.some((g) => g.bbox[0]! <= lon && lon <= g.bbox[2]! && g.bbox[1]! <= lat && lat <= g.bbox[3]!)

describe('GET /api/accountability: gaps under the sliver tolerance', () => {
  it('answers a point in a gap the report ignores with the nearest cell, and says so', async () => {
    // 0.000006° east of K1's edge, 0.000002° west of the notch's far side: K2 is nearest
    const [lon, lat] = [40.005006, 0.005004]
    const report = await coverage('cell=C1')
    expect(listedGapAt(report, lon, lat)).toBe(false)
    const a = await at(lon, lat)
    expect(a.covered).toBe(true)
    expect(a.missingLevel).toBeNull()
    expect(a.sliverGap).toMatchObject({ parentCode: 'C1', toleranceM2: 1, nearestCellCodes: ['K2'], cellCode: 'K2' })
    expect(a.sliverGap!.areaM2).toBeCloseTo(await envelopeArea(40.005, 0.005, 40.005008, 0.005008), 1)
    expect(a.chain.map((l) => l.cell.code)).toEqual(['K2', 'C1'])
    expect(a.effective).toMatchObject({ cellCode: 'K2', rule: 'direct' })
    expect(a.message).toContain('sliver tolerance')
    expect(a.message).toContain('K2')
  })

  it('still answers a point in a gap the report lists as uncovered, near its edge or not', async () => {
    const report = await coverage('cell=C1')
    expect(report.gaps).toHaveLength(1)
    expect(report.gaps[0].areaM2).toBeCloseTo(await envelopeArea(40.002, 0.005, 40.00202, 0.00502), 0)
    // the middle of K1's hole, and 0.0000005° (6 cm) inside its edge
    for (const [lon, lat] of [
      [40.00201, 0.00501],
      [40.0020005, 0.00501],
    ] as const) {
      expect(listedGapAt(report, lon, lat)).toBe(true)
      const a = await at(lon, lat)
      expect(a.covered, `${lon}`).toBe(false)
      expect(a.missingLevel).toBe(2)
      expect(a.sliverGap).toBeNull()
      expect(a.message).toContain('no level-2 cell covers this point')
    }
  })

  it('answers a point between two top-level cells within the tolerance with the nearest leaf below them', async () => {
    const [lon, lat] = [50.010006, 0.005004]
    const report = await coverage('region=Z')
    expect(report.summary.gaps).toBe(0)
    expect(report.summary.coveredPct).toBe(100)
    const a = await at(lon, lat)
    expect(a.covered).toBe(true)
    expect(a.sliverGap).toMatchObject({ parentCode: 'Z', nearestCellCodes: ['L2'], cellCode: 'L2A' })
    expect(a.chain.map((l) => l.cell.code)).toEqual(['L2A', 'L2'])
    expect(a.outsideRegion).toBe(false)
  })
})

describe('POST /api/flags in a gap under the sliver tolerance', () => {
  it('routes the flag where the point lookup answers: the nearest cell, directly, not unowned', async () => {
    const inspector = (await signedIn(t, 'inspector')).headers
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: inspector,
      payload: { category: 'dumping', geometry: { type: 'Point', coordinates: [40.005006, 0.005004] } },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().unowned).toBe(false)
    expect(res.json().routing).toMatchObject({
      rule: 'direct',
      cellCode: 'K2',
      accountableCellCode: 'K2',
      missingLevel: null,
    })
  })
})

describe('GET /api/accountability: outside the region', () => {
  it('says when the point lies outside the region, in a cell overhanging its outline', async () => {
    const a = await at(60.005, 0.0105)
    expect(a.chain[0]!.cell.code).toBe('M')
    expect(a.outsideRegion).toBe(true)
    expect(a.region).toEqual({ code: 'W', name: 'Region W' })
    expect(a.message).toContain('outside the region Region W (W)')
  })

  it('does not say it inside the region, and says it where nothing is', async () => {
    const inside = await at(60.005, 0.005)
    expect(inside.outsideRegion).toBe(false)
    expect(inside.message).toBeNull()
    const nowhere = await at(70, 0)
    expect(nowhere.covered).toBe(false)
    expect(nowhere.outsideRegion).toBe(true)
    expect(nowhere.region).toBeNull()
  })
})
