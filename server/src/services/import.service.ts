// Imports regions, grid cells and parcels from GeoJSON features, batched, in one transaction.
// All or nothing by default: every bad feature is listed (index, id, reason, location) and nothing is
// written. `invalid: 'skip'` imports the rest; `invalid: 'repair'` repairs invalid polygons with
// ST_MakeValid (polygonal parts kept) and lists each with its area before and after.
import type { Kysely, Transaction } from 'kysely'
import type { DB, LandUse } from '../db/schema.js'
import { checkValidity, repairPolygonal } from '../db/repositories/geometry.repository.js'
import { findCellsByCodes, insertCells, type NewCell } from '../db/repositories/cells.repository.js'
import { existingExternalIds, insertParcels, insertParcelsChecked, type NewParcel } from '../db/repositories/parcels.repository.js'
import { findRegionByCode, insertContextArea, insertRegion, listRegions } from '../db/repositories/regions.repository.js'
import { analyzeParcels, rematch } from '../db/repositories/matching.repository.js'
import { recordCellVersions } from '../db/repositories/cell-versions.repository.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'
import { badRequest, notFound } from '../errors.js'
import { checkPolygonal } from './geojson-checks.js'
import type { SourceItem } from './feature-source.js'
import { bump } from './data-version.js'

export type ImportKind = 'regions' | 'cells' | 'parcels' | 'context'
export type InvalidMode = 'reject' | 'skip' | 'repair'

export const LAND_USES: readonly LandUse[] = ['farmland', 'enterprise', 'construction_site', 'water', 'residential', 'road', 'other']

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
  onProgress?: (progress: { read: number; imported: number; rejected: number }) => void
}

export interface Rejection {
  index: number
  id: string | null
  reason: string
  location?: [number, number] | null
}

export interface ImportReport {
  kind: ImportKind
  read: number
  imported: number
  rejected: Rejection[]
  repaired: { index: number; id: string | null; areaBeforeM2: number; areaAfterM2: number }[]
  skipped: number
  committed: boolean
  rematched: number
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

export async function importFeatures(db: Kysely<DB>, items: AsyncIterable<SourceItem> | Iterable<SourceItem>, o: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = { kind: o.kind, read: 0, imported: 0, rejected: [], repaired: [], skipped: 0, committed: false, rematched: 0 }
  const reject = (r: Rejection) => report.rejected.push(r)
  const idProperty = o.kind === 'parcels' ? o.properties.id : o.properties.code

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
          insertedParcelIds.push(...(await insertParcelBatch(tx, regionId!, b, o, report)))
        } else {
          const accepted = await checkBatchGeometry(tx, b, o.invalid, report)
          if (o.kind === 'cells') await insertCellBatch(tx, regionId, accepted, o, report)
          else await insertAreaBatch(tx, o.kind, accepted, o, report)
        }
        o.onProgress?.({ read: report.read, imported: report.imported, rejected: report.rejected.length })
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
        // a cell's parent must be written before the cell: flush when the parent is still pending
        const parent = o.kind === 'cells' ? text(props[o.properties.parent]) : null
        if (parent && batch.some((c) => c.id === parent)) await flush()
        batch.push({ index: item.index, id, props, geojson: JSON.stringify(item.feature.geometry) })
        if (batch.length >= o.batchSize) await flush()
      }
      await flush()
      await flush()
      report.rejected.sort((a, b) => a.index - b.index)

      const failed = report.rejected.length > 0 && o.invalid === 'reject'
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
        after: { source: o.source ?? null, imported: report.imported, skipped: report.skipped, repaired: report.repaired.length },
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
async function checkBatchGeometry(tx: Transaction<DB>, batch: Candidate[], mode: InvalidMode, report: ImportReport): Promise<Candidate[]> {
  const validity = await checkValidity(tx, batch.map((c) => c.geojson))
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
        report.repaired.push({ index: c.index, id: c.id, areaBeforeM2: repaired.areaBeforeM2, areaAfterM2: repaired.areaAfterM2 })
        accepted.push({ ...c, geojson: repaired.geojson })
        continue
      }
    }
    if (mode === 'skip') report.skipped++
    report.rejected.push({ index: c.index, id: c.id, reason: `invalid polygon: ${v.reason ?? 'unknown reason'}`, location: v.location })
  }
  return accepted
}

