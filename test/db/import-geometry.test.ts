// Imports of odd geometry (issue 11, items 7 and 8): elevations, repairs that rounding breaks again,
// land outside the region, rings across ±180°, and the cap on listed problems.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Database } from '../../server/src/db/database.js'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { featuresOf } from '../../server/src/services/feature-source.js'
import {
  DEFAULT_PROPERTIES,
  importFeatures,
  type ImportKind,
  type InvalidMode,
} from '../../server/src/services/import.service.js'
import { formatImportReport } from '../../server/src/cli/format.js'
import { testDatabase } from '../helpers/database.js'
import { box } from '../helpers/factories.js'
import { ROUNDING_BREAKS_REPAIR } from '../helpers/bad-geometries.js'

let database: Database
let close: () => Promise<void>
beforeAll(async () => {
  ;({ database, close } = await testDatabase('empty'))
  await run('regions', [feature({ code: 'GEO', name: 'Region' }, box(113, 35, 113.1, 35.1))])
  await run('cells', [feature({ code: 'GEO', name: 'County' }, box(113, 35, 113.1, 35.1))])
})
afterAll(async () => close())

const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry })
const withZ = (g: { type: string; coordinates: number[][][] }, z = 0) => ({
  ...g,
  coordinates: g.coordinates.map((ring) => ring.map(([x, y]) => [x!, y!, z])),
})

function run(kind: ImportKind, features: unknown[], invalid: InvalidMode = 'reject') {
  const text = JSON.stringify({ type: 'FeatureCollection', features })
  return importFeatures(database.db, featuresOf(text), {
    kind,
    invalid,
    properties: DEFAULT_PROPERTIES,
    batchSize: 2,
    matchToleranceM2: 10,
    actor: SYSTEM_ACTOR,
  })
}

const count = async (table: 'parcels' | 'grid_cells' | 'audit_log') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

const stored = async (externalId: string) => {
  const { rows } = await sql<{ dims: number; valid: boolean; area: number }>`
    SELECT ST_NDims(boundary) AS dims, ST_IsValid(boundary) AS valid, ST_Area(boundary::geography) AS area
    FROM parcels WHERE external_id = ${externalId}`.execute(database.db)
  return rows[0]
}

describe('importFeatures: elevation (a third number in a position)', () => {
  it('drops it, stores 2D, and says so in a warning naming how many features had one', async () => {
    const report = await run('parcels', [
      feature({ externalId: 'Z-1', landUse: 'farmland' }, withZ(box(113.01, 35.01, 113.011, 35.011), 120.5)),
      feature({ externalId: 'Z-2', landUse: 'farmland' }, box(113.012, 35.01, 113.013, 35.011)),
      feature({ externalId: 'Z-3', landUse: 'farmland' }, withZ(box(113.014, 35.01, 113.015, 35.011))),
    ])
    expect(report).toMatchObject({ committed: true, imported: 3, rejectedTotal: 0 })
    // two of the three carried an elevation
    expect(report.warnings).toEqual([expect.stringMatching(/^2 of 3 features: .*elevation.*dropped/)])
    expect(await stored('Z-1')).toMatchObject({ dims: 2, valid: true })
    expect(await stored('Z-3')).toMatchObject({ dims: 2, valid: true })
    expect(formatImportReport(report, 1)).toContain('warning: 2 of 3 features')
  })

  it('cells with an elevation import as well (2D)', async () => {
    const report = await run('cells', [
      feature({ code: 'GEO001', name: '村', parentCode: 'GEO' }, withZ(box(113, 35, 113.05, 35.1), 3)),
    ])
    expect(report).toMatchObject({
      committed: true,
      imported: 1,
      warnings: [expect.stringContaining('1 of 1 features')],
    })
    const { rows } = await sql<{
      dims: number
    }>`SELECT ST_NDims(boundary) AS dims FROM grid_cells WHERE code = 'GEO001'`.execute(database.db)
    expect(rows[0]!.dims).toBe(2)
  })
})

