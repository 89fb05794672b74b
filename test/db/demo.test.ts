// The Boai demo's planted answers (fixtures/boai/expected.json), asserted exactly on the loaded demo.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { ROOT } from '../helpers/templates.js'

const expected = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/boai/expected.json'), 'utf8'))
const AT = expected.referenceDate as string
/** areas agree within 0.5% (the fixture builder and the service compute them independently) */
const sameArea = (actual: number, wanted: number) => expect(Math.abs(actual - wanted) / wanted).toBeLessThan(0.005)

let t: TestApp
let h: Record<string, string>
let coverage: any
beforeAll(async () => {
  t = await testApp({ template: 'demo' })
  h = (await signedIn(t, 'viewer')).headers
  const res = await t.app.inject({ method: 'GET', url: `/api/coverage?region=410822&at=${AT}`, headers: h })
  expect(res.statusCode).toBe(200)
  coverage = res.json()
})
afterAll(async () => t.close())

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: h })
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200)
  return res.json()
}

describe('Boai demo: coverage', () => {
  it('has the county, 10 townships and 217 villages, and every parcel', async () => {
    expect(coverage.levels.map((l: { level: number; cells: number }) => [l.level, l.cells])).toEqual([
      [1, 1],
      [2, 10],
      [3, 217],
    ])
    const total = Object.values(coverage.summary.parcels as Record<string, number>).reduce((a, b) => a + b, 0)
    expect(total).toBe(expected.counts.parcels)
  })

  it("dates every cell's first version to when the demo's duties begin, not to the day it was loaded", async () => {
    // written by the import itself (cell_versions is append-only: no back-dating afterwards)
    const { rows } = await sql<{ n: number; first: string; last: string }>`
      SELECT count(*)::int AS n, min(valid_from)::date::text AS first, max(valid_from)::date::text AS last
      FROM cell_versions WHERE version = 1`.execute(t.database.db)
    const cells = await t.database.db
      .selectFrom('grid_cells')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(rows[0]).toEqual({ n: Number(cells.n), first: '2024-01-01', last: '2024-01-01' })
  })

  it('finds exactly the planted gaps, with their kind, neighbours and area', () => {
    expect(coverage.gaps).toHaveLength(expected.gaps.length)
    for (const want of expected.gaps) {
      const got = coverage.gaps.find(
        (g: { parentCode: string; kind: string }) => g.parentCode === want.townshipCode && g.kind === want.kind,
      )
      expect(got, `gap in ${want.townshipCode}`).toBeDefined()
      expect(got.neighbourCodes).toEqual(want.villageCodesAround)
      expect(got.missingLevel).toBe(3)
      sameArea(got.areaM2, want.areaM2)
    }
    expect(coverage.summary.gapAreaM2).toBeCloseTo(
      expected.gaps.reduce((a: number, g: { areaM2: number }) => a + g.areaM2, 0),
      -2,
    )
  })

  it('finds exactly the planted overlaps', () => {
    expect(coverage.overlaps.map((o: { cellCodes: string[] }) => o.cellCodes).sort()).toEqual(
      expected.overlaps.map((o: { cellCodes: string[] }) => o.cellCodes).sort(),
    )
    for (const want of expected.overlaps) {
      const got = coverage.overlaps.find((o: { cellCodes: string[] }) => o.cellCodes.join() === want.cellCodes.join())
      sameArea(got.areaM2, want.areaM2)
    }
    expect(coverage.spills).toEqual([])
  })

  it('reports exactly the planted vacant, understaffed and expiring cells', () => {
    const codes = (list: { code: string }[]) => list.map((c) => c.code).sort()
    expect(codes(coverage.staffing.vacant)).toEqual(
      expected.vacantCells.map((c: { cellCode: string }) => c.cellCode).sort(),
    )
    expect(codes(coverage.staffing.understaffed)).toEqual(
      expected.understaffedCells.map((c: { cellCode: string }) => c.cellCode).sort(),
    )
    expect(codes(coverage.staffing.expiring)).toEqual(
      expected.expiringCells.map((c: { cellCode: string }) => c.cellCode).sort(),
    )
  })

  it("ranks the region's one top-level cell, the county, and the county's 10 townships by coverage, the ones with gaps below 100%", async () => {
    expect(coverage.children.map((c: { code: string }) => c.code)).toEqual(['410822'])
    const county = await get(`/api/coverage?cell=410822&at=${AT}`)
    expect(county.children).toHaveLength(10)
    const withGaps = new Set(expected.gaps.map((g: { townshipCode: string }) => g.townshipCode))
    for (const c of county.children) expect(c.coveredPct < 100).toBe(withGaps.has(c.code))
    const pcts = county.children.map((c: { coveredPct: number }) => c.coveredPct)
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b))
  })
})

