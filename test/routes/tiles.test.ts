// Vector tiles: contents of every layer, the two encoders (ST_AsMVT on the server, Node on the
// embedded database) giving the same tile, cache invalidation by writes, ETag/304 and bad addresses.
//
//   R1 (level 1)   113.00 ──────── 113.01 ──────── 113.02 ──────── 113.03
//            35.01 ┌──── R1001 ─────┬──── R1002 ───┬┬── gap (no L2) ─┐
//                  │  staffed       │  vacant    ░░││─────────────────┤ 35.008
//                  │  P-IN   P-STRAD│ P-VAC      ░░││ R1003 (staffed) │
//            35.00 └────────────────┴──────────────┴┴─────────────────┘
//   R1003 starts at 113.0195: it overlaps R1002 in a 0.0005° strip (░).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'
import { insertFlag } from '../../server/src/features/flags/repository.js'
import { createTileService, parseTileSpec, type TileSpec } from '../../server/src/services/tiles.service.js'
import { decodeTile, tileDifferences, tileOf, type DecodedFeature } from './tiles.helpers.js'

let t: TestApp
let viewer: Record<string, string>
let admin: Record<string, string>
const AT = '2026-03-01'

beforeAll(async () => {
  t = await testApp()
  viewer = (await signedIn(t, 'viewer')).headers
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('R1', box(113, 35, 113.03, 35.01))
  const r1 = await f.cell({
    regionId: region.id,
    code: 'R1',
    level: 1,
    geometry: box(113, 35, 113.03, 35.01),
    name: '一号县',
  })
  await f.staff(r1.id)
  const a = await f.cell({
    regionId: region.id,
    code: 'R1001',
    level: 2,
    parentCode: 'R1',
    geometry: box(113, 35, 113.01, 35.01),
    name: '东村',
  })
  await f.cell({
    regionId: region.id,
    code: 'R1002',
    level: 2,
    parentCode: 'R1',
    geometry: box(113.01, 35, 113.02, 35.01),
    name: '西村',
  })
  const c = await f.cell({
    regionId: region.id,
    code: 'R1003',
    level: 2,
    parentCode: 'R1',
    geometry: box(113.0195, 35, 113.03, 35.008),
    name: '南村',
  })
  await f.staff(a.id)
  await f.staff(c.id)
  await f.parcel({ regionId: region.id, externalId: 'P-IN', geometry: box(113.002, 35.002, 113.004, 35.004) })
  await f.parcel({ regionId: region.id, externalId: 'P-STRAD', geometry: box(113.008, 35.002, 113.012, 35.004) })
  await f.parcel({ regionId: region.id, externalId: 'P-VAC', geometry: box(113.013, 35.002, 113.015, 35.004) })
  await f.parcel({ regionId: region.id, externalId: 'P-GAP', geometry: box(113.024, 35.0085, 113.026, 35.0095) })
  await f.rematchAll(region.id)
  await insertFlag(t.database.db, {
    category: 'dumping',
    description: 'rubbish by the road',
    geojson: JSON.stringify({ type: 'Point', coordinates: [113.005, 35.005] }),
    reportedBy: null,
    at: new Date('2026-02-01T00:00:00Z'),
    routing: {
      cell_id: a.id,
      accountable_cell_id: a.id,
      township_cell_id: a.id,
      missing_level: null,
      gap_parent_cell_id: null,
      routing_rule: 'direct',
      routed_on: '2026-02-01',
      unowned: false,
    },
  })
})
afterAll(async () => t.close())

const url = (layer: string, z: number, x: number, y: number, q = `at=${AT}`) =>
  `/tiles/${layer}/${z}/${x}/${y}.pbf${q ? `?${q}` : ''}`
const get = (u: string, headers: Record<string, string> = viewer) => t.app.inject({ method: 'GET', url: u, headers })
// at zoom 13 this tile holds the whole region; at 14 the east part of R1001 and everything east of it
const centre = (z: number) => tileOf(113.015, 35.005, z)

