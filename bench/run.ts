// npm run bench [-- --quick] [--no-embedded] [--no-peer]
//
// For each operation: the service's own code path and, in the same run, the raw-SQL floor (one
// hand-written statement through `pg`), with the ratio. Starts a private PostgreSQL 15 cluster unless
// DATABASE_URL is given; generates data with fixtures/generate.ts; writes bench/results.json and the
// table in bench/README.md. Not part of `npm test` (tests never assert wall-clock times).
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync, chownSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'
import { sql, type Kysely } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../server/src/app.js'
import { loadConfig } from '../server/src/config.js'
import {
  detectCapabilities,
  openEmbedded,
  openPGlite,
  openServer,
  postgisVersion,
  SERVER_SESSION_OPTIONS,
  type Database,
} from '../server/src/db/database.js'
import { migrate } from '../server/src/db/migrate.js'
import type { DB } from '../server/src/db/schema.js'
import { SYSTEM_ACTOR } from '../server/src/db/repositories/audit.repository.js'
import { rematch } from '../server/src/db/repositories/matching.repository.js'
import { readFeatureFile } from '../server/src/services/feature-source.js'
import { DEFAULT_PROPERTIES, importFeatures, type ImportKind } from '../server/src/services/import.service.js'
import { coverageReport } from '../server/src/services/coverage.service.js'
import { runEdit } from '../server/src/services/boundary-edit.service.js'
import { bump } from '../server/src/services/data-version.js'
import { createTileService, parseTileSpec, type TileSpec } from '../server/src/services/tiles.service.js'
import { createUser } from '../server/src/services/auth.service.js'
import { decodeTile, tileDifferences, tileOf } from '../test/routes/tiles.helpers.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = new Set(process.argv.slice(2))
const QUICK = args.has('--quick')
const SIZES = QUICK
  ? { cells: 2000, big: 100_000, small: 20_000, embedded: 20_000, seconds: 5 }
  : { cells: 10_000, big: 1_000_000, small: 100_000, embedded: 100_000, seconds: 10 }
const TOLERANCE = 10
const AT = new Date().toISOString().slice(0, 10)
const started = performance.now()

// ---------------------------------------------------------------------------------------------------
type Row = {
  section: string
  operation: string
  size: string
  service: string
  floor: string
  ratio: string
  target: string
  met: string
  note?: string
}
const rows: Row[] = []
const results: Record<string, unknown> = {}
const log = (s: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`)
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n)} ms`
const secs = (n: number) => `${(n / 1000).toFixed(2)} s`
async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now()
  const v = await f()
  return [performance.now() - t0, v]
}
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}
function record(r: Row, data: Record<string, unknown>) {
  rows.push(r)
  results[`${r.section}: ${r.operation} (${r.size})`] = { ...r, ...data }
  log(
    `${r.section} | ${r.operation} (${r.size}): service ${r.service}, floor ${r.floor}, ratio ${r.ratio} — target ${r.target}: ${r.met}`,
  )
}

// ---------------------------------------------------------------------------------------------------
// A private PostgreSQL 15 cluster (like .ci/run), unless DATABASE_URL is given.
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

async function startCluster(): Promise<{ url: string; stop: () => void }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => {} }
  const bin = '/usr/lib/postgresql/15/bin'
  if (!existsSync(`${bin}/initdb`))
    throw new Error(
      'PostgreSQL 15 is not installed (apt-get install -y postgresql-15 postgresql-15-postgis-3), or set DATABASE_URL',
    )
  const dir = mkdtempSync('/tmp/everyinch-bench-pg.')
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
  chownSync(dir, uid, uid)
  const port = await freePort()
  const su = (cmd: string) => execFileSync('su', ['postgres', '-c', cmd], { stdio: 'pipe' })
  su(`${bin}/initdb -D '${dir}/data' -A trust -U postgres >/dev/null`)
  const opts = [
    `-p ${port}`,
    `-k '${dir}'`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
    '-c jit=off',
    '-c shared_buffers=1GB',
    '-c work_mem=64MB',
    '-c maintenance_work_mem=512MB',
    '-c max_wal_size=8GB',
    '-c checkpoint_timeout=30min',
  ].join(' ')
  su(`${bin}/pg_ctl -D '${dir}/data' -o "${opts}" -l '${dir}/log' -w start >/dev/null`)
  log(`private PostgreSQL 15 cluster on port ${port} (${dir}; fsync=off)`)
  const stop = () => {
    try {
      su(`${bin}/pg_ctl -D '${dir}/data' -m immediate stop >/dev/null`)
    } catch {
      /* already stopped */
    }
  }
  process.on('exit', stop)
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop }
}

