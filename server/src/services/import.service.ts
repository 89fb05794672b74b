// Imports regions, grid cells and parcels from GeoJSON features, batched, in one transaction.
// All or nothing by default: every bad feature is listed (index, id, reason, location) and nothing is
// written. `invalid: 'skip'` imports the rest; `invalid: 'repair'` repairs invalid polygons with
// ST_MakeValid (polygonal parts kept) and lists each with its area before and after.
// Cells and parcels must lie in their region: more than the match tolerance outside it is a rejection
// like an invalid polygon (a parcel 1,000 km away would otherwise be matched to whatever its bounding
// box crosses). The lists of problems are capped (`listLimit`, the lowest indexes kept) so that a body
// of two million bad values answers with a short report stating the true totals.
//
// The parts: import-report.ts (options, report, reasons), import-batches.ts (one batch checked and written).
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { findRegionByCode, listRegions } from '../db/repositories/regions.repository.js'
import { analyzeParcels, rematch, rematchObjects } from '../db/repositories/matching.repository.js'
import { insertAudit } from '../db/repositories/audit.repository.js'
import { badRequest, notFound } from '../errors.js'
import { checkPolygonal, dropElevation, ELEVATION_DROPPED } from './geojson-checks.js'
import type { SourceItem } from './feature-source.js'
import { bump } from './data-version.js'
import { checkBatchGeometry, insertAreaBatch, insertCellBatch, insertParcelBatch } from './import-batches.js'
import {
  CappedList,
  DEFAULT_LIST_LIMIT,
  text,
  type Candidate,
  type ImportOptions,
  type ImportReport,
  type Rejection,
  type Repair,
  type Tally,
} from './import-report.js'

export {
  DEFAULT_LIST_LIMIT,
  DEFAULT_PROPERTIES,
  LAND_USES,
  type ImportKind,
  type ImportOptions,
  type ImportReport,
  type InvalidMode,
  type PropertyNames,
  type Rejection,
  type Repair,
} from './import-report.js'

class RollBack extends Error {}

/** From this many parcels on, the table's statistics are refreshed before matching. */
const BIG_IMPORT = 5000