describe('Boai demo: parcels', () => {
  const parcel = async (externalId: string) => {
    const hits = await get(`/api/search?q=${externalId}`)
    const id = hits.find((x: { type: string; key: string }) => x.type === 'parcel' && x.key === externalId).id
    return get(`/api/parcels/${id}/accountability?at=${AT}`)
  }

  it('straddling parcels: every share, assigned to the largest', async () => {
    for (const planted of expected.straddlingParcels) {
      // the service lists shares largest first
      const want = {
        ...planted,
        shares: [...planted.shares].sort((a: { areaM2: number }, b: { areaM2: number }) => b.areaM2 - a.areaM2),
      }
      const got = await parcel(want.externalId)
      expect(got.parcel.status, want.externalId).toBe('straddling')
      expect(got.parcel.shares.map((s: { cellCode: string }) => s.cellCode)).toEqual(
        want.shares.map((s: { cellCode: string }) => s.cellCode),
      )
      want.shares.forEach((s: { areaM2: number }, i: number) => sameArea(got.parcel.shares[i].areaM2, s.areaM2))
      expect(got.chain[0].cell.code).toBe(want.shares[0].cellCode)
    }
  })

  it('unowned parcels, wholly or partly in a gap, with the uncovered area', async () => {
    for (const want of expected.unownedParcels) {
      const got = await parcel(want.externalId)
      expect(got.parcel.status, want.externalId).toBe('unowned')
      sameArea(got.parcel.uncoveredAreaM2, want.uncoveredAreaM2)
      if (want.wholly) expect(got.chain).toEqual([])
      else expect(got.chain[0].cell.code).toBe(want.cellCode)
    }
    expect(coverage.summary.parcels.unowned).toBe(expected.unownedParcels.length)
  })

  it('parcels poking a metre or two over a boundary count as inside one cell', async () => {
    for (const want of expected.slightOverhangParcels) {
      const got = await parcel(want.externalId)
      expect(got.parcel.status, want.externalId).toBe('matched')
      expect(got.chain[0].cell.code).toBe(want.cellCode)
    }
  })

  it('a parcel in an overlap is straddling both cells; the lowest code is chosen on the tie', async () => {
    for (const want of expected.overlapParcels) {
      const got = await parcel(want.externalId)
      expect(got.parcel.status).toBe('straddling')
      expect(got.parcel.shares.map((s: { cellCode: string }) => s.cellCode).sort()).toEqual([...want.cellCodes].sort())
    }
  })

  it('parcels in vacant villages are inherited by their township', async () => {
    expect(coverage.summary.parcels.inherited).toBe(expected.inheritedParcels.length)
    const sample = expected.inheritedParcels.filter((_: unknown, i: number) => i % 40 === 0)
    for (const want of sample) {
      const got = await parcel(want.externalId)
      expect(got.parcel.status).toBe('inherited')
      expect(got.effective.cellCode).toBe(want.inheritedByCellCode)
      expect(got.effective.rule).toBe('fallback_vacant')
    }
  })

  it('straddling count matches the plant (planted straddlers plus the overlap parcel)', () => {
    expect(coverage.summary.parcels.straddling).toBe(expected.straddlingParcels.length + expected.overlapParcels.length)
  })
})

describe('Boai demo: who is accountable here', () => {
  const at = ([lon, lat]: number[]) => get(`/api/accountability?lon=${lon}&lat=${lat}&at=${AT}`)

  it('in a staffed village: its grid chief', async () => {
    const r = await at(expected.staffedPoint.point)
    expect(r.chain.map((l: { level: number }) => l.level)).toEqual([3, 2, 1])
    expect(r.chain[0].cell.code).toBe(expected.staffedPoint.cellCode)
    expect(r.effective.people.find((p: { role: string }) => p.role === 'grid_chief').name).toBe(
      expected.staffedPoint.chiefName,
    )
  })

  it('in a vacant village: inherited by the township', async () => {
    const r = await at(expected.vacantPoint.point)
    expect(r.chain[0].cell).toMatchObject({ code: expected.vacantPoint.cellCode, staffing: 'vacant' })
    expect(r.effective).toMatchObject({ cellCode: expected.vacantPoint.inheritedByCellCode, rule: 'fallback_vacant' })
  })

  it('in each gap: the township covers it, the village level is missing', async () => {
    for (const g of expected.gaps) {
      const r = await at(g.point)
      expect(r.missingLevel).toBe(3)
      expect(r.chain[0].cell.code).toBe(g.townshipCode)
    }
  })

  it('in each overlap: both villages are listed, the answer is deterministic', async () => {
    for (const o of expected.overlaps) {
      const r = await at(o.point)
      const villages = r.involvedCells
        .filter((c: { level: number }) => c.level === 3)
        .map((c: { code: string }) => c.code)
      expect(villages.sort()).toEqual([...o.cellCodes].sort())
      expect(r.chain[0].cell.code).toBe([...o.cellCodes].sort()[0])
    }
  })
})
