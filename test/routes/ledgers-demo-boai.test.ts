// The Boai demo's ledgers (loadDemo: H1's plans, then fillDemoLedgers): the first half of 2026 — always
// before "today" — has accepted, late, returned and overdue entries, signed by the demo unit officers
// where the unit has one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'

let t: TestApp
let h: Record<string, string>
beforeAll(async () => {
  t = await testApp({ template: 'demo' })
  h = (await signedIn(t, 'viewer')).headers
})
afterAll(async () => t.close())

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: h })
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200)
  return res.json()
}

describe('Boai demo: ledgers of the months so far', () => {
  it('January to June: mostly accepted on time, with late, returned and overdue entries', async () => {
    const totals = { entries: 0, submitted: 0, onTime: 0, accepted: 0, returned: 0, overdue: 0 }
    for (const month of ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']) {
      const s = await get(`/api/ledgers/summary?month=${month}`)
      for (const u of s.units) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += u[k]
    }
    expect(totals.entries).toBeGreaterThan(0)
    expect(totals.onTime / totals.entries).toBeGreaterThan(0.5)
    expect(totals.onTime).toBeLessThan(totals.submitted) // some were late
    expect(totals.returned).toBeGreaterThan(0)
    expect(totals.overdue).toBeGreaterThan(0)
    // every entry of those months is handed in or overdue: nothing waits for review after the deadline
    expect(totals.submitted - totals.accepted).toBe(0)
    expect(totals.accepted + totals.overdue).toBe(totals.entries)
  })

  it("the demo unit officers sign their units' entries and the air line's reviews", async () => {
    const list = await get('/api/ledgers?unit=410822103&month=2026-03&all=true')
    const handedIn = list.entries.filter((e: any) => e.state === 'accepted')
    expect(handedIn.length).toBeGreaterThan(0)
    for (const e of handedIn) expect(e.submittedBy).toBe('demo-unit')
    const air = await get('/api/ledgers?line=air&state=accepted&month=2026-03')
    expect(air.entries.length).toBeGreaterThan(0)
    // four eyes: 生态环境局's own entries (submitted by demo-reviewer) are reviewed by someone else
    for (const e of air.entries) expect(e.reviewedBy).toBe(e.unit.code === 'sthj' ? null : 'demo-reviewer')
  })
})