export async function importFeatures(
  db: Kysely<DB>,
  items: AsyncIterable<SourceItem> | Iterable<SourceItem>,
  o: ImportOptions,
): Promise<ImportReport> {
  const report: ImportReport = {
    kind: o.kind,
    read: 0,
    imported: 0,
    rejected: [],
    rejectedTotal: 0,
    repaired: [],
    repairedTotal: 0,
    skipped: 0,
    committed: false,
    rematched: 0,
    warnings: [],
  }
  const limit = Math.max(0, o.listLimit ?? DEFAULT_LIST_LIMIT)
  const tally: Tally = { report, rejections: new CappedList<Rejection>(limit), repairs: new CappedList<Repair>(limit) }
  const reject = (r: Rejection) => tally.rejections.add(r)
  const idProperty = o.kind === 'parcels' ? o.properties.id : o.properties.code
  let elevationDropped = 0

  try {
    await db.transaction().execute(async (tx) => {
      const regionId = o.kind === 'cells' || o.kind === 'parcels' ? await defaultRegionId(tx, o.region) : null
      const seen = new Set<string>()
      const insertedParcelIds: number[] = []
      let batch: Candidate[] = []
      // Parcels are pipelined: while one batch is in the database, the next is read and checked here.
      let inFlight: Promise<void> | null = null

      const write = async (b: Candidate[]) => {
        if (o.kind === 'parcels') {
          insertedParcelIds.push(...(await insertParcelBatch(tx, regionId!, b, o, tally)))
        } else {
          const accepted = await checkBatchGeometry(tx, b, o.invalid, tally)
          if (o.kind === 'cells') await insertCellBatch(tx, regionId, accepted, o, tally)
          else await insertAreaBatch(tx, o.kind, accepted, o, tally)
        }
        o.onProgress?.({ read: report.read, imported: report.imported, rejected: tally.rejections.total })
      }
      const flush = async () => {
        if (inFlight) {
          const previous = inFlight
          inFlight = null
          await previous
        }
        if (batch.length === 0) return
        const b = batch
        batch = []
        if (o.kind === 'parcels') {
          inFlight = write(b)
          // awaited at the next flush; until then a failure must not count as unhandled
          inFlight.catch(() => {})
        } else {
          await write(b)
        }
      }

      for await (const item of items) {
        report.read++
        if (item.error || !item.feature) {
          reject({ index: item.index, id: null, reason: item.error ?? 'not a feature' })
          continue
        }
        const props = item.feature.properties ?? {}
        const id = text(props[idProperty]) ?? text(item.feature.id)
        if (!id) {
          reject({ index: item.index, id: null, reason: `property "${idProperty}" is missing` })
          continue
        }
        if (seen.has(id)) {
          reject({ index: item.index, id, reason: `duplicate ${idProperty} "${id}" in this file` })
          continue
        }
        seen.add(id)
        const problem = checkPolygonal(item.feature.geometry)
        if (problem) {
          reject({ index: item.index, id, reason: problem.reason, location: problem.location ?? null })
          continue
        }
        const geometry = dropElevation(item.feature.geometry)
        if (geometry !== item.feature.geometry) elevationDropped++
        // a cell's parent must be written before the cell: flush when the parent is still pending
        const parent = o.kind === 'cells' ? text(props[o.properties.parent]) : null
        if (parent && batch.some((c) => c.id === parent)) await flush()
        batch.push({ index: item.index, id, props, geojson: JSON.stringify(geometry) })
        if (batch.length >= o.batchSize) await flush()
      }
      await flush()
      await flush()
      report.rejected = tally.rejections.trim()
      report.rejectedTotal = tally.rejections.total
      report.repaired = tally.repairs.trim()
      report.repairedTotal = tally.repairs.total
      if (elevationDropped > 0)
        report.warnings.push(`${elevationDropped} of ${report.read} features: ${ELEVATION_DROPPED}`)

      const failed = report.rejectedTotal > 0 && o.invalid === 'reject'
      if (failed || report.imported === 0) throw new RollBack()
      if (o.kind === 'parcels') {
        // fresh statistics first: the planner would otherwise plan the matching for the table as it was
        if (insertedParcelIds.length >= BIG_IMPORT) await analyzeParcels(tx)
        report.rematched = await rematch(tx, { kind: 'parcels', parcelIds: insertedParcelIds }, o.matchToleranceM2)
      } else if (o.kind === 'cells') {
        report.rematched = await rematch(tx, { kind: 'region', regionId: regionId! }, o.matchToleranceM2)
        // supervised objects follow the new cells too (their count is not part of the parcel figure)
        await rematchObjects(tx, { kind: 'region', regionId: regionId! }, o.matchToleranceM2)
      }
      await insertAudit(tx, {
        actor: o.actor,
        action: 'import',
        entityType: o.kind,
        entityId: null,
        after: {
          source: o.source ?? null,
          imported: report.imported,
          skipped: report.skipped,
          repaired: report.repairedTotal,
        },
      })
      report.committed = true
    })
  } catch (error) {
    if (!(error instanceof RollBack)) throw error
    report.committed = false
  }
  if (!report.committed) report.imported = 0
  else bump()
  return report
}

async function defaultRegionId(tx: Transaction<DB>, code: string | undefined): Promise<number | null> {
  if (code) {
    const region = await findRegionByCode(tx, code)
    if (!region) throw notFound('region', code)
    return region.id
  }
  const regions = await listRegions(tx)
  if (regions.length === 1) return regions[0]!.id
  if (regions.length === 0) return null
  throw badRequest('region_required', `there are ${regions.length} regions; say which one with the region option`)
}
