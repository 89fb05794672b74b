// Imports regions, grid cells and parcels from GeoJSON features, batched, in one transaction.
// All or nothing by default: every bad feature is listed (index, id, reason, location) and nothing is
// written. `invalid: 'skip'` imports the rest; `invalid: 'repair'` repairs invalid polygons with
// ST_MakeValid (polygonal parts kept) and lists each with its area before and after.
// Cells and parcels must lie in their region: more than the match tolerance outside it is a rejection
// like an invalid polygon (a parcel 1,000 km away would otherwise be matched to whatever its bounding
// box crosses). The lists of problems are capped (`listLimit`, the lowest indexes kept) so that a body
// of two million bad values answers with a short report stating the true totals.
import type { Kysely, Transaction } from 'kysely'
import type { DB, LandUse } from '../db/schema.js'
import { checkValidity, outsideRegions, repairPolygonal } from '../db/repositories/geometry.repository.js'
import { findCellsByCodes, insertCells, type NewCell } from '../db/repositories/cells.repository.js'
import { insertParcelsChecked, type CheckedInsert, type NewParcel } from '../db/repositories/parcels.repository.js'
import {
  findRegionByCode,
  insertContextArea,
  insertRegion,
  listRegions,
} from '../db/repositories/regions.repository.js'
import { analyzeParcels, rematch } from '../db/repositories/matching.repository.js'
import { recordCellVersions } from '../db/repositories/cell-versions.repository.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'
import { badRequest, notFound } from '../errors.js'
import { checkPolygonal, dropElevation, ELEVATION_DROPPED } from './geojson-checks.js'
import type { SourceItem } from './feature-source.js'
import { bump } from './data-version.js'

export type ImportKind = 'regions' | 'cells' | 'parcels' | 'context'
export type InvalidMode = 'reject' | 'skip' | 'repair'

export const LAND_USES: readonly LandUse[] = [
  'farmland',
  'enterprise',
  'construction_site',
  'water',
  'residential',
  'road',
  'other',
]

export interface PropertyNames {
  code: string
  name: string
  nameEn: string
  parent: string
  level: string
  id: string
  landUse: string
  owner: string
}

export const DEFAULT_PROPERTIES: PropertyNames = {
  code: 'code',
  name: 'name',
  nameEn: 'nameEn',
  parent: 'parentCode',
  level: 'level',
  id: 'externalId',
  landUse: 'landUse',
  owner: 'ownerName',
}

export interface ImportOptions {
  kind: ImportKind
  invalid: InvalidMode
  properties: PropertyNames
  /** region code for cells without a parent and for parcels (default: the only region) */
  region?: string
  batchSize: number
  matchToleranceM2: number
  actor: Actor
  source?: string
  /** when the imported cells' first versions begin (default: now); the demo's grid predates its loading */
  versionsValidFrom?: string
  /** how many rejections and repairs the report lists (the lowest indexes); the totals are always exact (default 100) */
  listLimit?: number
  onProgress?: (progress: { read: number; imported: number; rejected: number }) => void
}

export interface Rejection {
  index: number
  id: string | null
  reason: string
  location?: [number, number] | null
}

export interface Repair {
  index: number
  id: string | null
  areaBeforeM2: number
  areaAfterM2: number
}

export interface ImportReport {
  kind: ImportKind
  read: number
  imported: number
  /** the first `listLimit` rejections by index; `rejectedTotal` counts them all */
  rejected: Rejection[]
  rejectedTotal: number
  repaired: Repair[]
  repairedTotal: number
  skipped: number
  committed: boolean
  rematched: number
  /** things done to the input that the operator should know (elevation dropped) */
  warnings: string[]
}

export const DEFAULT_LIST_LIMIT = 100

/** Keeps the `limit` entries of lowest index, in bounded memory, and counts them all. */
class CappedList<T extends { index: number }> {
  readonly items: T[] = []
  total = 0
  constructor(private readonly limit: number) {}
  add(item: T) {
    this.total++
    this.items.push(item)
    if (this.items.length >= 2 * this.limit + 100) this.trim()
  }
  trim(): T[] {
    this.items.sort((a, b) => a.index - b.index)
    this.items.length = Math.min(this.items.length, this.limit)
    return this.items
  }
}

/** The report as built, with its capped lists. */
interface Tally {
  report: ImportReport
  rejections: CappedList<Rejection>
  repairs: CappedList<Repair>
}

class RollBack extends Error {}

