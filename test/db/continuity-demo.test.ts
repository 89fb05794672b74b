// The Boai demo's shortfall periods (fixtures/boai/expected.json `shortfallPeriods`, written down by the
// fixture builder from the cases it planted) are exactly what the continuity routes find.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { ROOT } from '../helpers/templates.js'

interface Planted {
  cellCode: string
  townshipCode: string
  from: string
  to: string
  days: number
  kind: 'vacant' | 'understaffed'
  missing: { chiefs: number; members: number }
  extraChiefs: number
  plantedFor: string
}
const expected = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/boai/expected.json'), 'utf8'))
const planted = expected.shortfallPeriods as { from: string; to: string; periods: Planted[] }

let t: TestApp
let h: Record<string, string>
beforeAll(async () => {
  t = await testApp({ template: 'demo' })
  t.clock.now = new Date(`${expected.referenceDate}T04:00:00Z`)
  h = (await signedIn(t, 'viewer')).headers
})
afterAll(async () => t.close())

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: h })
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200)
  return res.json()
}
const essentials = (p: Planted) => ({
  cellCode: p.cellCode,
  townshipCode: p.townshipCode,
  from: p.from,
  to: p.to,
  days: p.days,
  kind: p.kind,
  missing: p.missing,
  extraChiefs: p.extraChiefs,
})

describe('Boai demo: duty continuity', () => {
  it('finds exactly the planted shortfall periods, no more and no fewer', async () => {
    const body = await get(`/api/continuity/shortfalls?from=${planted.from}&to=${planted.to}`)
    expect(body.periods.map(essentials)).toEqual(planted.periods.map(essentials))
    // the four planted for continuity, besides the older vacant and understaffed villages
    expect(planted.periods.filter((p) => p.plantedFor === 'continuity')).toHaveLength(4)
  })

  it("shows a planted period in its cell's duty timeline", async () => {
    for (const p of planted.periods.filter((x) => x.plantedFor === 'continuity')) {
      const body = await get(`/api/cells/${p.cellCode}/duty-timeline?from=${planted.from}&to=${planted.to}`)
      expect(body.shortfalls.map(essentials), p.cellCode).toEqual([essentials(p)])
    }
  })

  it('counts vacancy-days per township and month as the planted periods add up', async () => {
    const overlap = (p: Planted, from: string, to: string) => {
      const a = p.from > from ? p.from : from
      const b = p.to < to ? p.to : to
      return a > b ? 0 : (Date.parse(b) - Date.parse(a)) / 86_400_000 + 1
    }
    for (const month of ['2026-03', '2026-06', '2026-11']) {
      const body = await get(`/api/continuity/vacancy-days?month=${month}`)
      const from = `${month}-01`
      const to = month === '2026-11' ? expected.referenceDate : body.to
      expect(body.townships).toHaveLength(10)
      for (const row of body.townships) {
        const mine = planted.periods.filter((p) => p.townshipCode === row.township.code)
        const sum = (kind: string) => mine.filter((p) => p.kind === kind).reduce((n, p) => n + overlap(p, from, to), 0)
        expect([row.vacantDays, row.understaffedDays], `${month} ${row.township.code}`).toEqual([
          sum('vacant'),
          sum('understaffed'),
        ])
      }
    }
  })

  it('lists the expiring chief as a duty ending with no successor', async () => {
    const body = await get('/api/continuity/duties-ending?within=60')
    expect(body.duties.map((d: any) => [d.cell.code, d.role, d.endsOn])).toEqual(
      expected.expiringCells.map((x: any) => [x.cellCode, x.role, x.endsOn]),
    )
  })
})