const dbUrl = (url: string, name: string) => {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

async function freshServerDb(url: string, name: string): Promise<Database> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const database = openServer(dbUrl(url, name), 20)
  await migrate(database)
  return database
}

// ---------------------------------------------------------------------------------------------------
function dataset(cells: number, parcels: number): string {
  const dir = path.join(ROOT, 'fixtures/generated', `${cells}-${parcels}-1`)
  if (!existsSync(path.join(dir, 'expected.json'))) {
    log(`generating ${cells} cells, ${parcels} parcels …`)
    execFileSync(
      'npx',
      ['tsx', 'fixtures/generate.ts', '--cells', String(cells), '--parcels', String(parcels), '--seed', '1'],
      { cwd: ROOT, stdio: 'inherit' },
    )
  }
  return dir
}

async function importFile(db: Kysely<DB>, kind: ImportKind, file: string) {
  const report = await importFeatures(db, readFeatureFile(file), {
    kind,
    invalid: 'reject',
    properties: DEFAULT_PROPERTIES,
    batchSize: 1000,
    matchToleranceM2: TOLERANCE,
    actor: SYSTEM_ACTOR,
    source: file,
  })
  if (!report.committed) throw new Error(`import of ${file} failed: ${JSON.stringify(report.rejected.slice(0, 3))}`)
  return report
}

/** People: a chief and a member for every cell, except every 20th village (vacant). */
async function staff(db: Kysely<DB>) {
  await sql`
    WITH c AS (SELECT id, level, row_number() OVER (ORDER BY id) AS n FROM grid_cells),
    ins AS (INSERT INTO people (name, phone) SELECT 'P' || c.id || '-' || r, '139' || lpad((c.id * 2 + r)::text, 8, '0')
            FROM c, generate_series(0, 1) r WHERE NOT (c.level = 3 AND c.n % 20 = 0) RETURNING id, name)
    INSERT INTO responsibilities (person_id, cell_id, role, starts_on)
    SELECT ins.id, split_part(substr(ins.name, 2), '-', 1)::int, CASE WHEN split_part(ins.name, '-', 2) = '0' THEN 'grid_chief' ELSE 'grid_member' END, '2020-01-01'
    FROM ins`.execute(db)
  await sql`ANALYZE`.execute(db)
}

// ---------------------------------------------------------------------------------------------------
// Floors: one hand-written statement each.
const FLOOR_REMATCH = `
  CREATE TABLE bench_floor_match AS
  SELECT DISTINCT ON (p.id) p.id AS parcel_id, c.id AS cell_id, ST_Area(ST_Intersection(p.boundary, c.boundary)::geography) AS area_m2
  FROM parcels p JOIN grid_cells c ON ST_Intersects(p.boundary, c.boundary)
  WHERE c.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL)
  ORDER BY p.id, area_m2 DESC`

const FLOOR_INCREMENTAL = `
  SELECT DISTINCT ON (p.id) p.id AS parcel_id, c.id AS cell_id, ST_Area(ST_Intersection(p.boundary, c.boundary)::geography) AS area_m2
  FROM parcels p JOIN grid_cells c ON ST_Intersects(p.boundary, c.boundary)
  WHERE ST_Intersects(p.boundary, (SELECT boundary FROM grid_cells WHERE code = $1))
    AND c.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL)
  ORDER BY p.id, area_m2 DESC`

