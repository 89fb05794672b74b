// Boundary edits with odd incoming geometry (issue 11, items 7 and 8): an elevation is dropped and said
// so (as imports do), a cell may not leave its region, a ring may not cross ±180°. Every refusal checks
// that nothing was written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Polygon } from 'geojson'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let admin: Record<string, string>

beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('E', box(113, 35, 113.03, 35.01))
  await f.cell({ regionId: region.id, code: 'E', level: 1, geometry: box(113, 35, 113.03, 35.01) })
  await f.cell({ regionId: region.id, code: 'E001', level: 2, parentCode: 'E', geometry: box(113, 35, 113.01, 35.01) })
  await f.cell({
    regionId: region.id,
    code: 'E002',
    level: 2,
    parentCode: 'E',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  // E003 leaves a strip [35.008, 35.01] uncovered
  await f.cell({
    regionId: region.id,
    code: 'E003',
    level: 2,
    parentCode: 'E',
    geometry: box(113.02, 35, 113.03, 35.008),
  })
})
afterAll(async () => t.close())

/** A fingerprint of everything an edit may write. */
async function dbState() {
  const { rows } = await sql<{ s: string }>`
    SELECT md5(string_agg(x, '|' ORDER BY x)) AS s FROM (
      SELECT 'c' || id || ':' || version || ':' || md5(ST_AsBinary(boundary)) AS x FROM grid_cells
      UNION ALL SELECT 'v' || count(*) FROM cell_versions
      UNION ALL SELECT 'a' || count(*) FROM audit_log
    ) q`.execute(t.database.db)
  return rows[0]!.s
}

const edit = (payload: object, preview = false) =>
  t.app.inject({ method: 'POST', url: preview ? '/api/edits/preview' : '/api/edits', headers: admin, payload })
const version = async (code: string) =>
  (await t.database.db.selectFrom('grid_cells').select('version').where('code', '=', code).executeTakeFirstOrThrow())
    .version
const withZ = (g: Polygon, z: number) => ({
  type: 'Polygon',
  coordinates: g.coordinates.map((ring) => ring.map(([x, y]) => [x, y, z])),
})

describe('POST /api/edits and /api/edits/preview: elevation', () => {
  it('a preview with [lon, lat, elevation] positions answers 200 with a warning and writes nothing', async () => {
    const before = await dbState()
    const res = await edit(
      {
        operation: 'reshape',
        cellCode: 'E003',
        version: await version('E003'),
        geometry: withZ(box(113.02, 35, 113.03, 35.01), 87.5),
      },
      true,
    )
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      applied: false,
      warnings: [expect.stringMatching(/^body parameter "geometry": .*elevation.*dropped/)],
    })
    expect(await dbState()).toBe(before)
  })

  it('applied, the cell is stored in 2D with the same footprint, and the answer says the elevation was dropped', async () => {
    const v = await version('E003')
    const res = await edit({
      operation: 'reshape',
      cellCode: 'E003',
      version: v,
      reason: 'close the strip',
      geometry: withZ(box(113.02, 35, 113.03, 35.01), 87.5),
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ applied: true, warnings: [expect.stringContaining('elevation')] })
    const { rows } = await sql<{ dims: number; same: boolean }>`
      SELECT ST_NDims(boundary) AS dims, ST_Equals(boundary, ST_GeomFromText('POLYGON((113.02 35, 113.03 35, 113.03 35.01, 113.02 35.01, 113.02 35))', 4326)) AS same
      FROM grid_cells WHERE code = 'E003'`.execute(t.database.db)
    expect(rows[0]).toEqual({ dims: 2, same: true })
    expect(await version('E003')).toBe(v + 1)
  })

  it('an edit without elevations has no warnings', async () => {
    const res = await edit(
      {
        operation: 'reshape',
        cellCode: 'E003',
        version: await version('E003'),
        geometry: box(113.02, 35, 113.03, 35.01),
      },
      true,
    )
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().warnings).toBeUndefined()
  })
})

describe('POST /api/edits: the region', () => {
  it('a top-level cell reshaped to reach outside its region is refused (422 outside_region); nothing written', async () => {
    const before = await dbState()
    // the region ends at 113.03°: 0.02° more to the east is about 1.8 km × 1.1 km outside
    const res = await edit({
      operation: 'reshape',
      cellCode: 'E',
      version: await version('E'),
      reason: 'grab land',
      geometry: box(113, 35, 113.05, 35.01),
    })
    expect(res.statusCode, res.body).toBe(422)
    const error = res.json().error
    expect(error.code).toBe('outside_region')
    const { rows } = await sql<{
      a: number
    }>`SELECT ST_Area(ST_GeomFromText('POLYGON((113.03 35, 113.05 35, 113.05 35.01, 113.03 35.01, 113.03 35))')::geography) AS a`.execute(
      t.database.db,
    )
    expect(error.details.areaM2).toBeCloseTo(rows[0]!.a, 0)
    expect(await dbState()).toBe(before)
  })

  it('clipToParent does not help a top-level cell: it has no parent to clip to, the region still applies', async () => {
    const before = await dbState()
    for (const preview of [true, false]) {
      const res = await edit(
        {
          operation: 'reshape',
          cellCode: 'E',
          version: await version('E'),
          reason: 'far',
          clipToParent: true,
          geometry: box(124, 35, 124.03, 35.01),
        },
        preview,
      )
      expect(res.statusCode, res.body).toBe(422)
      expect(res.json().error.code).toBe('outside_region')
    }
    expect(await dbState()).toBe(before)
  })

  it('a cell created 1,000 km away under a parent is refused by the parent rule (the parent lies in the region)', async () => {
    const before = await dbState()
    const res = await edit({
      operation: 'create',
      parentCode: 'E',
      name: '远方',
      reason: 'far',
      geometry: box(124, 35, 124.01, 35.01),
    })
    expect(res.statusCode, res.body).toBe(422)
    expect(res.json().error.code).toBe('outside_parent')
    expect(await dbState()).toBe(before)
  })

  it('a ring crossing ±180° is refused with 400 saying so', async () => {
    const before = await dbState()
    const res = await edit({
      operation: 'reshape',
      cellCode: 'E001',
      version: await version('E001'),
      reason: 'wrap',
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
    expect(res.json().error).toMatchObject({
      code: 'invalid_geometry',
      message: expect.stringContaining('crosses the antimeridian (±180° longitude) between positions 0 and 1'),
    })
    expect(await dbState()).toBe(before)
  })
})
