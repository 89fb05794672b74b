// GeoJSON import: all or nothing by default, every bad feature named with its reason and location.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Feature } from 'geojson'
import type { Database } from '../../server/src/db/database.js'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { featuresOf } from '../../server/src/services/feature-source.js'
import {
  DEFAULT_PROPERTIES,
  importFeatures,
  type ImportKind,
  type InvalidMode,
} from '../../server/src/services/import.service.js'
import { testDatabase } from '../helpers/database.js'
import { box } from '../helpers/factories.js'

let database: Database
let close: () => Promise<void>
beforeAll(async () => {
  ;({ database, close } = await testDatabase('empty'))
  await run('regions', [feature({ code: 'IMP', name: 'Import region' }, box(113, 35, 113.1, 35.1))])
  await run('cells', [feature({ code: 'IMP', name: 'County' }, box(113, 35, 113.1, 35.1))])
})
afterAll(async () => close())

const feature = (properties: Record<string, unknown>, geometry: unknown): Feature => ({
  type: 'Feature',
  properties,
  geometry: geometry as Feature['geometry'],
})

function run(kind: ImportKind, features: unknown[] | string, invalid: InvalidMode = 'reject') {
  const text = typeof features === 'string' ? features : JSON.stringify({ type: 'FeatureCollection', features })
  return importFeatures(database.db, featuresOf(text), {
    kind,
    invalid,
    properties: DEFAULT_PROPERTIES,
    batchSize: 2,
    matchToleranceM2: 10,
    actor: SYSTEM_ACTOR,
  })
}

