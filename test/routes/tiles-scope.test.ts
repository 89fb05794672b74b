// Every tile layer reads under the scope of the API it mirrors: the flags layer as GET /api/flags.geojson
// (signed-in readers only; a supervisor sees only the flags of their own cells), and the tile cache and
// ETags are keyed by that scope so one requester's tile is never served to another.
//
//   R1 (level 1)   113.00 ──────── 113.01 ──────── 113.02
//            35.01 ┌──── R1001 ─────┬──── R1002 ────┐
//                  │  chief A       │  chief B      │
//                  │  flag FA •     │  • flag FB    │
//            35.00 └────────────────┴───────────────┘
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertFlag } from '../../server/src/features/flags/repository.js'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'
import { decodeTile, tileOf } from './tiles.helpers.js'

let t: TestApp
const who: Record<
  'viewer' | 'inspector' | 'admin' | 'supervisorA' | 'supervisorB',
  Record<string, string>
> = {} as never
const flag = { a: 0, b: 0 }

beforeAll(async () => {
  t = await testApp({ env: { PUBLIC_MAP: 'true' } })
  const f = factories(t.database.db)
  const region = await f.region('R1', box(113, 35, 113.02, 35.01))
  await f.cell({ regionId: region.id, code: 'R1', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  const a = await f.cell({
    regionId: region.id,
    code: 'R1001',
    level: 2,
    parentCode: 'R1',
    geometry: box(113, 35, 113.01, 35.01),
  })
  const b = await f.cell({
    regionId: region.id,
    code: 'R1002',
    level: 2,
    parentCode: 'R1',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  const staffA = await f.staff(a.id, ['Chief A', 'Member A'])
  const staffB = await f.staff(b.id, ['Chief B', 'Member B'])
  const routed = (cellId: number) => ({
    cell_id: cellId,
    accountable_cell_id: cellId,
    township_cell_id: cellId,
    missing_level: null,
    gap_parent_cell_id: null,
    routing_rule: 'direct' as const,
    routed_on: '2026-02-01',
    unowned: false,
  })
  const at = new Date('2026-02-01T00:00:00Z')
  const point = (lon: number, lat: number) => JSON.stringify({ type: 'Point', coordinates: [lon, lat] })
  flag.a = await insertFlag(t.database.db, {
    category: 'dumping',
    description: 'in A',
    geojson: point(113.005, 35.005),
    reportedBy: null,
    at,
    routing: routed(a.id),
  })
  flag.b = await insertFlag(t.database.db, {
    category: 'dust',
    description: 'in B',
    geojson: point(113.015, 35.005),
    reportedBy: null,
    at,
    routing: routed(b.id),
  })
  who.viewer = (await signedIn(t, 'viewer')).headers
  who.inspector = (await signedIn(t, 'inspector')).headers
  who.admin = (await signedIn(t, 'admin')).headers
  who.supervisorA = (await signedIn(t, 'supervisor', staffA.chief.id)).headers
  who.supervisorB = (await signedIn(t, 'supervisor', staffB.chief.id)).headers
})
afterAll(async () => t.close())

// at zoom 13 one tile holds the whole region
const { x, y } = tileOf(113.01, 35.005, 13)
const flagTile = `/tiles/flags/13/${x}/${y}.pbf`
const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers })

async function flagIdsInTile(headers: Record<string, string>): Promise<number[]> {
  const res = await get(flagTile, headers)
  if (res.statusCode === 204) return []
  expect(res.statusCode, res.body).toBe(200)
  return (decodeTile(res.rawPayload).flags ?? []).map((f) => f.id!).sort((p, q) => p - q)
}

describe('GET /tiles/flags/:z/:x/:y.pbf', () => {
  it('a supervisor gets only the flags of their own cells, as from /api/flags/:id and /api/flags.geojson', async () => {
    // the API's answers for supervisor A: their flag yes, the other cell's flag no
    expect((await get(`/api/flags/${flag.a}`, who.supervisorA)).statusCode).toBe(200)
    expect((await get(`/api/flags/${flag.b}`, who.supervisorA)).statusCode).toBe(403)
    const geojson = await get('/api/flags.geojson', who.supervisorA)
    expect((geojson.json().features as { id: number }[]).map((f) => f.id)).toEqual([flag.a])

    expect(await flagIdsInTile(who.supervisorA)).toEqual([flag.a])
    expect(await flagIdsInTile(who.supervisorB)).toEqual([flag.b])
  })

  it('county readers (viewer, inspector, admin) get every flag', async () => {
    const both = [flag.a, flag.b].sort((p, q) => p - q)
    for (const headers of [who.viewer, who.inspector, who.admin]) expect(await flagIdsInTile(headers)).toEqual(both)
  })

  it('keys the cache and the ETag by scope: a tile cached for one requester is never served to another', async () => {
    // the viewer's full tile is cached first; each supervisor then still gets their own
    const full = await get(flagTile, who.viewer)
    const again = await get(flagTile, who.viewer)
    expect(again.headers['x-tile-cache']).toBe('hit')
    expect(again.headers.vary).toMatch(/cookie/)
    const forA = await get(flagTile, who.supervisorA)
    expect(decodeTile(forA.rawPayload).flags!.map((f) => f.id)).toEqual([flag.a])
    const forB = await get(flagTile, who.supervisorB)
    expect(decodeTile(forB.rawPayload).flags!.map((f) => f.id)).toEqual([flag.b])
    const etags = new Set([full.headers.etag, forA.headers.etag, forB.headers.etag])
    expect(etags.size).toBe(3)
    // an ETag from the full tile does not earn a supervisor a 304 (which would keep the full tile on screen)
    const probe = await get(flagTile, { ...who.supervisorA, 'if-none-match': full.headers.etag as string })
    expect(probe.statusCode).toBe(200)
    expect(decodeTile(probe.rawPayload).flags!.map((f) => f.id)).toEqual([flag.a])
    // and their own ETag still does
    expect((await get(flagTile, { ...who.supervisorA, 'if-none-match': forA.headers.etag as string })).statusCode).toBe(
      304,
    )
  })

  it('an anonymous visitor of the public map gets 401, as from /api/flags and /api/flags.geojson', async () => {
    expect((await get('/api/flags')).statusCode).toBe(401)
    expect((await get('/api/flags.geojson')).statusCode).toBe(401)
    const res = await get(flagTile)
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('unauthorized')
    // after a signed-in user filled the cache with the tile
    expect((await get(flagTile, who.viewer)).statusCode).toBe(200)
    expect((await get(flagTile)).statusCode).toBe(401)
  })

  it('the other layers stay open to the public map, as their APIs are', async () => {
    expect((await get('/api/cells?region=R1')).statusCode).toBe(200)
    for (const layer of ['cells', 'gaps', 'overlaps'])
      expect([200, 204], layer).toContain((await get(`/tiles/${layer}/13/${x}/${y}.pbf`)).statusCode)
    expect((await get('/api/parcels?bbox=113,35,113.02,35.01')).statusCode).toBe(200)
    expect([200, 204]).toContain((await get(`/tiles/parcels/13/${x}/${y}.pbf`)).statusCode)
  })
})