/** From this many parcels on, the table's statistics are refreshed before matching. */
const BIG_IMPORT = 5000

interface Candidate {
  index: number
  id: string
  props: Record<string, unknown>
  geojson: string
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v))
const round1 = (n: number) => Math.round(n * 10) / 10

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

/** PostGIS judges validity; invalid ones are rejected, skipped or repaired as the mode says. */
async function checkBatchGeometry(
  tx: Transaction<DB>,
  batch: Candidate[],
  mode: InvalidMode,
  t: Tally,
): Promise<Candidate[]> {
  const validity = await checkValidity(
    tx,
    batch.map((c) => c.geojson),
  )
  const accepted: Candidate[] = []
  for (let i = 0; i < batch.length; i++) {
    const c = batch[i]!
    const v = validity[i]!
    if (v.valid) {
      accepted.push(c)
      continue
    }
    if (mode === 'repair') {
      const repaired = await repairPolygonal(tx, c.geojson)
      if (repaired) {
        t.repairs.add({
          index: c.index,
          id: c.id,
          areaBeforeM2: repaired.areaBeforeM2,
          areaAfterM2: repaired.areaAfterM2,
        })
        accepted.push({ ...c, geojson: repaired.geojson })
        continue
      }
    }
    leaveOut(t, mode, { index: c.index, id: c.id, reason: invalidReason(v.reason, mode), location: v.location })
  }
  return accepted
}

const invalidReason = (reason: string | null, mode: InvalidMode) =>
  `invalid polygon: ${reason ?? 'unknown reason'}${mode === 'repair' ? ' (ST_MakeValid left no valid polygon at 9 decimals)' : ''}`

/** A feature left out for its geometry: counted as skipped unless the import is all or nothing. */
function leaveOut(t: Tally, mode: InvalidMode, r: Rejection) {
  if (mode !== 'reject') t.report.skipped++
  t.rejections.add(r)
}

function outsideReason(kind: string, outsideM2: number, toleranceM2: number) {
  return `${kind} lies ${round1(outsideM2).toLocaleString('en-US')} m² outside its region (more than the match tolerance of ${toleranceM2} m²)`
}

/** Land use checked here; validity, the region, "already exists" and the insert in one statement per batch. */
async function insertParcelBatch(
  tx: Transaction<DB>,
  regionId: number,
  batch: Candidate[],
  o: ImportOptions,
  t: Tally,
): Promise<number[]> {
  if (regionId === null) throw badRequest('no_region', 'import a region before parcels')
  const rows: NewParcel[] = []
  const candidates: Candidate[] = []
  for (const c of batch) {
    const landUse = text(c.props[o.properties.landUse]) ?? 'other'
    if (!LAND_USES.includes(landUse as LandUse)) {
      t.rejections.add({
        index: c.index,
        id: c.id,
        reason: `land use "${landUse}" is not one of ${LAND_USES.join(', ')}`,
      })
    } else {
      rows.push({
        externalId: c.id,
        landUse: landUse as LandUse,
        ownerName: text(c.props[o.properties.owner]),
        geojson: c.geojson,
      })
      candidates.push(c)
    }
  }
  const ids: number[] = []
  const toRepair: { c: Candidate; row: NewParcel; reason: string | null; location: [number, number] | null }[] = []
  const judge = (c: Candidate, r: CheckedInsert, repairedFrom?: { areaBeforeM2: number; areaAfterM2: number }) => {
    if (r.id !== null) {
      ids.push(r.id)
      if (repairedFrom) t.repairs.add({ index: c.index, id: c.id, ...repairedFrom })
    } else if (!r.valid) {
      leaveOut(t, o.invalid, {
        index: c.index,
        id: c.id,
        reason: invalidReason(r.reason, repairedFrom ? 'repair' : o.invalid),
        location: r.location,
      })
    } else if (r.outsideM2 > o.matchToleranceM2) {
      leaveOut(t, o.invalid, {
        index: c.index,
        id: c.id,
        reason: outsideReason('parcel', r.outsideM2, o.matchToleranceM2),
        location: r.outsideAt,
      })
    } else {
      t.rejections.add({ index: c.index, id: c.id, reason: `parcel "${c.id}" already exists` })
    }
  }
  const results = await insertParcelsChecked(tx, regionId, rows, o.matchToleranceM2)
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!
    if (!r.valid && o.invalid === 'repair')
      toRepair.push({ c: candidates[i]!, row: rows[i]!, reason: r.reason, location: r.location })
    else judge(candidates[i]!, r)
  }
  // the rare invalid ones, repaired one by one (ST_MakeValid, polygonal parts kept), then stored through
  // the same checked insert: what is stored is validated and measured against the region again
  for (const { c, row, reason, location } of toRepair) {
    const repaired = await repairPolygonal(tx, c.geojson)
    if (!repaired) {
      leaveOut(t, o.invalid, { index: c.index, id: c.id, reason: invalidReason(reason, 'repair'), location })
      continue
    }
    const [r] = await insertParcelsChecked(tx, regionId, [{ ...row, geojson: repaired.geojson }], o.matchToleranceM2)
    judge(c, r!, repaired)
  }
  t.report.imported += ids.length
  return ids
}

