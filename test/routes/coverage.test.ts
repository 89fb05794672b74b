// Coverage rules on a hand-made parent and its children, each defect planted with a known size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Polygon } from 'geojson'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'
import { addDays, isoDay } from '../../server/src/services/dates.js'
import { loadConfig } from '../../server/src/config.js'

let t: TestApp
let admin: Record<string, string>
const LAT = 35.005
/** approximate area of a lon/lat box near 35°N in m² (independent of PostGIS) */
const approxArea = (dLon: number, dLat: number) => dLon * 111_320 * Math.cos((LAT * Math.PI) / 180) * dLat * 110_950

// K002 loses a 0.73 m × 0.70 m notch at its outer corner (under the 1 m² sliver tolerance),
// K003 a 1.46 m × 1.50 m one (just over it).
const notched = (
  minLon: number,
  maxLon: number,
  dx: number,
  dy: number,
  cut?: [number, number, number, number],
  cutSide?: 'west' | 'east',
): Polygon => {
  const ring: [number, number][] = [
    [minLon, 35],
    [maxLon, 35],
    [maxLon, 35.01 - dy],
    [maxLon - dx, 35.01 - dy],
    [maxLon - dx, 35.01],
    [minLon, 35.01],
    [minLon, 35],
  ]
  if (cut && cutSide === 'east') {
    // notch cut into the east edge: [maxLon - w, maxLon] × [y0, y1]
    ring.splice(2, 0, [maxLon, cut[1]], [cut[0], cut[1]], [cut[0], cut[3]], [maxLon, cut[3]])
  }
  if (cut && cutSide === 'west') {
    ring.splice(5, 1, [minLon, 35.01], [minLon, cut[3]], [cut[2], cut[3]], [cut[2], cut[1]], [minLon, cut[1]])
    ring.pop()
    ring.push([minLon, 35])
  }
  return { type: 'Polygon', coordinates: [ring] }
}

beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('K', box(113, 35, 113.04, 35.01))
  const parent = await f.cell({ regionId: region.id, code: 'K', level: 1, geometry: box(113, 35, 113.04, 35.01) })
  await f.staff(parent.id, ['县长', '县员'])
  const cell = (code: string, geometry: Parameters<typeof f.cell>[0]['geometry']) =>
    f.cell({ regionId: region.id, code, level: 2, parentCode: 'K', geometry })
  // K001 reaches 0.0001° into K002 (overlap) and has a hole nothing fills
  const k1 = await cell('K001', {
    type: 'Polygon',
    coordinates: [
      box(113, 35, 113.0101, 35.01).coordinates[0]!,
      [
        [113.004, 35.004],
        [113.004, 35.006],
        [113.006, 35.006],
        [113.006, 35.004],
        [113.004, 35.004],
      ],
    ],
  })
  const k2 = await cell('K002', notched(113.01, 113.02, 0.000008, 0.0000063, [113.019, 35.004, 113.02, 35.005], 'east'))
  // K003 spills 0.001° south of the parent and has the other half of the between-gap
  const k3geom = notched(113.02, 113.03, 0.000016, 0.0000135, [113.02, 35.004, 113.021, 35.005], 'west')
  k3geom.coordinates[0] = k3geom.coordinates[0]!.map(([x, y]) => [x!, y === 35 ? 34.999 : y!])
  await cell('K003', k3geom)
  const k4 = await cell('K004', {
    type: 'MultiPolygon',
    coordinates: [box(113.03, 35, 113.035, 35.01).coordinates, box(113.037, 35, 113.04, 35.01).coordinates],
  })
  await f.staff(k1.id)
  const chief = await f.person('只有网格长')
  await f.duty({ personId: chief.id, cellId: k2.id, role: 'grid_chief' })
  const leaving = await f.person('即将离任')
  await f.duty({
    personId: leaving.id,
    cellId: k4.id,
    role: 'grid_chief',
    endsOn: addDays(isoDay(new Date(), loadConfig({}).serviceTimeZone), 10),
  })
  const m = await f.person('网格员')
  await f.duty({ personId: m.id, cellId: k4.id, role: 'grid_member' })
})
afterAll(async () => t.close())