async function features(layer: string, z: number, q?: string): Promise<DecodedFeature[]> {
  const { x, y } = centre(z)
  const res = await get(url(layer, z, x, y, q))
  expect(res.statusCode, res.body).toBe(200)
  expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile')
  const decoded = decodeTile(res.rawPayload)
  const base = layer.replace(/-\d+$/, '')
  expect(Object.keys(decoded)).toEqual([base])
  return decoded[base]!
}

describe('GET /tiles/:layer/:z/:x/:y.pbf', () => {
  it('cells: code, name, level and staffing as of the date; cells-N and ?level= filter by level', async () => {
    const all = await features('cells', 14)
    const byCode = Object.fromEntries(all.map((f) => [f.properties.code, f.properties]))
    expect(Object.keys(byCode).sort()).toEqual(['R1', 'R1001', 'R1002', 'R1003'])
    expect(byCode.R1001).toEqual({ code: 'R1001', name: '东村', level: 2, staffing: 'staffed' })
    expect(byCode.R1002!.staffing).toBe('vacant')
    expect(all.every((f) => f.type === 3)).toBe(true)
    expect((await features('cells-2', 14)).map((f) => f.properties.code).sort()).toEqual(['R1001', 'R1002', 'R1003'])
    expect((await features('cells', 14, `level=1&at=${AT}`)).map((f) => f.properties.code)).toEqual(['R1'])
    // before anyone's duty started (factories start duties on 2020-01-01) every cell is vacant
    expect((await features('cells', 14, 'at=2019-06-01')).every((f) => f.properties.staffing === 'vacant')).toBe(true)
  })

  it('parcels: externalId, landUse and status (matched, straddling, inherited, unowned) from zoom 13', async () => {
    const parcels = await features('parcels', 13)
    const status = Object.fromEntries(parcels.map((f) => [f.properties.externalId, f.properties.status]))
    expect(status).toEqual({ 'P-IN': 'matched', 'P-STRAD': 'straddling', 'P-VAC': 'inherited', 'P-GAP': 'unowned' })
    expect(parcels[0]!.properties.landUse).toBe('farmland')
    const { x, y } = centre(12)
    expect((await get(url('parcels', 12, x, y))).statusCode).toBe(204)
  })

  it('gaps and overlaps: the coverage defects, with their parent and cells', async () => {
    const gaps = await features('gaps', 14)
    expect(gaps.map((g) => g.properties)).toEqual([
      expect.objectContaining({ parentCode: 'R1', missingLevel: 2, allowed: false }),
    ])
    const overlaps = await features('overlaps', 14)
    expect(overlaps.map((o) => o.properties)).toEqual([
      expect.objectContaining({ parentCode: 'R1', level: 2, cellCodes: 'R1002,R1003' }),
    ])
    expect(overlaps[0]!.properties.areaM2 as number).toBeGreaterThan(30_000)
  })

  it('flags: state and category at the flag point', async () => {
    const flags = await features('flags', 13)
    expect(flags).toHaveLength(1)
    expect(flags[0]).toMatchObject({ type: 1, properties: { state: 'reported', category: 'dumping' } })
  })

  it('gives 204 for a tile with no features', async () => {
    const { x, y } = tileOf(100, 30, 14)
    const res = await get(url('cells', 14, x, y))
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
  })

  it('answers If-None-Match with 304, and serves a repeated tile from the cache', async () => {
    const { x, y } = centre(15)
    const first = await get(url('cells', 15, x, y))
    expect(first.statusCode).toBe(200)
    expect(first.headers['cache-control']).toBe('private, no-cache')
    const etag = first.headers.etag as string
    expect(etag).toMatch(/^".+"$/)
    const again = await get(url('cells', 15, x, y))
    expect(again.headers['x-tile-cache']).toBe('hit')
    expect(again.headers.etag).toBe(etag)
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true)
    const notModified = await get(url('cells', 15, x, y), { ...viewer, 'if-none-match': etag })
    expect(notModified.statusCode).toBe(304)
    expect(notModified.body).toBe('')
    expect((await get(url('cells', 15, x, y), { ...viewer, 'if-none-match': '"other"' })).statusCode).toBe(200)
  })

  it('a boundary edit invalidates the cached tile: the next request shows the new boundary', async () => {
    const { x, y } = centre(14)
    const before = await get(url('cells-2', 14, x, y))
    expect((await get(url('cells-2', 14, x, y))).headers['x-tile-cache']).toBe('hit')
    const r1003 = (f: Buffer) => decodeTile(f).cells!.find((c) => c.properties.code === 'R1003')!
    // R1003 gives up the overlap strip and grows north to close the gap
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/edits',
      headers: admin,
      payload: {
        operation: 'reshape',
        cellCode: 'R1003',
        version: 1,
        geometry: box(113.02, 35, 113.03, 35.01),
        reason: 'survey',
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    const after = await get(url('cells-2', 14, x, y))
    expect(after.headers['x-tile-cache']).toBe('miss')
    expect(after.headers.etag).not.toBe(before.headers.etag)
    const minX = (f: DecodedFeature) => Math.min(...f.rings.flat().map((p) => p[0]))
    const minY = (f: DecodedFeature) => Math.min(...f.rings.flat().map((p) => p[1]))
    expect(minX(r1003(after.rawPayload))).toBeGreaterThan(minX(r1003(before.rawPayload)))
    expect(minY(r1003(after.rawPayload))).toBeLessThan(minY(r1003(before.rawPayload)))
    // the coverage layers follow: no gap and no overlap left
    const { x: gx, y: gy } = centre(14)
    expect((await get(url('gaps', 14, gx, gy))).statusCode).toBe(204)
    expect((await get(url('overlaps', 14, gx, gy))).statusCode).toBe(204)
  })

  it('rejects a bad address with 400 naming the parameter, and an unknown layer with 404', async () => {
    const cases: [string, string][] = [
      ['/tiles/cells/abc/1/1.pbf', 'z'],
      ['/tiles/cells/23/0/0.pbf', 'z'],
      ['/tiles/cells/2/4/0.pbf', 'x'],
      ['/tiles/cells/2/0/-1.pbf', 'y'],
      ['/tiles/cells/2/0/1.5.pbf', 'y'],
      ['/tiles/cells/2/0/0.pbf?level=x', 'level'],
      ['/tiles/cells-2/2/0/0.pbf?level=3', 'level'],
      ['/tiles/parcels/2/0/0.pbf?level=3', 'level'],
    ]
    for (const [u, parameter] of cases) {
      const res = await get(u)
      expect(res.statusCode, u).toBe(400)
      expect(res.json().error.message, u).toContain(`"${parameter}"`)
    }
    for (const u of ['/tiles/roads/1/0/0.pbf', '/tiles/parcels-2/1/0/0.pbf', '/tiles/cells-x/1/0/0.pbf']) {
      const res = await get(u)
      expect(res.statusCode, u).toBe(404)
      expect(res.json().error.code).toBe('not_found')
    }
    expect((await get('/tiles/cells/1/0/0.pbf?at=2026-02-30')).statusCode).toBe(400)
  })

  it('needs a signed-in user unless the public map is on', async () => {
    const { x, y } = centre(14)
    const res = await t.app.inject({ method: 'GET', url: url('cells', 14, x, y) })
    expect(res.statusCode).toBe(401)
  })
})