const FLOOR_COVERAGE = `
  WITH parents AS (SELECT p.id, p.boundary FROM grid_cells p WHERE EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = p.id)),
  gaps AS (SELECT p.id, ST_Difference(p.boundary, ST_Union(k.boundary)) AS g FROM parents p JOIN grid_cells k ON k.parent_id = p.id GROUP BY p.id, p.boundary),
  ovl AS (SELECT a.id, b.id AS b, ST_Intersection(a.boundary, b.boundary) AS g FROM grid_cells a JOIN grid_cells b
               ON a.parent_id = b.parent_id AND a.id < b.id AND ST_Relate(a.boundary, b.boundary, '2********'))
  SELECT (SELECT count(*) FROM gaps WHERE NOT ST_IsEmpty(g)) AS gaps, (SELECT count(*) FROM ovl) AS overlaps`

const FLOOR_POINT = `
  SELECT c.code, c.level, pe.name, r.role
  FROM grid_cells c
  LEFT JOIN responsibilities r ON r.cell_id = c.id AND r.starts_on <= $3::date AND (r.ends_on IS NULL OR r.ends_on >= $3::date)
  LEFT JOIN people pe ON pe.id = r.person_id
  WHERE c.retired_at IS NULL AND ST_Intersects(c.boundary, ST_SetSRID(ST_MakePoint($1, $2), 4326))
  ORDER BY c.level DESC`

// ---------------------------------------------------------------------------------------------------
async function benchImport(url: string, dir: string, parcels: number) {
  const name = 'everyinch_bench_import'
  const database = await freshServerDb(url, name)
  await importFile(database.db, 'regions', path.join(dir, 'region.geojson'))
  const [cellsMs] = await time(() => importFile(database.db, 'cells', path.join(dir, 'cells.geojsonl')))
  await database.close()
  log(`cells imported in ${secs(cellsMs)}; importing ${parcels} parcels through the CLI (/usr/bin/time -v) …`)
  // the service's path: the CLI, in its own process so its peak RSS is measured alone
  const file = path.join(dir, 'parcels.geojsonl')
  const t0 = performance.now()
  const run = spawnSync(
    '/usr/bin/time',
    ['-v', process.execPath, '--import', 'tsx', 'server/src/cli/index.ts', 'import', 'parcels', file],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: dbUrl(url, name) },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  const wall = performance.now() - t0
  if (run.status !== 0) throw new Error(`import failed: ${run.stdout.slice(-2000)} ${run.stderr.slice(-2000)}`)
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1] ?? NaN)
  const rematchLine = run.stdout.trim().split('\n').at(-1)
  // the floor: COPY the raw lines, then one INSERT … SELECT into a copy of the parcels table
  const client = new pg.Client({ connectionString: dbUrl(url, name), options: SERVER_SESSION_OPTIONS })
  await client.connect()
  await client.query('CREATE TABLE bench_floor_parcels (LIKE parcels INCLUDING ALL)')
  await client.query('CREATE UNLOGGED TABLE bench_floor_lines (line text)')
  const { from } = await import('pg-copy-streams')
  const { createReadStream } = await import('node:fs')
  const { pipeline } = await import('node:stream/promises')
  const f0 = performance.now()
  await pipeline(
    createReadStream(file),
    client.query(from("COPY bench_floor_lines FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')")),
  )
  await client.query(`INSERT INTO bench_floor_parcels (region_id, external_id, land_use, owner_name, boundary)
    SELECT 1, j->'properties'->>'externalId', j->'properties'->>'landUse', j->'properties'->>'ownerName', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(j->'geometry'), 4326))
    FROM (SELECT line::json AS j FROM bench_floor_lines) t`)
  const floorMs = performance.now() - f0
  await client.end()
  const rate = parcels / (wall / 1000)
  const floorRate = parcels / (floorMs / 1000)
  record(
    {
      section: 'server',
      operation: 'import parcels (features/s)',
      size: `${parcels.toLocaleString('en')}`,
      service: `${Math.round(rate).toLocaleString('en')}/s (${secs(wall)}, incl. rematch)`,
      floor: `${Math.round(floorRate).toLocaleString('en')}/s (${secs(floorMs)})`,
      ratio: `${(wall / floorMs).toFixed(2)}×`,
      target: 'RSS < 1 GB',
      met:
        rssKb < 1024 * 1024
          ? `yes: peak RSS ${Math.round(rssKb / 1024)} MB`
          : `NO: peak RSS ${Math.round(rssKb / 1024)} MB`,
    },
    {
      wallMs: wall,
      floorMs,
      peakRssKb: rssKb,
      cliSummary: rematchLine,
      note: 'floor = COPY of the raw lines + one INSERT…SELECT (no validation, no matching)',
    },
  )
  return name
}

