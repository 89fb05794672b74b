// "Who is accountable here": hand-made cases around boundaries, vertices, holes, gaps, vacancy and dates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'
import { addDays, isoDay } from '../../server/src/services/dates.js'
import { loadConfig } from '../../server/src/config.js'

let t: TestApp
let h: Record<string, string>
// today as the app counts it: in the service time zone
const today = isoDay(new Date(), loadConfig({}).serviceTimeZone)
const yesterday = addDays(today, -1)

interface Answer {
  covered: boolean
  missingLevel: number | null
  message: string | null
  chain: {
    level: number
    cell: { code: string; staffing: string }
    people: { name: string; role: string; phone: string | null }[]
  }[]
  involvedCells: { code: string; onBoundary: boolean }[]
  effective: { cellCode: string; rule: string; people: { name: string }[] } | null
  parcel: { externalId: string; status: string } | null
}

beforeAll(async () => {
  t = await testApp()
  h = (await signedIn(t, 'viewer')).headers
  const f = factories(t.database.db)
  const region = await f.region('H', box(113, 35, 113.04, 35.02))
  const county = await f.cell({ regionId: region.id, code: 'H', level: 1, geometry: box(113, 35, 113.04, 35.02) })
  const countyChief = await f.person('县网格长')
  await f.duty({ personId: countyChief.id, cellId: county.id, role: 'grid_chief' })
  const cell = (code: string, geometry: Parameters<typeof f.cell>[0]['geometry']) =>
    f.cell({ regionId: region.id, code, level: 2, parentCode: 'H', geometry })
  const a = await cell('H001', box(113, 35, 113.01, 35.01))
  const b = await cell('H002', box(113.01, 35, 113.02, 35.01))
  await cell('H003', box(113, 35.01, 113.01, 35.02)) // vacant
  // [113.01, 113.02] × [35.01, 35.02] is left uncovered: a gap between H002 and H003
  const e = await cell('H004', {
    type: 'Polygon',
    coordinates: [
      [
        [113.02, 35],
        [113.03, 35],
        [113.03, 35.02],
        [113.02, 35.02],
        [113.02, 35],
      ],
      [
        [113.022, 35.005],
        [113.022, 35.007],
        [113.024, 35.007],
        [113.024, 35.005],
        [113.022, 35.005],
      ],
      [
        [113.026, 35.012],
        [113.026, 35.014],
        [113.028, 35.014],
        [113.028, 35.012],
        [113.026, 35.012],
      ],
    ],
  })
  const fill = await cell('H005', box(113.022, 35.005, 113.024, 35.007)) // fills H004's first hole
  const multi = await cell('H006', {
    type: 'MultiPolygon',
    coordinates: [box(113.03, 35, 113.035, 35.01).coordinates, box(113.035, 35.01, 113.04, 35.02).coordinates],
  })
  await f.staff(a.id, ['张三', '李四'])
  await f.staff(e.id, ['赵六', '钱七'])
  await f.staff(fill.id, ['孙八', '周九'])
  await f.staff(multi.id, ['吴十', '郑一'])
  // H002: its chief's duty ended yesterday; its member is still on duty
  const oldChief = await f.person('王五')
  await f.duty({ personId: oldChief.id, cellId: b.id, role: 'grid_chief', startsOn: '2020-01-01', endsOn: yesterday })
  const member = await f.person('冯二')
  await f.duty({ personId: member.id, cellId: b.id, role: 'grid_member' })
  // a parcel bigger than a cell: all of H001, parts of H002, H003 and the gap
  await f.parcel({ regionId: region.id, externalId: 'BIG', geometry: box(113, 35, 113.012, 35.012) })
  await f.parcel({ regionId: region.id, externalId: 'IN-C', geometry: box(113.004, 35.014, 113.006, 35.016) })
  await f.rematchAll(region.id)
})
afterAll(async () => t.close())