/** Land use checked here; validity, "already exists" and the insert in one statement per batch. */
async function insertParcelBatch(tx: Transaction<DB>, regionId: number, batch: Candidate[], o: ImportOptions, report: ImportReport): Promise<number[]> {
  if (regionId === null) throw badRequest('no_region', 'import a region before parcels')
  const rows: NewParcel[] = []
  const candidates: Candidate[] = []
  for (const c of batch) {
    const landUse = text(c.props[o.properties.landUse]) ?? 'other'
    if (!LAND_USES.includes(landUse as LandUse)) {
      report.rejected.push({ index: c.index, id: c.id, reason: `land use "${landUse}" is not one of ${LAND_USES.join(', ')}` })
    } else {
      rows.push({ externalId: c.id, landUse: landUse as LandUse, ownerName: text(c.props[o.properties.owner]), geojson: c.geojson })
      candidates.push(c)
    }
  }
  const results = await insertParcelsChecked(tx, regionId, rows)
  const ids: number[] = []
  const toRepair: { c: Candidate; row: NewParcel; reason: string | null; location: [number, number] | null }[] = []
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!
    const c = candidates[i]!
    if (r.id !== null) ids.push(r.id)
    else if (r.valid) report.rejected.push({ index: c.index, id: c.id, reason: `parcel "${c.id}" already exists` })
    else if (o.invalid === 'repair') toRepair.push({ c, row: rows[i]!, reason: r.reason, location: r.location })
    else {
      if (o.invalid === 'skip') report.skipped++
      report.rejected.push({ index: c.index, id: c.id, reason: `invalid polygon: ${r.reason ?? 'unknown reason'}`, location: r.location })
    }
  }
  // the rare invalid ones, repaired one by one (ST_MakeValid, polygonal parts kept)
  const existing = await existingExternalIds(tx, toRepair.map((x) => x.c.id))
  for (const { c, row, reason, location } of toRepair) {
    const repaired = await repairPolygonal(tx, c.geojson)
    if (!repaired) {
      report.rejected.push({ index: c.index, id: c.id, reason: `invalid polygon: ${reason ?? 'unknown reason'}`, location })
    } else if (existing.has(c.id)) {
      report.rejected.push({ index: c.index, id: c.id, reason: `parcel "${c.id}" already exists` })
    } else {
      report.repaired.push({ index: c.index, id: c.id, areaBeforeM2: repaired.areaBeforeM2, areaAfterM2: repaired.areaAfterM2 })
      ids.push(...(await insertParcels(tx, regionId, [{ ...row, geojson: repaired.geojson }])))
    }
  }
  report.imported += ids.length
  return ids
}

async function insertCellBatch(tx: Transaction<DB>, regionId: number | null, batch: Candidate[], o: ImportOptions, report: ImportReport) {
  const parentCodes = [...new Set(batch.map((c) => text(c.props[o.properties.parent])).filter((p): p is string => p !== null))]
  const known = await findCellsByCodes(tx, [...parentCodes, ...batch.map((c) => c.id)])
  const byCode = new Map(known.map((k) => [k.code, k]))
  const rows: NewCell[] = []
  for (const c of batch) {
    const parentCode = text(c.props[o.properties.parent])
    const parent = parentCode ? byCode.get(parentCode) : undefined
    const levelProp = c.props[o.properties.level]
    const level = parent ? parent.level + 1 : 1
    const fail = (reason: string) => report.rejected.push({ index: c.index, id: c.id, reason })
    if (byCode.has(c.id)) fail(`cell code "${c.id}" already exists`)
    else if (parentCode && !parent) fail(`unknown parent code "${parentCode}"`)
    else if (parent && !c.id.startsWith(parent.code)) fail(`code "${c.id}" does not extend its parent's code "${parent.code}"`)
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
    }
  }
  const inserted = await insertCells(tx, rows)
  await recordCellVersions(tx, inserted.map((c) => c.id), o.versionsValidFrom ?? null, o.actor.login, o.source ? `import ${o.source}` : 'import')
  report.imported += inserted.length
}

async function insertAreaBatch(tx: Transaction<DB>, kind: 'regions' | 'context', batch: Candidate[], o: ImportOptions, report: ImportReport) {
  for (const c of batch) {
    const name = text(c.props[o.properties.name])
    if (!name) {
      report.rejected.push({ index: c.index, id: c.id, reason: `property "${o.properties.name}" is missing` })
      continue
    }
    if (kind === 'regions') {
      if (await findRegionByCode(tx, c.id)) {
        report.rejected.push({ index: c.index, id: c.id, reason: `region "${c.id}" already exists` })
        continue
      }
      await insertRegion(tx, { code: c.id, name, nameEn: text(c.props[o.properties.nameEn]), geojson: c.geojson })
    } else {
      await insertContextArea(tx, { code: c.id, name, geojson: c.geojson })
    }
    report.imported++
  }
}