async function insertCellBatch(
  tx: Transaction<DB>,
  regionId: number | null,
  batch: Candidate[],
  o: ImportOptions,
  t: Tally,
) {
  const parentCodes = [
    ...new Set(batch.map((c) => text(c.props[o.properties.parent])).filter((p): p is string => p !== null)),
  ]
  const known = await findCellsByCodes(tx, [...parentCodes, ...batch.map((c) => c.id)])
  const byCode = new Map(known.map((k) => [k.code, k]))
  const rows: NewCell[] = []
  const rowCandidates: Candidate[] = []
  for (const c of batch) {
    const parentCode = text(c.props[o.properties.parent])
    const parent = parentCode ? byCode.get(parentCode) : undefined
    const levelProp = c.props[o.properties.level]
    const level = parent ? parent.level + 1 : 1
    const fail = (reason: string) => t.rejections.add({ index: c.index, id: c.id, reason })
    if (byCode.has(c.id)) fail(`cell code "${c.id}" already exists`)
    else if (parentCode && !parent) fail(`unknown parent code "${parentCode}"`)
    else if (parent && !c.id.startsWith(parent.code))
      fail(`code "${c.id}" does not extend its parent's code "${parent.code}"`)
    else if (levelProp !== undefined && levelProp !== null && Number(levelProp) !== level) {
      fail(`level ${String(levelProp)} does not match its place in the hierarchy (level ${level})`)
    } else if (!parent && regionId === null) fail('a top-level cell needs a region; import the region first')
    else if (!text(c.props[o.properties.name])) fail(`property "${o.properties.name}" is missing`)
    else {
      rows.push({
        code: c.id,
        name: text(c.props[o.properties.name])!,
        nameEn: text(c.props[o.properties.nameEn]),
        level,
        parentCode,
        regionId: parent ? parent.region_id : regionId!,
        geojson: c.geojson,
      })
      rowCandidates.push(c)
    }
  }
  // a cell lies in its region (within the match tolerance), like a parcel
  const outside = await outsideRegions(
    tx,
    rows.map((r) => ({ regionId: r.regionId, geojson: r.geojson })),
  )
  const inRegion = rows.filter((r, i) => {
    const out = outside[i]!
    if (out.areaM2 <= o.matchToleranceM2) return true
    const c = rowCandidates[i]!
    leaveOut(t, o.invalid, {
      index: c.index,
      id: c.id,
      reason: outsideReason('cell', out.areaM2, o.matchToleranceM2),
      location: out.location,
    })
    return false
  })
  const inserted = await insertCells(tx, inRegion)
  await recordCellVersions(
    tx,
    inserted.map((c) => c.id),
    o.versionsValidFrom ?? null,
    o.actor.login,
    o.source ? `import ${o.source}` : 'import',
  )
  t.report.imported += inserted.length
}

async function insertAreaBatch(
  tx: Transaction<DB>,
  kind: 'regions' | 'context',
  batch: Candidate[],
  o: ImportOptions,
  t: Tally,
) {
  for (const c of batch) {
    const name = text(c.props[o.properties.name])
    if (!name) {
      t.rejections.add({ index: c.index, id: c.id, reason: `property "${o.properties.name}" is missing` })
      continue
    }
    if (kind === 'regions') {
      if (await findRegionByCode(tx, c.id)) {
        t.rejections.add({ index: c.index, id: c.id, reason: `region "${c.id}" already exists` })
        continue
      }
      await insertRegion(tx, { code: c.id, name, nameEn: text(c.props[o.properties.nameEn]), geojson: c.geojson })
    } else {
      await insertContextArea(tx, { code: c.id, name, geojson: c.geojson })
    }
    t.report.imported++
  }
}