async function benchRematch(url: string, name: string, _parcels: number) {
  const database = openServer(dbUrl(url, name), 4)
  const db = database.db
  await sql`ANALYZE`.execute(db)
  // warm the caches for both
  await sql`SELECT count(*) FROM parcels WHERE boundary IS NOT NULL`.execute(db)
  const client = new pg.Client({ connectionString: dbUrl(url, name), options: SERVER_SESSION_OPTIONS })
  await client.connect()
  const [floorMs] = await time(() => client.query(FLOOR_REMATCH))
  await client.query('DROP TABLE bench_floor_match')
  const region = (await sql<{ id: number }>`SELECT id FROM regions LIMIT 1`.execute(db)).rows[0]!.id
  const [serviceMs, n] = await time(() => rematch(db, { kind: 'region', regionId: region }, TOLERANCE))
  const ratio = serviceMs / floorMs
  record(
    {
      section: 'server',
      operation: 'full rematch',
      size: `${n.toLocaleString('en')} parcels`,
      service: secs(serviceMs),
      floor: secs(floorMs),
      ratio: `${ratio.toFixed(2)}×`,
      target: '≤ 1.5× floor',
      met: ratio <= 1.5 ? 'yes' : 'NO',
    },
    { serviceMs, floorMs, parcels: n, floorSql: FLOOR_REMATCH.trim() },
  )
  await client.end()
  await database.close()
}

