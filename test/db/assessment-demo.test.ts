// The demo's assessment: a new user sees a real ranking — the 2026 scheme, PM figures for each township
// for the months before today's, and every township ranked with its air-quality parts applicable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { DEMO_YEAR } from '../../server/src/features/assessment/demo.js'

let t: TestApp
beforeAll(async () => {
  t = await testApp({ template: 'demo' })
}, 120_000)
afterAll(() => t?.close())

describe('the demo assessment', () => {
  it('ranks the ten townships of a past month of 2026 on the demo scheme', async () => {
    const viewer = await signedIn(t, 'viewer')
    const scheme = await t.app.inject({
      method: 'GET',
      url: `/api/assessment/schemes/${DEMO_YEAR}`,
      headers: viewer.headers,
    })
    expect(scheme.statusCode).toBe(200)
    expect(
      scheme
        .json()
        .indicators.filter((i: any) => i.kind === 'environment')
        .map((i: any) => i.indicatorCode),
    ).toEqual(['pm25', 'pm10'])
    // the demo is loaded "now" (after June 2026): June has figures
    const res = await t.app.inject({ method: 'GET', url: '/api/assessment/2026-06', headers: viewer.headers })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.groups.township).toHaveLength(10)
    for (const row of body.groups.township) {
      expect(row.score).not.toBeNull()
      const pm = row.parts.filter((p: any) => p.kind === 'environment')
      expect(pm.map((p: any) => p.score === null)).toEqual([false, false])
    }
    const ranks = body.groups.township.map((r: any) => r.rank)
    expect(ranks[0]).toBe(1)
    expect(body.redList.township.length).toBeGreaterThanOrEqual(3)
    expect(body.blackList.township.length).toBeGreaterThanOrEqual(1)
    expect(body.groups.department.length).toBeGreaterThanOrEqual(8)
  })
})