describe('importFeatures --invalid repair: rounding to 9 decimals breaks the repaired geometry', () => {
  it('the fixture really reproduces it on this database: ST_MakeValid output is invalid once rounded', async () => {
    const { rows } = await sql<{ valid_input: boolean; valid_repaired: boolean; valid_rounded: boolean }>`
      WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(ROUNDING_BREAKS_REPAIR)}), 4326) AS g),
      r AS (SELECT ST_CollectionExtract(ST_MakeValid(g), 3) AS r FROM g)
      SELECT ST_IsValid(g) AS valid_input, ST_IsValid(r) AS valid_repaired,
             ST_IsValid(ST_GeomFromGeoJSON(ST_AsGeoJSON(r, 9))) AS valid_rounded
      FROM g, r`.execute(database.db)
    expect(rows[0]).toEqual({ valid_input: false, valid_repaired: true, valid_rounded: false })
  })

  for (const kind of ['parcels', 'cells'] as const) {
    it(`${kind}: the import commits, the repaired feature is stored valid (or listed), the others imported`, async () => {
      const before = await count(kind === 'parcels' ? 'parcels' : 'grid_cells')
      const props = (id: string) =>
        kind === 'parcels' ? { externalId: id, landUse: 'farmland' } : { code: id, name: id, parentCode: 'GEO' }
      const ids = kind === 'parcels' ? ['R-OK-1', 'R-BAD', 'R-OK-2'] : ['GEO002', 'GEO003', 'GEO004']
      const report = await run(
        kind,
        [
          feature(props(ids[0]!), box(113.06, 35.06, 113.061, 35.061)),
          feature(props(ids[1]!), ROUNDING_BREAKS_REPAIR),
          feature(props(ids[2]!), box(113.07, 35.07, 113.071, 35.071)),
        ],
        'repair',
      )
      expect(report.committed).toBe(true)
      expect(report.read).toBe(3)
      // the bad one repaired (its lobe, collapsed by rounding, dropped), never a crash
      expect(report).toMatchObject({
        imported: 3,
        rejectedTotal: 0,
        repairedTotal: 1,
        repaired: [expect.objectContaining({ id: ids[1] })],
      })
      const after = await count(kind === 'parcels' ? 'parcels' : 'grid_cells')
      expect(after - before).toBe(3)
      // what survives is the big lobe: about the triangle (113.001, 35.001)-(113.003, 35.001)-(113.003, 35.003)
      const { rows } = await sql<{ valid: boolean; area: number; expected: number }>`
        SELECT ST_IsValid(boundary) AS valid, ST_Area(boundary::geography) AS area,
               ST_Area(ST_GeomFromText('POLYGON((113.001 35.001, 113.003 35.001, 113.003 35.003, 113.001 35.001))', 4326)::geography) AS expected
        FROM ${sql.table(kind === 'parcels' ? 'parcels' : 'grid_cells')} WHERE ${sql.ref(kind === 'parcels' ? 'external_id' : 'code')} = ${ids[1]}`.execute(
        database.db,
      )
      expect(rows[0]!.valid).toBe(true)
      expect(rows[0]!.area).toBeCloseTo(rows[0]!.expected, -1)
      expect(report.repaired[0]!.areaAfterM2).toBeCloseTo(rows[0]!.area, 3)
    })
  }
})