/** A reshape of one village (same shape, one more vertex): the whole edit path, and its rematch. */
async function benchIncremental(url: string, name: string, parcels: number) {
  const database = openServer(dbUrl(url, name), 4)
  const db = database.db
  const client = new pg.Client({ connectionString: dbUrl(url, name), options: SERVER_SESSION_OPTIONS })
  await client.connect()
  const cells = (
    await sql<{ code: string; version: number; g: string }>`
    SELECT code, version, ST_AsGeoJSON(boundary, 9) AS g FROM grid_cells WHERE level = 3 ORDER BY code OFFSET 100 LIMIT 5`.execute(
      db,
    )
  ).rows
  const edits: number[] = []
  const rematches: number[] = []
  const floors: number[] = []
  for (const c of cells) {
    const geometry = JSON.parse(c.g) as { type: string; coordinates: number[][][][] }
    const ring = geometry.coordinates[0]![0]!
    const [a, b] = [ring[0]!, ring[1]!]
    ring.splice(1, 0, [(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2])
    const [editMs] = await time(() =>
      runEdit(
        {
          db,
          now: () => new Date(),
          sliverM2: 1,
          matchToleranceM2: TOLERANCE,
          timeZone: loadConfig({}).serviceTimeZone,
        },
        SYSTEM_ACTOR,
        { operation: 'reshape', cellCode: c.code, version: c.version, geometry, reason: 'bench' } as never,
        'apply',
      ),
    )
    edits.push(editMs)
    const [rmMs] = await time(() => rematch(db, { kind: 'area', geojson: c.g }, TOLERANCE))
    rematches.push(rmMs)
    const [fMs] = await time(() => client.query(FLOOR_INCREMENTAL, [c.code]))
    floors.push(fMs)
  }
  const med = (xs: number[]) => pct(xs, 50)
  record(
    {
      section: 'server',
      operation: 'incremental rematch after one cell edit',
      size: `${parcels.toLocaleString('en')} parcels`,
      service: `${ms(med(rematches))} (whole edit ${ms(med(edits))})`,
      floor: ms(med(floors)),
      ratio: `${(med(rematches) / med(floors)).toFixed(2)}×`,
      target: '< 1 s, independent of parcel count',
      met: med(edits) < 1000 ? 'yes' : 'NO',
    },
    { editMs: edits, rematchMs: rematches, floorMs: floors },
  )
  await client.end()
  await database.close()
}

async function benchCoverage(url: string, name: string, label: string) {
  const database = openServer(dbUrl(url, name), 8)
  const client = new pg.Client({ connectionString: dbUrl(url, name), options: SERVER_SESSION_OPTIONS })
  await client.connect()
  const region = (await sql<{ id: number }>`SELECT id FROM regions LIMIT 1`.execute(database.db)).rows[0]!.id
  const [floorMs] = await time(() => client.query(FLOOR_COVERAGE))
  const [serviceMs, report] = await time(() =>
    coverageReport(
      database.db,
      { kind: 'region', regionId: region },
      { at: AT, sliverM2: 1, minGapM2: 0, expiringSoonDays: 30, parcelLimit: 500 },
    ),
  )
  const ratio = serviceMs / floorMs
  record(
    {
      section: label,
      operation: 'coverage analysis of the region',
      size: `${(await client.query('SELECT count(*)::int AS n FROM grid_cells')).rows[0].n.toLocaleString('en')} cells`,
      service: secs(serviceMs),
      floor: secs(floorMs),
      ratio: `${ratio.toFixed(2)}×`,
      target: '≤ 2× floor',
      met: ratio <= 2 ? 'yes' : 'NO',
    },
    {
      serviceMs,
      floorMs,
      gaps: report.summary.gaps,
      overlaps: report.summary.overlaps,
      note: 'service = the whole report (gaps, overlaps, spills, staffing, parcel issues, per-child summaries)',
    },
  )
  await client.end()
  await database.close()
}

function randomPoints(bbox: number[], n: number): [number, number][] {
  let s = 12345
  const r = () => (s = (s * 48271) % 2147483647) / 2147483647
  return Array.from(
    { length: n },
    () => [bbox[0]! + r() * (bbox[2]! - bbox[0]!), bbox[1]! + r() * (bbox[3]! - bbox[1]!)] as [number, number],
  )
}

async function startApp(
  database: Database,
  env: Record<string, string> = {},
): Promise<{ app: FastifyInstance; base: string; token: string }> {
  const config = loadConfig({ WEB_DIST: '/nonexistent', LOG_LEVEL: 'error', SIGNIN_RATE_PER_MINUTE: '100000', ...env })
  const app = await buildApp({ config, database, capabilities: await detectCapabilities(database.db) })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const login = `bench${Date.now()}`
  await createUser(database.db, SYSTEM_ACTOR, {
    login,
    displayName: 'bench',
    role: 'viewer',
    personId: null,
    password: 'benchmark password',
  })
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: 'benchmark password' }),
  })
  const token = ((await res.json()) as { token: string }).token
  return { app, base, token }
}

async function cannon(base: string, token: string, paths: string[], connections: number, seconds: number) {
  let i = 0
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ setupRequest: ((req: { path?: string }) => ({ ...req, path: paths[i++ % paths.length] })) as never }],
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

/** The bare SQL lookup through a pg pool at the same concurrency, for the same time. */
async function sqlLoad(
  run: (lon: number, lat: number) => Promise<unknown>,
  points: [number, number][],
  connections: number,
  seconds: number,
) {
  const latencies: number[] = []
  const end = performance.now() + seconds * 1000
  let i = 0
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const p = points[i++ % points.length]!
        const t0 = performance.now()
        await run(p[0], p[1])
        latencies.push(performance.now() - t0)
      }
    }),
  )
  return { rps: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) }
}

