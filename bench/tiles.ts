// Tiles: cold renders against ST_AsMVT, cached tiles over HTTP, the two encoders compared, the MapServer peer.
import { existsSync } from 'node:fs'
import { sql } from 'kysely'
import type { Database } from '../server/src/db/database.js'
import { bump } from '../server/src/services/data-version.js'
import { createTileService, parseTileSpec, type TileSpec } from '../server/src/services/tiles.service.js'
import { decodeTile, tileDifferences, tileOf } from '../test/routes/tiles.helpers.js'
import { dbUrl } from './cluster.js'
import { floorTileSql } from './floors.js'
import { cannon, randomPoints, startApp } from './http.js'
import { log, ms, pct, record, results, time } from './report.js'
import { AT, SIZES } from './settings.js'

function tileList(bbox: number[]): { z: number; layer: string; x: number; y: number }[] {
  const list: { z: number; layer: string; x: number; y: number }[] = []
  for (const [z, layers] of [
    [10, ['cells']],
    [14, ['cells', 'parcels']],
    [16, ['cells', 'parcels']],
  ] as const) {
    const pts = randomPoints(bbox, 20)
    for (const [lon, lat] of pts) {
      const t = tileOf(lon, lat, z)
      for (const layer of layers) list.push({ z, layer, x: t.x, y: t.y })
    }
  }
  return list
}

export async function benchTiles(
  label: string,
  database: Database,
  floorQuery: ((text: string, values: unknown[]) => Promise<unknown>) | null,
  encoder: 'mvt' | 'node',
) {
  const bbox = (
    await sql<{
      b: number[]
    }>`SELECT ARRAY[ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary)]::float8[] AS b FROM regions LIMIT 1`.execute(
      database.db,
    )
  ).rows[0]!.b
  const list = tileList(bbox)
  const service = createTileService(database.db, { encoder, sliverM2: 1 })
  const out: Record<string, unknown> = {}
  for (const z of [10, 14, 16]) {
    const tiles = list.filter((t) => t.z === z)
    const cold: number[] = []
    const floor: number[] = []
    let bytes = 0
    for (const t of tiles) {
      const spec = parseTileSpec({ layer: t.layer, z: String(t.z), x: String(t.x), y: String(t.y), at: AT })
      bump()
      const [coldMs, r] = await time(() => service.tile(spec))
      cold.push(coldMs)
      bytes += r.body.length
      if (floorQuery) {
        const [fMs] = await time(() => floorQuery(floorTileSql(t.layer), [t.z, t.x, t.y]))
        floor.push(fMs)
      }
    }
    const coldP50 = pct(cold, 50)
    const floorP50 = floor.length ? pct(floor, 50) : NaN
    out[`z${z}`] = { cold, floor }
    record(
      {
        section: label,
        operation: `tile cold z${z} (${[...new Set(tiles.map((t) => t.layer))].join('+')}, ${encoder})`,
        size: `${tiles.length} tiles, avg ${Math.round(bytes / tiles.length / 1024)} KB`,
        service: `p50 ${ms(coldP50)}, p99 ${ms(pct(cold, 99))}`,
        floor: floor.length ? `p50 ${ms(floorP50)}, p99 ${ms(pct(floor, 99))}` : 'n/a (no ST_AsMVT)',
        ratio: floor.length ? `${(coldP50 / floorP50).toFixed(2)}×` : '–',
        target: '–',
        met: '–',
      },
      { cold, floor },
    )
  }
  // cached: every tile of the list over HTTP, served from the LRU
  const { app, base, token } = await startApp(database)
  const paths = list.map((t) => `/tiles/${t.layer}/${t.z}/${t.x}/${t.y}.pbf?at=${AT}`)
  await cannon(base, token, paths, 16, 2)
  const cached = await cannon(base, token, paths, 32, SIZES.seconds)
  await app.close()
  record(
    {
      section: label,
      operation: `tiles cached over HTTP (${encoder}), 32 connections`,
      size: `${list.length} tiles`,
      service: `${Math.round(cached.rps).toLocaleString('en')} tiles/s, p50 ${cached.p50} ms, p99 ${cached.p99} ms`,
      floor: '–',
      ratio: '–',
      target: '≥ 5,000 tiles/s',
      met: cached.rps >= 5000 ? 'yes' : 'NO',
    },
    { cached },
  )
  return list
}

export async function compareEncoders(database: Database, list: { z: number; layer: string; x: number; y: number }[]) {
  const service = createTileService(database.db, { encoder: 'mvt', sliverM2: 1 })
  let differing = 0
  let features = 0
  const examples: string[] = []
  for (const t of list) {
    const spec: TileSpec = parseTileSpec({ layer: t.layer, z: String(t.z), x: String(t.x), y: String(t.y), at: AT })
    const [a, b] = [decodeTile(await service.render(spec, 'mvt')), decodeTile(await service.render(spec, 'node'))]
    features += Object.values(a).reduce((s, f) => s + f.length, 0)
    const d = tileDifferences(a, b, 1.5)
    if (d.length) {
      differing++
      examples.push(`${t.layer} ${t.z}/${t.x}/${t.y}: ${d.slice(0, 2).join('; ')}`)
    }
  }
  results['tile encoders: ST_AsMVT vs Node'] = {
    tiles: list.length,
    features,
    differing,
    examples: examples.slice(0, 10),
  }
  log(
    `encoders compared on ${list.length} tiles (${features} features): ${differing} differ${examples.length ? ` — e.g. ${examples[0]}` : ''}`,
  )
}

export async function benchPeer(url: string, name: string, list: { z: number; layer: string; x: number; y: number }[]) {
  const mapserv = ['/usr/lib/cgi-bin/mapserv', '/usr/bin/mapserv'].find((p) => existsSync(p))
  const lighttpd = ['/usr/sbin/lighttpd'].find((p) => existsSync(p))
  if (!mapserv || !lighttpd) {
    const msg =
      'MapServer peer SKIPPED: cgi-mapserver and/or lighttpd are not installed (apt-get install -y cgi-mapserver lighttpd)'
    log(msg)
    results.peer = { skipped: msg }
    return
  }
  const { runPeer } = await import('./peer.js')
  results.peer = await runPeer({
    url: dbUrl(url, name),
    mapserv,
    lighttpd,
    list,
    seconds: SIZES.seconds,
    log,
    record,
    cannon,
  })
}