describe('tile encoders', () => {
  // The same tiles through ST_AsMVT and through the Node encoder. On the embedded database only the
  // Node path exists; the comparison runs against a PostgreSQL server (DATABASE_URL).
  const specs = (): TileSpec[] => {
    const list: TileSpec[] = []
    for (const z of [10, 12, 14, 15, 16, 17]) {
      const { x, y } = centre(z)
      for (const layer of ['cells', 'parcels', 'gaps', 'overlaps', 'flags'] as const) {
        list.push(parseTileSpec({ layer, z: String(z), x: String(x), y: String(y), at: AT }))
      }
      list.push(parseTileSpec({ layer: 'cells-2', z: String(z), x: String(x), y: String(y), at: AT }))
      // a neighbouring tile that holds only part of the region (clipped shapes)
      list.push(
        parseTileSpec({
          layer: 'cells',
          z: String(z),
          x: String(tileOf(113.0, 35.0, z).x),
          y: String(tileOf(113.0, 35.0, z).y),
          at: AT,
        }),
      )
    }
    return list
  }

  it.skipIf(!process.env.DATABASE_URL)(
    'ST_AsMVT and the Node encoder give the same features, properties and geometry (within a tile unit)',
    async () => {
      const service = createTileService(t.database.db, { encoder: 'mvt', sliverM2: 1 })
      let compared = 0
      for (const spec of specs()) {
        const [mvt, node] = await Promise.all([service.render(spec, 'mvt'), service.render(spec, 'node')])
        const a = decodeTile(mvt)
        const b = decodeTile(node)
        const where = `${spec.layer} ${spec.address.z}/${spec.address.x}/${spec.address.y}`
        expect(tileDifferences(a, b), where).toEqual([])
        if (mvt.length > 0) compared++
      }
      expect(compared).toBeGreaterThan(20)
    },
  )

  it('the Node encoder draws each shape where it is (a cell box lands on the expected tile units)', async () => {
    const service = createTileService(t.database.db, { encoder: 'node', sliverM2: 1 })
    const spec = parseTileSpec({ layer: 'cells-2', z: '12', x: String(centre(12).x), y: String(centre(12).y), at: AT })
    const cells = decodeTile(await service.render(spec, 'node')).cells!
    const r1001 = cells.find((c) => c.properties.code === 'R1001')!
    // expected from the Web-Mercator formula for the box corners
    const n = 2 ** 12
    const px = (lon: number) => (((lon + 180) / 360) * n - spec.address.x) * 4096
    const py = (lat: number) => {
      const r = (lat * Math.PI) / 180
      return (((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n - spec.address.y) * 4096
    }
    const xs = r1001.rings.flat().map((p) => p[0])
    const ys = r1001.rings.flat().map((p) => p[1])
    expect(Math.abs(Math.min(...xs) - px(113))).toBeLessThanOrEqual(1)
    expect(Math.abs(Math.max(...xs) - px(113.01))).toBeLessThanOrEqual(1)
    expect(Math.abs(Math.min(...ys) - py(35.01))).toBeLessThanOrEqual(1)
    expect(Math.abs(Math.max(...ys) - py(35))).toBeLessThanOrEqual(1)
  })
})

describe('tile cache', () => {
  it('keeps tiles within its byte budget, evicting the least recently used first', async () => {
    const spec = (layer: string, z: number) => {
      const { x, y } = centre(z)
      return parseTileSpec({ layer, z: String(z), x: String(x), y: String(y), at: AT })
    }
    const probe = createTileService(t.database.db, { encoder: 'node', sliverM2: 1 })
    const sized = await Promise.all(
      [spec('cells', 14), spec('cells-2', 13), spec('parcels', 14)].map(async (s) => ({
        spec: s,
        bytes: (await probe.render(s)).length,
      })),
    )
    // largest first: B holds the most, C the least, so after B goes, A and C fit where A and B did
    const [b, a, c] = sized.sort((p, q) => q.bytes - p.bytes)
    // a cache key (layer, level, address, date, scope) is under 75 bytes: A and B fit in the budget with
    // their keys, adding C does not
    expect(c!.bytes).toBeGreaterThan(150)
    const service = createTileService(t.database.db, {
      encoder: 'node',
      sliverM2: 1,
      cacheBytes: a!.bytes + b!.bytes + 150,
    })
    const cached = async (s: TileSpec) => (await service.tile(s)).cached
    expect(await cached(a!.spec)).toBe(false)
    expect(await cached(b!.spec)).toBe(false)
    expect(await cached(a!.spec)).toBe(true) // A is now the most recently used
    expect(await cached(c!.spec)).toBe(false) // over budget: B, the least recently used, goes
    expect(service.cacheSize()).toBe(2)
    expect(await cached(a!.spec)).toBe(true)
    expect(await cached(c!.spec)).toBe(true)
    expect(await cached(b!.spec)).toBe(false)
  })
})