async function benchPoints(
  label: string,
  database: Database,
  floorQuery: (text: string, values: unknown[]) => Promise<unknown>,
  connections: number,
) {
  const bbox = (
    await sql<{
      b: number[]
    }>`SELECT ARRAY[ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary)]::float8[] AS b FROM regions LIMIT 1`.execute(
      database.db,
    )
  ).rows[0]!.b
  const points = randomPoints(bbox, 500)
  const { app, base, token } = await startApp(database)
  const paths = points.map(([lon, lat]) => `/api/accountability?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&at=${AT}`)
  await cannon(base, token, paths, connections, 2) // warm-up
  const http = await cannon(base, token, paths, connections, SIZES.seconds)
  await app.close()
  const floor = await sqlLoad((lon, lat) => floorQuery(FLOOR_POINT, [lon, lat, AT]), points, connections, SIZES.seconds)
  const ratio = http.rps / floor.rps
  record(
    {
      section: label,
      operation: `point accountability lookups, ${connections} connections`,
      size: 'HTTP vs SQL',
      service: `${Math.round(http.rps)} req/s, p50 ${http.p50} ms, p99 ${http.p99} ms`,
      floor: `${Math.round(floor.rps)} q/s, p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)}`,
      ratio: `${(ratio * 100).toFixed(0)}%`,
      target: '≥ 70% of SQL throughput',
      met: ratio >= 0.7 ? 'yes' : 'NO',
    },
    { http, floor },
  )
}

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

