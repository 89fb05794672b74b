// Writing one batch of checked features inside the import's transaction (import.service.ts): geometry
// validity judged by PostGIS (rejected, skipped or repaired as the mode says), then the kind's own rules
// (a parcel's land use, a cell's parent, code and level, a region's name) and the insert.
import type { Transaction } from 'kysely'
import type { DB, LandUse } from '../db/schema.js'
import { checkValidity, outsideRegions, repairPolygonal } from '../db/repositories/geometry.repository.js'
import { findCellsByCodes, insertCells, type NewCell } from '../db/repositories/cells.repository.js'
import { insertParcelsChecked, type CheckedInsert, type NewParcel } from '../db/repositories/parcels.repository.js'
import { findRegionByCode, insertContextArea, insertRegion } from '../db/repositories/regions.repository.js'
import { recordCellVersions } from '../db/repositories/cell-versions.repository.js'
import { badRequest } from '../errors.js'
import {
  LAND_USES,
  invalidReason,
  leaveOut,
  outsideReason,
  text,
  type Candidate,
  type ImportOptions,
  type InvalidMode,
  type Tally,
} from './import-report.js'

/** PostGIS judges validity; invalid ones are rejected, skipped or repaired as the mode says. */
export async function checkBatchGeometry(
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

/** Land use checked here; validity, the region, "already exists" and the insert in one statement per batch. */
export async function insertParcelBatch(
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

export async function insertCellBatch(
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

export async function insertAreaBatch(
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
