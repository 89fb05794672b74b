// "Children by coverage" on a two-level and a one-level grid, the headline under --min-area, and how
// percentages are rounded. Boxes near the equator; the expected areas come from ST_Area of plain
// envelopes (not the service's difference and union), the expected shares by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'
import { formatCoverage } from '../../server/src/cli/format.js'

let t: TestApp
let admin: Record<string, string>

interface Child {
  code: string
  areaM2: number
  coveredPct: number
  gapAreaM2: number
  overlapAreaM2: number
  cells: number
}

/** geodesic area of a lon/lat box, by a statement independent of the coverage queries */
async function envelopeArea(minLon: number, minLat: number, maxLon: number, maxLat: number): Promise<number> {
  const { rows } = await sql<{
    a: number
  }>`SELECT ST_Area(ST_MakeEnvelope(${minLon}, ${minLat}, ${maxLon}, ${maxLat}, 4326)::geography) AS a`.execute(
    t.database.db,
  )
  return rows[0]!.a
}

beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  // Two levels. Region TWO = [10, 10.03] × [0, 0.01]: townships NA (west third) and SB (middle third);
  // the east third is covered by no township (a level-1 gap). NA's villages leave its north-east quarter
  // uncovered (a level-2 gap); SB's one village covers it whole. Codes share no prefixes.
  const two = await f.region('TWO', box(10, 0, 10.03, 0.01))
  await f.cell({ regionId: two.id, code: 'NA', level: 1, geometry: box(10, 0, 10.01, 0.01) })
  await f.cell({ regionId: two.id, code: 'SB', level: 1, geometry: box(10.01, 0, 10.02, 0.01) })
  await f.cell({ regionId: two.id, code: 'V7', level: 2, parentCode: 'NA', geometry: box(10, 0, 10.005, 0.01) })
  await f.cell({ regionId: two.id, code: 'Q3', level: 2, parentCode: 'NA', geometry: box(10.005, 0, 10.01, 0.005) })
  await f.cell({ regionId: two.id, code: 'M5', level: 2, parentCode: 'SB', geometry: box(10.01, 0, 10.02, 0.01) })
  // One level. Region ONE = [20, 20.02] × [0, 0.01]: cells P1 (west half) and P2 (the next quarter).
  const one = await f.region('ONE', box(20, 0, 20.02, 0.01))
  await f.cell({ regionId: one.id, code: 'P1', level: 1, geometry: box(20, 0, 20.01, 0.01) })
  await f.cell({ regionId: one.id, code: 'P2', level: 1, geometry: box(20.01, 0, 20.015, 0.01) })
  // Nearly covered. Region NEAR = [30, 30.01] × [0, 0.01]: one cell with a 0.00001° square hole (about
  // 1.2 m² of 1.2 km²: a millionth).
  // Empty. Region NONE = [40, 40.01] × [0, 0.01]: no cells yet (a county just set up).
  await f.region('NONE', box(40, 0, 40.01, 0.01))
  const near = await f.region('NEAR', box(30, 0, 30.01, 0.01))
  await f.cell({
    regionId: near.id,
    code: 'N1',
    level: 1,
    geometry: {
      type: 'Polygon',
      coordinates: [
        box(30, 0, 30.01, 0.01).coordinates[0]!,
        [
          [30.005, 0.005],
          [30.005, 0.00501],
          [30.00501, 0.00501],
          [30.00501, 0.005],
          [30.005, 0.005],
        ],
      ],
    },
  })
})
afterAll(async () => t.close())