async function benchTiles(
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

function floorTileSql(layer: string) {
  const table = layer === 'parcels' ? 'parcels' : 'grid_cells'
  return `SELECT ST_AsMVT(t, '${layer}', 4096, 'geom') FROM (
    SELECT id, ST_AsMVTGeom(ST_Transform(boundary, 3857), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
    FROM ${table} WHERE boundary && ST_Transform(ST_TileEnvelope($1, $2, $3), 4326)) t WHERE geom IS NOT NULL`
}

async function compareEncoders(database: Database, list: { z: number; layer: string; x: number; y: number }[]) {
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

// ---------------------------------------------------------------------------------------------------
async function benchEmbedded(dir: string, parcels: number) {
  log(`embedded PGlite: importing ${parcels} parcels …`)
  const pglite = await openPGlite({})
  const database = await openEmbedded(pglite)
  await migrate(database)
  await importFile(database.db, 'regions', path.join(dir, 'region.geojson'))
  await importFile(database.db, 'cells', path.join(dir, 'cells.geojsonl'))
  await staff(database.db)
  const [importMs] = await time(() => importFile(database.db, 'parcels', path.join(dir, 'parcels.geojsonl')))
  const rss = process.memoryUsage().rss
  // the floor for import on PGlite: one INSERT … SELECT from the parcels already there (parse + write), no validation or matching
  const [floorImportMs] = await time(() => pglite.query(`CREATE TABLE bench_copy AS SELECT * FROM parcels`))
  record(
    {
      section: 'embedded',
      operation: 'import parcels (features/s)',
      size: `${parcels.toLocaleString('en')}`,
      service: `${Math.round(parcels / (importMs / 1000)).toLocaleString('en')}/s (${secs(importMs)}, incl. rematch)`,
      floor: `${secs(floorImportMs)} (CREATE TABLE AS copy)`,
      ratio: `${(importMs / floorImportMs).toFixed(2)}×`,
      target: '–',
      met: `process RSS ${Math.round(rss / 1e6)} MB`,
    },
    { importMs, floorImportMs },
  )
  const region = (await sql<{ id: number }>`SELECT id FROM regions LIMIT 1`.execute(database.db)).rows[0]!.id
  const [floorMs] = await time(() => pglite.query(FLOOR_REMATCH))
  const [serviceMs, n] = await time(() => rematch(database.db, { kind: 'region', regionId: region }, TOLERANCE))
  record(
    {
      section: 'embedded',
      operation: 'full rematch',
      size: `${n.toLocaleString('en')} parcels`,
      service: secs(serviceMs),
      floor: secs(floorMs),
      ratio: `${(serviceMs / floorMs).toFixed(2)}×`,
      target: '≤ 1.5× floor',
      met: serviceMs / floorMs <= 1.5 ? 'yes' : 'NO',
    },
    { serviceMs, floorMs },
  )
  const cell = (
    await sql<{
      code: string
      version: number
      g: string
    }>`SELECT code, version, ST_AsGeoJSON(boundary, 9) AS g FROM grid_cells WHERE level = 3 ORDER BY code OFFSET 100 LIMIT 1`.execute(
      database.db,
    )
  ).rows[0]!
  const [editMs] = await time(() =>
    runEdit(
      {
        db: database.db,
        now: () => new Date(),
        sliverM2: 1,
        matchToleranceM2: TOLERANCE,
        timeZone: loadConfig({}).serviceTimeZone,
      },
      SYSTEM_ACTOR,
      {
        operation: 'reshape',
        cellCode: cell.code,
        version: cell.version,
        geometry: JSON.parse(cell.g),
        reason: 'bench',
      } as never,
      'apply',
    ),
  )
  const [rmMs] = await time(() => rematch(database.db, { kind: 'area', geojson: cell.g }, TOLERANCE))
  const [fMs] = await time(() => pglite.query(FLOOR_INCREMENTAL, [cell.code]))
  record(
    {
      section: 'embedded',
      operation: 'incremental rematch after one cell edit',
      size: `${parcels.toLocaleString('en')} parcels`,
      service: `${ms(rmMs)} (whole edit ${ms(editMs)})`,
      floor: ms(fMs),
      ratio: `${(rmMs / fMs).toFixed(2)}×`,
      target: '< 1 s',
      met: editMs < 1000 ? 'yes' : 'NO',
    },
    { editMs, rmMs, fMs },
  )
  const [covFloor] = await time(() => pglite.query(FLOOR_COVERAGE))
  const [covMs] = await time(() =>
    coverageReport(
      database.db,
      { kind: 'region', regionId: region },
      { at: AT, sliverM2: 1, minGapM2: 0, expiringSoonDays: 30, parcelLimit: 500 },
    ),
  )
  record(
    {
      section: 'embedded',
      operation: 'coverage analysis of the region',
      size: `${SIZES.cells.toLocaleString('en')} cells`,
      service: secs(covMs),
      floor: secs(covFloor),
      ratio: `${(covMs / covFloor).toFixed(2)}×`,
      target: '≤ 2× floor',
      met: covMs / covFloor <= 2 ? 'yes' : 'NO',
    },
    { covMs, covFloor },
  )
  await benchPoints('embedded', database, (text, values) => pglite.query(text, values), 4)
  await benchTiles('embedded', database, null, 'node')
  await database.close()
}

// ---------------------------------------------------------------------------------------------------
async function benchPeer(url: string, name: string, list: { z: number; layer: string; x: number; y: number }[]) {
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

// ---------------------------------------------------------------------------------------------------
async function machine(url: string) {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  const pgVersion = (await c.query('SHOW server_version')).rows[0].server_version
  await c.end()
  const probe = openServer(url, 1)
  await sql`CREATE EXTENSION IF NOT EXISTS postgis`.execute(probe.db)
  const postgis = await postgisVersion(probe.db)
  await probe.close()
  const pglite = await openPGlite({})
  await pglite.exec('CREATE EXTENSION IF NOT EXISTS postgis')
  const embedded = (await pglite.query<{ v: string; p: string }>('SELECT version() AS v, postgis_lib_version() AS p'))
    .rows[0]!
  await pglite.close()
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: pgVersion,
    postgis,
    embedded: `${embedded.v.split(' on ')[0]} + PostGIS ${embedded.p}`,
    load: os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' '),
  }
}

function markdown(m: Awaited<ReturnType<typeof machine>>) {
  const lines = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${QUICK ? ' (--quick: small sizes)' : ''} on ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}; PostgreSQL ${m.postgres} + PostGIS ${m.postgis} (private cluster, fsync=off); embedded ${m.embedded}. Load average at the end: ${m.load}.`,
    '',
    '| where | operation | size | service | raw-SQL floor | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.section} | ${r.operation} | ${r.size} | ${r.service} | ${r.floor} | ${r.ratio} | ${r.target} | ${r.met} |`,
    ),
  ]
  return lines.join('\n')
}