describe('importFeatures: land outside the region', () => {
  const far = box(123, 35, 123.001, 35.001) // about 900 km east of the region
  const straddling = box(113.095, 35.05, 113.105, 35.051) // half of it east of 113.1°
  const antimeridian = {
    type: 'Polygon',
    coordinates: [
      [
        [179.9, 35],
        [-179.9, 35],
        [-179.9, 35.1],
        [179.9, 35.1],
        [179.9, 35],
      ],
    ],
  }

  it('refuses parcels far away, straddling the border or crossing ±180°, naming each; nothing is written', async () => {
    const before = { parcels: await count('parcels'), audit: await count('audit_log') }
    const report = await run('parcels', [
      feature({ externalId: 'IN', landUse: 'farmland' }, box(113.08, 35.08, 113.081, 35.081)),
      feature({ externalId: 'FAR', landUse: 'farmland' }, far),
      feature({ externalId: 'EDGE', landUse: 'farmland' }, straddling),
      feature({ externalId: 'DATELINE', landUse: 'farmland' }, antimeridian),
    ])
    expect(report.committed).toBe(false)
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.id, r.reason]))
    expect(reasons).toEqual({
      FAR: expect.stringMatching(/^parcel lies [\d,.]+ m² outside its region/),
      EDGE: expect.stringMatching(/^parcel lies [\d,.]+ m² outside its region/),
      DATELINE: expect.stringContaining('crosses the antimeridian'),
    })
    // the far parcel lies wholly outside: the area named is its own area (computed independently)
    const { rows } = await sql<{ a: number; half: number }>`
      SELECT ST_Area(ST_GeomFromGeoJSON(${JSON.stringify(far)})::geography) AS a,
             ST_Area(ST_GeomFromText('POLYGON((113.1 35.05, 113.105 35.05, 113.105 35.051, 113.1 35.051, 113.1 35.05))')::geography) AS half`.execute(
      database.db,
    )
    const named = (id: string) => Number(/lies ([\d,.]+) m²/.exec(reasons[id]!)![1]!.replace(/,/g, ''))
    expect(named('FAR')).toBeCloseTo(rows[0]!.a, 0)
    expect(named('EDGE')).toBeCloseTo(rows[0]!.half, 0)
    expect({ parcels: await count('parcels'), audit: await count('audit_log') }).toEqual(before)
  })

  it('with --invalid skip lists them with the reason and imports the rest, matched to one cell', async () => {
    const report = await run(
      'parcels',
      [
        feature({ externalId: 'SKIP-IN', landUse: 'farmland' }, box(113.08, 35.08, 113.081, 35.081)),
        feature({ externalId: 'SKIP-FAR', landUse: 'farmland' }, far),
        feature({ externalId: 'SKIP-DATELINE', landUse: 'farmland' }, antimeridian),
      ],
      'skip',
    )
    // "skipped" counts geometry the database judged (invalid, outside the region); a ring across ±180°
    // is a structural problem, listed like a Point would be
    expect(report).toMatchObject({ committed: true, imported: 1, skipped: 1, rejectedTotal: 2, rematched: 1 })
    expect(report.rejected.map((r) => r.id)).toEqual(['SKIP-FAR', 'SKIP-DATELINE'])
    expect(await stored('SKIP-FAR')).toBeUndefined()
  })

  it('a parcel poking less than the match tolerance over the border is accepted', async () => {
    // 1e-7° of longitude × 0.001° of latitude ≈ 0.009 m × 111 m ≈ 1 m² outside: under the 10 m² tolerance
    const poke = box(113.099, 35.02, 113.1000001, 35.021)
    const report = await run('parcels', [feature({ externalId: 'POKE', landUse: 'farmland' }, poke)])
    expect(report).toMatchObject({ committed: true, imported: 1 })
  })

  it('refuses cells outside their region', async () => {
    const before = await count('grid_cells')
    const report = await run('cells', [
      feature({ code: 'GEO009', name: 'far', parentCode: 'GEO' }, far),
      feature({ code: 'GEO010', name: 'dateline', parentCode: 'GEO' }, antimeridian),
    ])
    expect(report.committed).toBe(false)
    expect(Object.fromEntries(report.rejected.map((r) => [r.id, r.reason]))).toEqual({
      GEO009: expect.stringMatching(/^cell lies [\d,.]+ m² outside its region/),
      GEO010: expect.stringContaining('crosses the antimeridian'),
    })
    expect(await count('grid_cells')).toBe(before)
  })
})

describe('importFeatures: the listed problems are capped, the totals exact', () => {
  it('2,500 bad features list the first 100 by index and count all 2,500 (report and CLI text)', async () => {
    const features = Array.from({ length: 2500 }, (_, i) =>
      i % 2 === 0 ? null : feature({ landUse: 'farmland' }, box(113, 35, 113.001, 35.001)),
    )
    const report = await run('parcels', features)
    expect(report.committed).toBe(false)
    expect(report.rejectedTotal).toBe(2500)
    expect(report.rejected).toHaveLength(100)
    expect(report.rejected.map((r) => r.index)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    const text = formatImportReport(report, 1)
    expect(text).toContain('rejected 2500:')
    expect(text).toContain('… and 2400 more')
    expect(text.split('\n').length).toBeLessThan(110)
  })
})