async function coverage(query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/coverage?${query}`, headers: admin })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

const byCode = (children: Child[]) => Object.fromEntries(children.map((c) => [c.code, c]))

describe('GET /api/coverage: children by coverage', () => {
  it('ranks a two-level region by its townships, each row holding all the land under it', async () => {
    const r = await coverage('region=TWO')
    const rows = byCode(r.children)
    expect(r.children.map((c: Child) => c.code)).toEqual(['NA', 'SB'])
    const na = await envelopeArea(10, 0, 10.01, 0.01)
    const naGap = await envelopeArea(10.005, 0.005, 10.01, 0.01)
    expect(rows.NA!.areaM2).toBeCloseTo(na, 0)
    expect(rows.NA!.gapAreaM2).toBeCloseTo(naGap, 0)
    // a quarter of NA is uncovered
    expect(rows.NA!.coveredPct).toBe(75)
    expect(rows.NA!.cells).toBe(3)
    expect(rows.SB!.coveredPct).toBe(100)
    expect(rows.SB!.gapAreaM2).toBe(0)
  })

  it('accounts for the gaps between the townships, so that the rows add up to the headline', async () => {
    const r = await coverage('region=TWO')
    const levelOneGap = await envelopeArea(10.02, 0, 10.03, 0.01)
    expect(r.outsideChildren.gaps).toBe(1)
    expect(r.outsideChildren.gapAreaM2).toBeCloseTo(levelOneGap, 0)
    const rowGaps = r.children.reduce((a: number, c: Child) => a + c.gapAreaM2, 0)
    expect(rowGaps + r.outsideChildren.gapAreaM2).toBeCloseTo(r.summary.gapAreaM2, 0)
    const rowAreas = r.children.reduce((a: number, c: Child) => a + c.areaM2, 0)
    expect(rowAreas + r.outsideChildren.gapAreaM2).toBeCloseTo(r.summary.areaM2, 0)
    // uncovered: a third (the east third) and a twelfth (a quarter of the west third): 7/12 covered
    expect(r.summary.coveredPct).toBe(58.33)
    expect(r.summary.coveredAreaM2).toBeCloseTo(
      (await envelopeArea(10, 0, 10.03, 0.01)) - levelOneGap - (await envelopeArea(10.005, 0.005, 10.01, 0.01)),
      0,
    )
  })

  it('ranks a cell by its child cells, its own gap said apart', async () => {
    const r = await coverage('cell=NA')
    expect(r.children.map((c: Child) => [c.code, c.coveredPct])).toEqual([
      ['Q3', 100],
      ['V7', 100],
    ])
    expect(r.outsideChildren.gaps).toBe(1)
    expect(r.outsideChildren.gapAreaM2).toBeCloseTo(await envelopeArea(10.005, 0.005, 10.01, 0.01), 0)
    expect(r.summary.coveredPct).toBe(75)
  })

  it('has a row per cell for a one-level grid', async () => {
    const r = await coverage('region=ONE')
    expect(r.children.map((c: Child) => [c.code, c.coveredPct])).toEqual([
      ['P1', 100],
      ['P2', 100],
    ])
    const gap = await envelopeArea(20.015, 0, 20.02, 0.01)
    expect(r.outsideChildren).toMatchObject({ gaps: 1, overlaps: 0 })
    expect(r.outsideChildren.gapAreaM2).toBeCloseTo(gap, 0)
    expect(byCode(r.children).P2!.areaM2).toBeCloseTo(await envelopeArea(20.01, 0, 20.015, 0.01), 0)
    const rowAreas = r.children.reduce((a: number, c: Child) => a + c.areaM2, 0)
    expect(rowAreas + r.outsideChildren.gapAreaM2).toBeCloseTo(r.summary.areaM2, 0)
  })

  it('prints the rows and the gaps between them in the CLI report', async () => {
    const text = formatCoverage(await coverage('region=TWO'))
    const section = text.slice(text.indexOf('children by coverage:'), text.indexOf('\ngaps'))
    expect(section).toMatch(/NA .* 75\.00%/)
    expect(section).toMatch(/SB .* 100\.00%/)
    expect(section).toContain('not under any child: gaps 1')
  })
})

describe('GET /api/coverage: --min-area', () => {
  it('only filters which gaps are listed; the headline stays the same', async () => {
    const all = await coverage('region=TWO')
    // the level-1 gap is about 1.23 km², the level-2 gap about 0.31 km²
    const big = await coverage('region=TWO&minArea=500000')
    expect(all.gaps).toHaveLength(2)
    expect(big.gaps).toHaveLength(1)
    expect(big.gaps[0].parentCode).toBe('TWO')
    expect(big.summary).toEqual(all.summary)
    expect(big.children).toEqual(all.children)
    expect(big.outsideChildren).toEqual(all.outsideChildren)
    expect(big.levels).toEqual(all.levels)
    const text = formatCoverage(big)
    expect(text).toContain('covered')
    expect(text).toContain('(58.33%)')
    expect(text).toContain('gaps (1 of 2 listed')
  })
})

describe('GET /api/coverage: percentages', () => {
  it('rounds down to two decimals, never to 100% with a gap', async () => {
    const r = await coverage('region=NEAR&sliver=0.5')
    const hole = await envelopeArea(30.005, 0.005, 30.00501, 0.00501)
    expect(hole).toBeGreaterThan(0.5)
    expect(r.summary.gapAreaM2).toBeCloseTo(hole, 0)
    expect(r.summary.coveredPct).toBe(99.99)
    // the hole is the region's gap (N1 is a leaf): N1's own row is whole, the hole said apart
    expect(r.children[0].coveredPct).toBe(100)
    expect(r.outsideChildren.gapAreaM2).toBeCloseTo(hole, 0)
    const text = formatCoverage(r)
    const headline = text.split('\n').find((l) => l.includes('covered'))!
    expect(headline).toContain('(99.99%)')
    expect(headline).not.toContain('100')
  })

  it('gives every percentage with at most two decimals, and exactly 100 where nothing is missing', async () => {
    for (const q of ['region=TWO', 'region=ONE', 'cell=NA', 'cell=SB', 'region=NEAR&sliver=0.5', 'region=NEAR']) {
      const r = await coverage(q)
      for (const p of [r.summary.coveredPct, ...r.children.map((c: Child) => c.coveredPct)])
        expect(Math.round(p * 100) / 100, q).toBe(p)
      for (const c of r.children as Child[]) if (c.gapAreaM2 === 0) expect(c.coveredPct, `${q} ${c.code}`).toBe(100)
    }
    expect((await coverage('cell=SB')).summary.coveredPct).toBe(100)
  })
})

describe('GET /api/coverage: a region without cells', () => {
  it('answers that the whole region is one gap (no 500 from an SRID-less empty union)', async () => {
    const r = await coverage('region=NONE')
    expect(r.summary.coveredPct).toBe(0)
    expect(r.summary.gapAreaM2).toBeCloseTo(await envelopeArea(40, 0, 40.01, 0.01), 0)
    expect(r.children).toEqual([])
  })
})
