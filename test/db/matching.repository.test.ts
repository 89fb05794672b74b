// Hand-made matching cases: each world is built in the test, on a real PostGIS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Database } from '../../server/src/db/database.js'
import { rematch } from '../../server/src/db/repositories/matching.repository.js'
import { testDatabase } from '../helpers/database.js'
import { box, factories } from '../helpers/factories.js'

let database: Database
let close: () => Promise<void>

beforeAll(async () => {
  ;({ database, close } = await testDatabase('empty'))
})
afterAll(async () => close())

async function matchOf(externalId: string) {
  const { rows } = await sql<{
    placement: string
    code: string | null
    shares: { cellId: number; areaM2: number }[]
    uncovered_area_m2: number
    parcel_area_m2: number
  }>`
    SELECT m.placement, c.code, m.shares, m.uncovered_area_m2, m.parcel_area_m2
    FROM parcels p JOIN parcel_matches m ON m.parcel_id = p.id LEFT JOIN grid_cells c ON c.id = m.cell_id
    WHERE p.external_id = ${externalId}`.execute(database.db)
  return rows[0]!
}

describe('rematch (parcel ↔ leaf cell)', () => {
  it('classifies inside, straddling, slight overhang, gap and outside parcels', async () => {
    const f = factories(database.db)
    const region = await f.region('M1', box(113, 35, 113.03, 35.01))
    await f.cell({ regionId: region.id, code: 'M1', level: 1, geometry: box(113, 35, 113.03, 35.01) })
    // two villages side by side, and a strip 113.02–113.03 that no village covers (a gap)
    const west = await f.cell({
      regionId: region.id,
      code: 'M1001',
      level: 2,
      parentCode: 'M1',
      geometry: box(113, 35, 113.01, 35.01),
    })
    await f.cell({
      regionId: region.id,
      code: 'M1002',
      level: 2,
      parentCode: 'M1',
      geometry: box(113.01, 35, 113.02, 35.01),
    })
    await f.parcel({ regionId: region.id, externalId: 'inside', geometry: box(113.002, 35.002, 113.004, 35.004) })
    await f.parcel({ regionId: region.id, externalId: 'straddle', geometry: box(113.008, 35.002, 113.013, 35.004) })
    // pokes 0.00001° (≈0.9 m) over the shared edge along 0.00002° (≈2.2 m): ≈2 m², under the 10 m² tolerance
    await f.parcel({
      regionId: region.id,
      externalId: 'overhang',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [113.008, 35.006],
            [113.01, 35.006],
            [113.01, 35.00601],
            [113.01001, 35.00601],
            [113.01001, 35.00603],
            [113.01, 35.00603],
            [113.01, 35.008],
            [113.008, 35.008],
            [113.008, 35.006],
          ],
        ],
      },
    })
    await f.parcel({ regionId: region.id, externalId: 'in-gap', geometry: box(113.022, 35.002, 113.024, 35.004) })
    await f.parcel({ regionId: region.id, externalId: 'half-gap', geometry: box(113.018, 35.006, 113.022, 35.008) })
    await f.parcel({ regionId: region.id, externalId: 'edge', geometry: box(113.01, 35.001, 113.012, 35.0015) })

    const written = await rematch(database.db, { kind: 'region', regionId: region.id }, 10)
    expect(written).toBe(6)

    const inside = await matchOf('inside')
    expect(inside).toMatchObject({ placement: 'inside', code: 'M1001', uncovered_area_m2: 0 })
    expect(inside.shares).toEqual([{ cellId: west.id, areaM2: expect.closeTo(inside.parcel_area_m2, 3) }])

    const straddle = await matchOf('straddle')
    expect(straddle.placement).toBe('straddling')
    // 0.002° of 0.005° lies in the west cell, 0.003° in the east: the east cell has the larger share
    expect(straddle.code).toBe('M1002')
    expect(straddle.shares.map((s) => s.areaM2 / straddle.parcel_area_m2)).toEqual([
      expect.closeTo(0.6, 3),
      expect.closeTo(0.4, 3),
    ])

    const overhang = await matchOf('overhang')
    expect(overhang).toMatchObject({ placement: 'inside', code: 'M1001' })

    const gap = await matchOf('in-gap')
    expect(gap).toMatchObject({ placement: 'uncovered', code: null })
    expect(gap.uncovered_area_m2).toBeCloseTo(gap.parcel_area_m2, 3)

    const half = await matchOf('half-gap')
    expect(half.placement).toBe('uncovered')
    expect(half.code).toBe('M1002')
    expect(half.uncovered_area_m2 / half.parcel_area_m2).toBeCloseTo(0.5, 3)

    // a parcel lying exactly on the shared edge's east side belongs to the east cell only
    const edge = await matchOf('edge')
    expect(edge).toMatchObject({ placement: 'inside', code: 'M1002' })
  })
})