async function coverage(query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/coverage?${query}`, headers: admin })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe('GET /api/coverage', () => {
  it('finds every gap above the sliver tolerance, with its kind, neighbours and area', async () => {
    const r = await coverage('cell=K')
    const gaps = r.gaps.map((g: { kind: string; neighbourCodes: string[]; areaM2: number }) => ({
      kind: g.kind,
      around: g.neighbourCodes,
      area: g.areaM2,
    }))
    expect(gaps).toHaveLength(4)
    const find = (pred: (g: (typeof gaps)[number]) => boolean) => gaps.find(pred)!
    const between4 = find((g: { around: string[] }) => g.around.join() === 'K004')
    expect(between4.kind).toBe('edge')
    expect(between4.area).toBeCloseTo(approxArea(0.002, 0.01), -3)
    const hole = find((g: { kind: string }) => g.kind === 'hole')
    expect(hole.around).toEqual(['K001'])
    expect(hole.area / approxArea(0.002, 0.002)).toBeCloseTo(1, 2)
    const between = find((g: { kind: string }) => g.kind === 'between')
    expect(between.around).toEqual(['K002', 'K003'])
    expect(between.area / approxArea(0.002, 0.001)).toBeCloseTo(1, 2)
    // the 2.2 m² notch is reported, the 0.5 m² one is not
    const notch = find((g: { area: number }) => g.area < 10)
    expect(notch.area).toBeGreaterThan(1.9)
    expect(notch.area).toBeLessThan(2.5)
    // the notch is at K003's corner where K004 begins: both border it, and it touches the parent's edge
    expect(notch.around).toEqual(['K003', 'K004'])
    expect(notch.kind).toBe('edge')
  })

  it('finds the overlap with both cells and its area', async () => {
    const r = await coverage('cell=K')
    expect(r.overlaps).toHaveLength(1)
    expect(r.overlaps[0].cellCodes).toEqual(['K001', 'K002'])
    expect(r.overlaps[0].areaM2 / approxArea(0.0001, 0.01)).toBeCloseTo(1, 2)
  })

  it('finds spill outside the parent and multi-part cells', async () => {
    const r = await coverage('cell=K')
    expect(r.spills.map((s: { code: string }) => s.code)).toEqual(['K003'])
    expect(r.spills[0].areaM2 / approxArea(0.01, 0.001)).toBeCloseTo(1, 1)
    expect(r.multipartCells).toEqual([{ code: 'K004', parts: 2 }])
  })

  it('reports staffing: vacant, understaffed and expiring cells', async () => {
    const r = await coverage('cell=K')
    expect(r.staffing.vacant.map((c: { code: string }) => c.code)).toEqual(['K003'])
    expect(r.staffing.understaffed.map((c: { code: string }) => c.code)).toEqual(['K002'])
    expect(r.staffing.expiring.map((c: { code: string }) => c.code)).toEqual(['K004'])
    expect(r.summary).toMatchObject({ vacantCells: 1, understaffedCells: 1, expiringCells: 1, gaps: 4, overlaps: 1 })
  })

  it('filters by size, and keeps registered allowed gaps out of the defects', async () => {
    expect((await coverage('cell=K&minArea=5000')).gaps).toHaveLength(3)
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/allowed-gaps',
      headers: admin,
      payload: {
        cellCode: 'K',
        reason: 'reservoir managed by the water bureau',
        geometry: box(113.035, 35, 113.037, 35.01),
      },
    })
    expect(res.statusCode, res.body).toBe(201)
    const r = await coverage('cell=K')
    expect(r.gaps).toHaveLength(3)
    expect(r.allowedGaps).toHaveLength(1)
    expect(r.allowedGaps[0].allowed.reason).toBe('reservoir managed by the water bureau')
    expect(r.summary.allowedGaps).toBe(1)
    await t.app.inject({ method: 'DELETE', url: `/api/allowed-gaps/${res.json().id}`, headers: admin })
    expect((await coverage('cell=K')).gaps).toHaveLength(4)
  })

  it('summarises per child and per level, and works for the region', async () => {
    const r = await coverage('region=K')
    // the region's direct child is its one top-level cell K; K's are its four cells
    expect(r.children.map((c: { code: string }) => c.code)).toEqual(['K'])
    expect((await coverage('cell=K')).children.map((c: { code: string }) => c.code).sort()).toEqual([
      'K001',
      'K002',
      'K003',
      'K004',
    ])
    const level2 = r.levels.find((l: { level: number }) => l.level === 2)
    // K004 is still staffed, only expiring
    expect(level2).toMatchObject({ cells: 4, staffed: 2, understaffed: 1, vacant: 1, gaps: 4 })
    expect(r.summary.coveredPct).toBeLessThan(100)
    expect(r.summary.coveredPct).toBeGreaterThan(90)
  })

  it.each([
    ['', 'region'],
    ['region=K&cell=K', 'region'],
    ['region=NOPE', 'NOPE'],
    ['cell=NOPE', 'NOPE'],
    ['cell=K&minArea=-1', 'minArea'],
    ['cell=K&at=2026-99-01', 'at'],
  ])('rejects "%s" naming %s', async (query, named) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/coverage?${query}`, headers: admin })
    expect([400, 404]).toContain(res.statusCode)
    expect(res.json().error.message).toContain(named)
  })

  it('rejects an invalid allowed-gap geometry with its location, and writes nothing', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/api/allowed-gaps', headers: admin })).json().length
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/allowed-gaps',
      headers: admin,
      payload: {
        cellCode: 'K',
        reason: 'bow-tie',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [113, 35],
              [113.01, 35.01],
              [113.01, 35],
              [113, 35.01],
              [113, 35],
            ],
          ],
        },
      },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toContain('Self-intersection')
    const [x, y] = res.json().error.details.location
    expect(x).toBeCloseTo(113.005, 9)
    expect(y).toBeCloseTo(35.005, 9)
    expect((await t.app.inject({ method: 'GET', url: '/api/allowed-gaps', headers: admin })).json().length).toBe(before)
  })
})
