// The Boai demo's units, plans and letters (fixtures/boai/loop), checked against figures computed here
// from the JSON files themselves, and the demo unit officers' units.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../server/src/services/demo.service.js'
import { signIn, signedIn, testApp, type TestApp } from '../helpers/app.js'
import { ROOT } from '../helpers/templates.js'

const json = (file: string) => JSON.parse(readFileSync(path.join(ROOT, 'fixtures/boai/loop', file), 'utf8'))
const people: { key: string; name: string }[] = json('people.json')
const units = json('units.json')
const lines = json('lines.json')
const plans = json('plans.json')
const letters = json('letters.json')
const nameOf = (key: string) => people.find((p) => p.key === key)!.name
const measures: any[] = plans.flatMap((p: any) => p.measures)

let t: TestApp
let h: Record<string, string>
beforeAll(async () => {
  t = await testApp({ template: 'demo' })
  h = (await signedIn(t, 'viewer')).headers
})
afterAll(async () => t.close())

const get = async (url: string, headers = h) => {
  const res = await t.app.inject({ method: 'GET', url, headers })
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200)
  return res.json()
}

describe('Boai demo: units, plans and letters', () => {
  it('has the 10 townships (named after their cells) and the 8 departments, with heads and liaisons', async () => {
    const got = await get('/api/units')
    expect(got).toHaveLength(units.townships.length + units.departments.length)
    const cells = await t.database.db.selectFrom('grid_cells').select(['code', 'name']).where('level', '=', 2).execute()
    expect(cells.map((c) => c.code).sort()).toEqual(units.townships.map((tw: any) => tw.cellCode).sort())
    for (const tw of units.townships) {
      const unit = got.find((u: any) => u.code === tw.cellCode)
      expect(unit, tw.cellCode).toMatchObject({
        kind: 'township',
        cellCode: tw.cellCode,
        head: { name: nameOf(tw.head) },
      })
      expect(unit.liaisons.map((l: any) => l.name)).toEqual(tw.liaisons.map(nameOf))
      expect(unit.name).toBe(cells.find((c) => c.code === tw.cellCode)!.name)
    }
    for (const d of units.departments) {
      const unit = got.find((u: any) => u.code === d.code)
      expect(unit, d.code).toMatchObject({ kind: 'department', name: d.name, head: { name: nameOf(d.head) } })
    }
  })

  it('has the three lines with their lead units', async () => {
    const got = await get('/api/lines')
    expect(got.map((l: any) => [l.code, l.leadUnit.code])).toEqual(lines.map((l: any) => [l.code, l.leadUnit]))
  })

  it('has the 2026 plans with every measure, its units and milestones, and their ledger entries', async () => {
    expect(measures.length).toBeGreaterThanOrEqual(12)
    expect(measures.length).toBeLessThanOrEqual(15)
    const list = await get('/api/plans?year=2026')
    expect(list.map((p: any) => [p.lineCode, p.measureCount])).toEqual(
      plans.map((p: any) => [p.line, p.measures.length]),
    )
    for (const p of list) {
      const detail = await get(`/api/plans/${p.id}`)
      for (const m of detail.measures) {
        const want = measures.find((x) => x.code === m.code)
        expect(m.units.map((u: any) => u.code).sort()).toEqual([...want.units].sort())
        expect(m.milestones.map((s: any) => s.month)).toEqual(want.milestones.map((s: any) => s.month))
        expect(m.indicator.code).toBe(want.indicator)
      }
    }
    const entries = measures.reduce((sum, m) => sum + m.units.length * 12, 0)
    const { n } = await t.database.db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(n)).toBe(entries)
  })

  it('has a letter for every unit, signed in February 2026, with PM10 and PM2.5 targets for townships', async () => {
    const got = await get('/api/letters?year=2026')
    expect(got).toHaveLength(letters.letters.length)
    for (const want of letters.letters) {
      const letter = got.find((l: any) => l.unit.code === want.unit)
      expect(letter.signedOn).toBe(want.signedOn)
      expect(letter.signedOn.slice(0, 7)).toBe('2026-02')
      expect(letter.countySignatory.name).toBe(nameOf(letters.countySignatory))
      expect(letter.targets.map((x: any) => [x.indicator.code, x.targetValue]).sort()).toEqual(
        want.targets.map((x: any) => [x.indicator, x.targetValue]).sort(),
      )
      if (letter.unit.kind === 'township')
        expect(letter.targets.map((x: any) => x.indicator.code)).toEqual(expect.arrayContaining(['pm10', 'pm25']))
    }
  })

  it('demo-unit acts for 许良镇 and demo-reviewer for 生态环境局, the lead unit of the air line', async () => {
    const unit = (await signIn(t, 'demo-unit', DEMO_PASSWORD)).headers
    expect((await get('/api/units/mine', unit)).map((u: any) => u.name)).toEqual(['许良镇'])
    const reviewer = (await signIn(t, 'demo-reviewer', DEMO_PASSWORD)).headers
    const mine = await get('/api/units/mine', reviewer)
    expect(mine.map((u: any) => [u.code, u.leads])).toEqual([['sthj', ['air']]])
  })
})
