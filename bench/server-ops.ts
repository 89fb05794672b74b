// Server measurements: parcel import (CLI, peak RSS), full and incremental rematch, coverage analysis.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { loadConfig } from '../server/src/config.js'
import { openServer, SERVER_SESSION_OPTIONS } from '../server/src/db/database.js'
import { SYSTEM_ACTOR } from '../server/src/db/repositories/audit.repository.js'
import { rematch } from '../server/src/db/repositories/matching.repository.js'
import { runEdit } from '../server/src/services/boundary-edit.service.js'
import { coverageReport } from '../server/src/services/coverage.service.js'
import { dbUrl, freshServerDb } from './cluster.js'
import { importFile } from './data.js'
import { FLOOR_COVERAGE, FLOOR_INCREMENTAL, FLOOR_REMATCH } from './floors.js'
import { log, ms, pct, record, secs, time } from './report.js'
import { AT, ROOT, TOLERANCE } from './settings.js'

// ---------------------------------------------------------------------------------------------------
export async function benchImport(url: string, dir: string, parcels: number) {
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

export async function benchRematch(url: string, name: string, _parcels: number) {
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
export async function benchIncremental(url: string, name: string, parcels: number) {
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

export async function benchCoverage(url: string, name: string, label: string) {
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