const counts = async () => ({
  cells: Number(
    (
      await database.db
        .selectFrom('grid_cells')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  parcels: Number(
    (
      await database.db
        .selectFrom('parcels')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  audit: Number(
    (
      await database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
})

const bowTie = {
  type: 'Polygon',
  coordinates: [
    [
      [113.01, 35.01],
      [113.02, 35.02],
      [113.02, 35.01],
      [113.01, 35.02],
      [113.01, 35.01],
    ],
  ],
}

describe('importFeatures', () => {
  it('imports cells under their parents and parcels, then matches the parcels', async () => {
    const cells = await run('cells', [
      feature({ code: 'IMP001', name: '东村', parentCode: 'IMP' }, box(113, 35, 113.05, 35.1)),
      feature({ code: 'IMP002', name: '西村', parentCode: 'IMP' }, box(113.05, 35, 113.1, 35.1)),
      feature({ code: 'IMP001001', name: '东村一组', parentCode: 'IMP001' }, box(113, 35, 113.05, 35.1)),
    ])
    expect(cells).toMatchObject({ committed: true, imported: 3, rejected: [] })
    const parcels = await run('parcels', [
      feature({ externalId: 'A-1', landUse: 'farmland' }, box(113.01, 35.01, 113.02, 35.02)),
    ])
    expect(parcels).toMatchObject({ committed: true, imported: 1, rematched: 1 })
    const level = await database.db
      .selectFrom('grid_cells')
      .select('level')
      .where('code', '=', 'IMP001001')
      .executeTakeFirstOrThrow()
    expect(level.level).toBe(3)
  })

  it('rejects the whole file when one feature is bad, listing every bad one; nothing is written', async () => {
    const before = await counts()
    const report = await run('parcels', [
      feature({ externalId: 'OK-1', landUse: 'farmland' }, box(113.03, 35.03, 113.04, 35.04)),
      feature({ externalId: 'BOW', landUse: 'farmland' }, bowTie),
      feature({ externalId: 'PT', landUse: 'farmland' }, { type: 'Point', coordinates: [113, 35] }),
      feature({ externalId: 'FAR', landUse: 'farmland' }, box(213, 35, 213.1, 35.1)),
      feature(
        { externalId: 'OPEN', landUse: 'farmland' },
        {
          type: 'Polygon',
          coordinates: [
            [
              [113, 35],
              [113.1, 35],
              [113.1, 35.1],
              [113, 35.1],
            ],
          ],
        },
      ),
      feature(
        { externalId: 'SHORT', landUse: 'farmland' },
        {
          type: 'Polygon',
          coordinates: [
            [
              [113, 35],
              [113.1, 35],
              [113, 35],
            ],
          ],
        },
      ),
      feature(
        { externalId: 'NAN', landUse: 'farmland' },
        {
          type: 'Polygon',
          coordinates: [
            [
              [113, 35],
              ['x', 35],
              [113.1, 35.1],
              [113, 35],
            ],
          ],
        },
      ),
      feature({ externalId: 'OK-1', landUse: 'farmland' }, box(113.03, 35.03, 113.04, 35.04)),
      feature({ externalId: 'A-1', landUse: 'farmland' }, box(113.03, 35.03, 113.04, 35.04)),
      feature({ externalId: 'USE', landUse: 'moon base' }, box(113.03, 35.03, 113.04, 35.04)),
      feature({ landUse: 'farmland' }, box(113.03, 35.03, 113.04, 35.04)),
      { type: 'Banana' },
    ])
    expect(report.committed).toBe(false)
    expect(report.imported).toBe(0)
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.id ?? `#${r.index}`, r.reason]))
    expect(reasons).toMatchObject({
      BOW: expect.stringContaining('Self-intersection'),
      PT: expect.stringContaining('"Point" is not Polygon or MultiPolygon'),
      FAR: expect.stringContaining('out of range'),
      OPEN: expect.stringContaining('not closed'),
      SHORT: expect.stringContaining('at least 4'),
      NAN: expect.stringContaining('non-numeric'),
      'OK-1': expect.stringContaining('duplicate'),
      'A-1': expect.stringContaining('already exists'),
      USE: expect.stringContaining('land use "moon base"'),
      '#10': expect.stringContaining('"externalId" is missing'),
      '#11': 'not a GeoJSON Feature',
    })
    const bow = report.rejected.find((r) => r.id === 'BOW')!
    expect(bow.location![0]).toBeCloseTo(113.015, 9)
    expect(bow.location![1]).toBeCloseTo(35.015, 9)
    expect(await counts()).toEqual(before)
  })

  it('rejects malformed JSON, unknown parents, duplicate codes and codes that do not extend the parent', async () => {
    const before = await counts()
    expect((await run('cells', '{"type": "FeatureCollection", "features": [')).rejected[0]!.reason).toContain(
      'malformed JSON',
    )
    const report = await run('cells', [
      feature({ code: 'IMP009', name: '无父', parentCode: 'NOPE' }, box(113, 35, 113.01, 35.01)),
      feature({ code: 'IMP001', name: '重复', parentCode: 'IMP' }, box(113, 35, 113.01, 35.01)),
      feature({ code: 'XYZ', name: '错码', parentCode: 'IMP' }, box(113, 35, 113.01, 35.01)),
      feature({ code: 'IMP003', name: '错层', parentCode: 'IMP', level: 5 }, box(113, 35, 113.01, 35.01)),
    ])
    expect(report.rejected.map((r) => r.reason)).toEqual([
      'unknown parent code "NOPE"',
      'cell code "IMP001" already exists',
      'code "XYZ" does not extend its parent\'s code "IMP"',
      'level 5 does not match its place in the hierarchy (level 2)',
    ])
    expect(await counts()).toEqual(before)
  })

  it('--invalid skip imports the rest and lists what was skipped', async () => {
    const report = await run(
      'parcels',
      [feature({ externalId: 'SK-1' }, box(113.06, 35.06, 113.07, 35.07)), feature({ externalId: 'SK-BOW' }, bowTie)],
      'skip',
    )
    expect(report).toMatchObject({ committed: true, imported: 1, skipped: 1 })
    expect(report.rejected[0]).toMatchObject({ id: 'SK-BOW' })
  })

  it('--invalid repair keeps the polygonal parts and reports the area before and after', async () => {
    const report = await run('parcels', [feature({ externalId: 'RP-BOW' }, bowTie)], 'repair')
    expect(report).toMatchObject({ committed: true, imported: 1, rejected: [] })
    expect(report.repaired).toHaveLength(1)
    // the bow-tie becomes two triangles: half of the 0.01° × 0.01° square
    const square = 0.01 * 111_320 * Math.cos((35.015 * Math.PI) / 180) * 0.01 * 110_950
    expect(report.repaired[0]!.areaAfterM2 / (square / 2)).toBeCloseTo(1, 2)
    const row = await database.db
      .selectFrom('parcels')
      .select('id')
      .where('external_id', '=', 'RP-BOW')
      .executeTakeFirst()
    expect(row).toBeDefined()
  })
})
