// POST /api/flags with odd geometry (issue 11, items 7 and 8): a polygon with elevations is stored 2D
// like a point (it was a 500), and an area across ±180° is refused like any boundary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { testApp, type TestApp } from '../helpers/app.js'
import { counts, flagApi, flagsWorld, sh, type FlagsWorld } from './flags.helpers.js'

let t: TestApp
let w: FlagsWorld
let api: ReturnType<typeof flagApi>

beforeAll(async () => {
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760', SIGNIN_RATE_PER_MINUTE: '100000' } })
  t.clock.now = sh('2026-11-30', '10:00')
  w = await flagsWorld(t, '2026-11-29')
  api = flagApi(t)
})
afterAll(async () => t.close())

describe('POST /api/flags: area geometry', () => {
  it('a polygon with [lon, lat, elevation] positions is reported and stored in 2D', async () => {
    const ring = [
      [113.004, 35.004, 12],
      [113.006, 35.004, 12],
      [113.006, 35.006, 12],
      [113.004, 35.006, 12],
      [113.004, 35.004, 12],
    ]
    const flag = await api.reportOk(w.inspector, {
      category: 'dust',
      geometry: { type: 'Polygon', coordinates: [ring] },
    })
    const { rows } = await sql<{
      dims: number
    }>`SELECT ST_NDims(location) AS dims FROM flags WHERE id = ${flag.id}`.execute(t.database.db)
    expect(rows[0]!.dims).toBe(2)
  })

  it('an area crossing ±180° is refused with 400 saying so; nothing written', async () => {
    const before = await counts(t.database.db)
    const res = await api.report(w.inspector, {
      category: 'dust',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [179.9, 35],
            [-179.9, 35],
            [-179.9, 35.01],
            [179.9, 35.01],
            [179.9, 35],
          ],
        ],
      },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toContain('crosses the antimeridian')
    expect(await counts(t.database.db)).toEqual(before)
  })
})