async function at(lon: number, lat: number, date?: string): Promise<Answer> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/accountability?lon=${lon}&lat=${lat}${date ? `&at=${date}` : ''}`,
    headers: h,
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as Answer
}

describe('GET /api/accountability', () => {
  it('inside a staffed village: the chain up to the county with people, roles and phones', async () => {
    const r = await at(113.005, 35.005)
    expect(r.covered).toBe(true)
    expect(r.chain.map((l) => [l.level, l.cell.code, l.cell.staffing])).toEqual([
      [2, 'H001', 'staffed'],
      [1, 'H', 'staffed'],
    ])
    expect(r.chain[0]!.people.map((p) => [p.name, p.role])).toEqual([
      ['张三', 'grid_chief'],
      ['李四', 'grid_member'],
    ])
    expect(r.chain[0]!.people[0]!.phone).toBe('13900000001')
    expect(r.effective).toMatchObject({ cellCode: 'H001', rule: 'direct' })
    expect(r.parcel).toMatchObject({ externalId: 'BIG', status: 'unowned' })
  })

  it('on an edge shared by two cells: deterministic (lowest code) and both listed', async () => {
    const r = await at(113.01, 35.005)
    expect(r.chain[0]!.cell.code).toBe('H001')
    expect(r.involvedCells.filter((c) => c.onBoundary).map((c) => c.code)).toEqual(['H001', 'H002'])
    expect(r.message).toContain('2 level-2 cells cover this point')
  })

  it('on a vertex shared by three cells: every one is listed', async () => {
    const r = await at(113.01, 35.01)
    expect(
      r.involvedCells
        .filter((c) => c.onBoundary)
        .map((c) => c.code)
        .sort(),
    ).toEqual(['H001', 'H002', 'H003'])
    expect(r.chain[0]!.cell.code).toBe('H001')
  })

  it('in a gap: the levels that cover it, and which level is missing', async () => {
    const r = await at(113.015, 35.015)
    expect(r.covered).toBe(false)
    expect(r.missingLevel).toBe(2)
    expect(r.chain.map((l) => l.cell.code)).toEqual(['H'])
    expect(r.message).toContain('no level-2 cell covers this point')
    expect(r.effective).toMatchObject({ cellCode: 'H', rule: 'fallback_gap' })
  })

  it('in a vacant village: shown vacant, accountability inherited by the nearest staffed ancestor', async () => {
    const r = await at(113.005, 35.015)
    expect(r.chain[0]!.cell).toMatchObject({ code: 'H003', staffing: 'vacant' })
    expect(r.chain[0]!.people).toEqual([])
    expect(r.effective).toMatchObject({ cellCode: 'H', rule: 'fallback_vacant', people: [{ name: '县网格长' }] })
    expect(r.parcel).toMatchObject({ externalId: 'IN-C', status: 'inherited' })
  })

  it('in a hole that another cell fills, and in a hole nothing fills', async () => {
    expect((await at(113.023, 35.006)).chain[0]!.cell.code).toBe('H005')
    const unfilled = await at(113.027, 35.013)
    expect(unfilled.missingLevel).toBe(2)
    expect(unfilled.involvedCells.map((c) => c.code)).toEqual(['H'])
  })

  it('in either part of a multi-part cell', async () => {
    expect((await at(113.0325, 35.005)).chain[0]!.cell.code).toBe('H006')
    expect((await at(113.0375, 35.015)).chain[0]!.cell.code).toBe('H006')
    expect((await at(113.0375, 35.005)).missingLevel).toBe(2)
  })

  it('a responsibility that ended yesterday counts on its last day and not today', async () => {
    const now = await at(113.015, 35.005)
    expect(now.chain[0]!.cell.staffing).toBe('understaffed')
    expect(now.chain[0]!.people.map((p) => p.name)).toEqual(['冯二'])
    const then = await at(113.015, 35.005, yesterday)
    expect(then.chain[0]!.cell.staffing).toBe('staffed')
    expect(then.chain[0]!.people.map((p) => p.name).sort()).toEqual(['冯二', '王五'].sort())
  })

  it('outside every region: says so', async () => {
    const r = await at(100, 30)
    expect(r).toMatchObject({ covered: false, chain: [], effective: null })
    expect(r.message).toContain('outside every region')
  })

  it.each([
    ['lon=200&lat=35', 'lon'],
    ['lon=abc&lat=35', 'lon'],
    ['lat=35', 'lon'],
    ['lon=113&lat=-91', 'lat'],
    ['lon=113&lat=35&at=2026-02-30', 'at'],
    ['lon=113&lat=35&at=yesterday', 'at'],
  ])('rejects %s with a 400 naming "%s"', async (query, parameter) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/accountability?${query}`, headers: h })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toContain(`"${parameter}"`)
  })
})

describe('GET /api/parcels/:id/accountability', () => {
  it('a parcel larger than a cell: every share listed, the uncovered area reported', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/search?q=BIG', headers: h })
    const id = (list.json() as { type: string; id: number }[]).find((x) => x.type === 'parcel')!.id
    const res = await t.app.inject({ method: 'GET', url: `/api/parcels/${id}/accountability`, headers: h })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.parcel.status).toBe('unowned')
    expect(body.parcel.shares.map((s: { cellCode: string }) => s.cellCode)).toEqual(['H001', 'H002', 'H003'])
    // 0.002° × 0.002° of 0.012° × 0.012° lies in the gap: 1/36 of the parcel
    expect(body.parcel.uncoveredAreaM2 / body.parcel.areaM2).toBeCloseTo(1 / 36, 3)
    expect(body.chain[0].cell.code).toBe('H001')
  })

  it('404 for an unknown parcel, 400 for a malformed id or date', async () => {
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/parcels/999999/accountability', headers: h })).statusCode,
    ).toBe(404)
    const bad = await t.app.inject({ method: 'GET', url: '/api/parcels/abc/accountability', headers: h })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('"id"')
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/parcels/1/accountability?at=2026-13-01', headers: h }))
        .statusCode,
    ).toBe(400)
  })
})
