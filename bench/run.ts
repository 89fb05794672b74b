// npm run bench [-- --quick] [--no-embedded] [--no-peer]
//
// For each operation: the service's own code path and, in the same run, the raw-SQL floor (one
// hand-written statement through `pg`), with the ratio. Starts a private PostgreSQL 15 cluster unless
// DATABASE_URL is given; generates data with fixtures/generate.ts; writes bench/results.json and the
// table in bench/README.md. Not part of `npm test` (tests never assert wall-clock times). The parts: settings,
// cluster (database and machine), data, floors, server-ops, http, tiles, embedded, report.
import path from 'node:path'
import pg from 'pg'
import { openServer, SERVER_SESSION_OPTIONS } from '../server/src/db/database.js'
import { dbUrl, freshServerDb, machine, startCluster } from './cluster.js'
import { dataset, importFile, staff } from './data.js'
import { benchEmbedded } from './embedded.js'
import { benchPoints } from './http.js'
import { log, results, rows, writeReport } from './report.js'
import { benchCoverage, benchImport, benchIncremental, benchRematch } from './server-ops.js'
import { args, SIZES, started } from './settings.js'
import { benchPeer, benchTiles, compareEncoders } from './tiles.js'

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
  writeReport(m)
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
