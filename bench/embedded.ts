// The embedded database (PGlite): import, rematch, incremental edit, coverage, point lookups, tiles.
import path from 'node:path'
import { sql } from 'kysely'
import { loadConfig } from '../server/src/config.js'
import { openEmbedded, openPGlite } from '../server/src/db/database.js'
import { migrate } from '../server/src/db/migrate.js'
import { SYSTEM_ACTOR } from '../server/src/db/repositories/audit.repository.js'
import { rematch } from '../server/src/db/repositories/matching.repository.js'
import { runEdit } from '../server/src/services/boundary-edit.service.js'
import { coverageReport } from '../server/src/services/coverage.service.js'
import { importFile, staff } from './data.js'
import { FLOOR_COVERAGE, FLOOR_INCREMENTAL, FLOOR_REMATCH } from './floors.js'
import { benchPoints } from './http.js'
import { log, ms, record, secs, time } from './report.js'
import { AT, SIZES, TOLERANCE } from './settings.js'
import { benchTiles } from './tiles.js'

// ---------------------------------------------------------------------------------------------------
export async function benchEmbedded(dir: string, parcels: number) {
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