async function main() {
  const cluster = await startCluster()
  stopCluster = cluster.stop
  const m = await machine(cluster.url)
  results.machine = m
  log(`machine: ${JSON.stringify(m)}`)
  const big = dataset(SIZES.cells, SIZES.big)
  const small = dataset(SIZES.cells, SIZES.small)
  const embedded = dataset(SIZES.cells, SIZES.embedded)

  // the large set: import (CLI, RSS), full rematch, incremental, coverage, points, tiles
  const bigDb = await benchImport(cluster.url, big, SIZES.big)
  {
    const d = openServer(dbUrl(cluster.url, bigDb), 4)
    await staff(d.db)
    await d.close()
  }
  await benchRematch(cluster.url, bigDb, SIZES.big)
  await benchIncremental(cluster.url, bigDb, SIZES.big)
  // the small set: incremental rematch must not depend on the parcel count
  {
    log(`importing the ${SIZES.small}-parcel set …`)
    const d = await freshServerDb(cluster.url, 'everyinch_bench_small')
    for (const [kind, file] of [
      ['regions', 'region.geojson'],
      ['cells', 'cells.geojsonl'],
      ['parcels', 'parcels.geojsonl'],
    ] as const)
      await importFile(d.db, kind, path.join(small, file))
    await staff(d.db)
    await d.close()
    await benchIncremental(cluster.url, 'everyinch_bench_small', SIZES.small)
  }
  await benchCoverage(cluster.url, bigDb, 'server')
  {
    const d = openServer(dbUrl(cluster.url, bigDb), 10)
    const pool = new pg.Pool({ connectionString: dbUrl(cluster.url, bigDb), max: 10, options: SERVER_SESSION_OPTIONS })
    await benchPoints('server', d, (text, values) => pool.query(text, values), 16)
    const list = await benchTiles('server', d, (text, values) => pool.query(text, values), 'mvt')
    await benchTiles('server', d, null, 'node')
    await compareEncoders(d, list)
    await benchPeer(cluster.url, bigDb, list)
    await pool.end()
    await d.close()
  }
  if (!args.has('--no-embedded')) await benchEmbedded(embedded, SIZES.embedded)

  results.rows = rows
  results.seconds = (performance.now() - started) / 1000
  writeFileSync(path.join(ROOT, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n')
  const readme = path.join(ROOT, 'bench/README.md')
  const text = existsSync(readme)
    ? readFileSync(readme, 'utf8')
    : '# Benchmarks\n\n<!-- results -->\n<!-- /results -->\n'
  const table = `<!-- results -->\n${markdown(m)}\n<!-- /results -->`
  writeFileSync(
    readme,
    text.includes('<!-- results -->')
      ? text.replace(/<!-- results -->[\s\S]*<!-- \/results -->/, table)
      : `${text}\n${table}\n`,
  )
  log(
    `done in ${((performance.now() - started) / 1000 / 60).toFixed(1)} min; results in bench/results.json and bench/README.md`,
  )
  cluster.stop()
}

let stopCluster = () => {}
process.on('SIGINT', () => {
  stopCluster()
  process.exit(130)
})
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    stopCluster()
    process.exit(1)
  },
)

export type { Row }
