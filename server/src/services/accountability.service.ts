// "Who is accountable here (on this date)?" — the chain from the finest cell covering a point up to
// the top, with people as of the date, and the effective accountable cell after the fallback rule.
//
// Deterministic choice where several cells cover the point (a shared boundary, a vertex, an overlap):
// at the finest level, a cell whose interior holds the point beats one it merely touches; then the
// lowest code. Every cell involved is listed.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import {
  cellsAtPoint,
  cellsWithStaffing,
  nearestChildCell,
  regionAtPoint,
  regionOfCellAt,
  type CellStaffingRow,
} from '../db/repositories/accountability.repository.js'
import { gapAtPoint, gapClearanceAt, type CoverageScope } from '../db/repositories/coverage.repository.js'
import { ancestorIds } from '../db/repositories/cells.repository.js'
import { cellsAtPointOn, changedSince } from '../db/repositories/cell-versions.repository.js'
import { responsibilitiesOfCells } from '../db/repositories/people.repository.js'
import { parcelMatch } from '../db/repositories/parcels.repository.js'
import { notFound } from '../errors.js'
import type { ParcelAccountability } from '../contract/parcels.js'
import type { ParcelStatus, Staffing } from '../contract/common.js'
import { personToApi } from './cells.service.js'

export interface ChainLevel {
  level: number
  cell: { id: number; code: string; name: string; nameEn: string | null; staffing: Staffing }
  people: ReturnType<typeof personToApi>[]
}

export async function chainFrom(
  db: Kysely<DB>,
  finestId: number,
  at: string,
  contacts: boolean,
  parentOf?: Map<number, number | null>,
) {
  const ids = parentOf ? chainOf(finestId, parentOf) : [finestId, ...(await ancestorIds(db, finestId))]
  const [staffing, people] = await Promise.all([cellsWithStaffing(db, ids, at), responsibilitiesOfCells(db, ids, at)])
  const byId = new Map<number, CellStaffingRow>(staffing.map((c) => [c.id, c]))
  const chain: ChainLevel[] = ids
    .map((id) => byId.get(id))
    .filter((c): c is CellStaffingRow => c !== undefined)
    .map((c) => ({
      level: c.level,
      cell: { id: c.id, code: c.code, name: c.name, nameEn: c.name_en, staffing: c.status as Staffing },
      people: people.filter((p) => p.cell_id === c.id).map((p) => personToApi(p, contacts)),
    }))
  return { chain, byId }
}

function chainOf(id: number, parentOf: Map<number, number | null>): number[] {
  const ids = [id]
  for (let p = parentOf.get(id); p !== undefined && p !== null; p = parentOf.get(p)) ids.push(p)
  return ids
}

export function effectiveOf(chain: ChainLevel[], byId: Map<number, CellStaffingRow>, gapAtFinest: boolean) {
  const finest = chain[0]
  if (!finest) return null
  const accountableId = byId.get(finest.cell.id)?.accountable_cell_id ?? null
  const accountable = chain.find((l) => l.cell.id === accountableId)
  if (!accountable) return { cellCode: null, level: null, people: [], rule: 'nobody' as const }
  const rule = gapAtFinest
    ? ('fallback_gap' as const)
    : accountable.cell.id === finest.cell.id
      ? ('direct' as const)
      : ('fallback_vacant' as const)
  return {
    cellCode: accountable.cell.code,
    cellName: accountable.cell.name,
    level: accountable.level,
    people: accountable.people,
    rule,
  }
}

/**
 * Cells covering a point on a day: today's cells, or — for a past day after which boundaries changed —
 * the cells as they were at the end of that day, from the cell history.
 */
async function cellsCovering(db: Kysely<DB>, lon: number, lat: number, at: string, today: string) {
  if (at < today && (await changedSince(db, at)))
    return { hits: await cellsAtPointOn(db, lon, lat, at), historic: true }
  return { hits: await cellsAtPoint(db, lon, lat), historic: false }
}

/** How a point in a gap too small to count is answered: the gap, and the cell that answers for it. */
export interface SliverGap {
  parentCode: string
  areaM2: number
  toleranceM2: number
  /** the cells bordering the gap at the same distance from the point as the nearest one */
  nearestCellCodes: string[]
  /** the leaf cell that answers: the nearest bordering cell, then its nearest child down to a leaf */
  cellCode: string
}

const round2 = (n: number) => Math.round(n * 100) / 100

/**
 * One rule for the point lookup and the coverage report: a gap no bigger than the sliver tolerance is
 * digitising noise. The report neither lists it nor counts it as uncovered, so a point in it is not
 * "uncovered" either: the nearest cell bordering the gap answers for it (the same way matching ignores
 * overhangs under the tolerance), and the answer says so. Undefined when the gap is bigger.
 */
async function sliverGapAt(
  db: Kysely<DB>,
  parent: CoverageScope,
  parentCode: string,
  lon: number,
  lat: number,
  toleranceM2: number,
) {
  // a disc of radius `clearance` around the point lies inside the gap: a gap that big is no sliver
  // (the factor 2 absorbs the difference between the geodesic disc and the area on the spheroid)
  const clearance = await gapClearanceAt(db, parent, lon, lat)
  if (clearance !== null && Math.PI * clearance * clearance > 2 * toleranceM2) return undefined
  const gap = await gapAtPoint(db, parent, lon, lat)
  // the database could not compute the gap: keep the plain answer (uncovered) rather than guess
  if (!gap) return undefined
  const areaM2 = gap.area_m2 ?? 0
  const neighbours = gap.neighbours ?? []
  if (areaM2 > toleranceM2 || neighbours.length === 0) return undefined
  const nearest = neighbours[0]!
  let cell = { id: nearest.id, code: nearest.code }
  // a neighbour with children does not hold the point in any of them: descend to its nearest leaf
  for (
    let next = await nearestChildCell(db, cell.id, lon, lat);
    next;
    next = await nearestChildCell(db, cell.id, lon, lat)
  )
    cell = next
  const sliver: SliverGap = {
    parentCode,
    areaM2: round2(areaM2),
    toleranceM2,
    nearestCellCodes: neighbours.filter((n) => n.distance_m <= nearest.distance_m + 1e-6).map((n) => n.code),
    cellCode: cell.code,
  }
  return { sliver, cellId: cell.id }
}

function sliverMessage(s: SliverGap, parentName: string) {
  return (
    `this point lies in a ${s.areaM2} m² gap in ${parentName} (${s.parentCode}), within the ${s.toleranceM2} m² sliver tolerance: ` +
    `the coverage report counts that land as covered, and the nearest cell ${s.cellCode} answers for it` +
    (s.nearestCellCodes.length > 1 ? ` (${s.nearestCellCodes.join(', ')} are equally near; lowest code first)` : '')
  )
}

/**
 * `sliverM2`: the sliver tolerance the coverage report applies (the SLIVER_TOLERANCE_M2 setting); a
 * point in a gap no bigger than it is answered by the nearest cell. The rule applies to today's grid;
 * a past day answered from the cell history names the gap as it was.
 */
export async function accountabilityAtPoint(
  db: Kysely<DB>,
  lon: number,
  lat: number,
  at: string,
  contacts: boolean,
  today = at,
  sliverM2 = 0,
) {
  const { hits, historic } = await cellsCovering(db, lon, lat, at, today)
  const involved = hits.map((h) => ({ code: h.code, name: h.name, level: h.level, onBoundary: !h.interior }))
  const covering = hits[0]
  const parcel = await parcelMatch(db, { point: [lon, lat] }, at)
  const parcelSummary = parcel
    ? {
        id: parcel.id,
        externalId: parcel.external_id,
        landUse: parcel.land_use,
        status: parcel.status as ParcelStatus | null,
        cellCode: parcel.cell_code,
      }
    : null
  const region = covering ? undefined : await regionAtPoint(db, lon, lat)
  // A finest covering cell that has children means the point falls in a gap between those children;
  // no covering cell in a region, in a gap between its top-level cells.
  const gapParent: { scope: CoverageScope; code: string; name: string } | null = covering
    ? covering.has_children
      ? { scope: { kind: 'cell', cellId: covering.id }, code: covering.code, name: covering.name }
      : null
    : region
      ? { scope: { kind: 'region', regionId: region.id }, code: region.code, name: region.name }
      : null
  const found =
    gapParent && !historic ? await sliverGapAt(db, gapParent.scope, gapParent.code, lon, lat, sliverM2) : undefined
  const sliver = found?.sliver
  if (!covering && !sliver) {
    return {
      point: [lon, lat],
      at,
      covered: false,
      message: region
        ? `no grid cell covers this point in ${region.name}`
        : 'this point is outside every region and grid cell',
      chain: [],
      missingLevel: region ? 1 : null,
      involvedCells: [],
      effective: null,
      parcel: parcelSummary,
      region: region ? { code: region.code, name: region.name } : null,
      outsideRegion: !region,
      sliverGap: null,
    }
  }
  const finestId = found?.cellId ?? covering!.id
  // for a past day, the chain follows the parents the covering cells had then
  const { chain, byId } = await chainFrom(
    db,
    finestId,
    at,
    contacts,
    historic ? new Map(hits.map((h) => [h.id, h.parent_id])) : undefined,
  )
  const missingLevel = !sliver && covering!.has_children ? covering!.level + 1 : null
  const finest = chain[0]!.cell
  const sameLevel = sliver ? [] : hits.filter((h) => h.level === covering!.level)
  const home = await regionOfCellAt(db, finestId, lon, lat)
  const outsideRegion = home ? !home.contains_point : false
  const messages = [
    sliver
      ? sliverMessage(sliver, gapParent!.name)
      : missingLevel !== null
        ? `no level-${missingLevel} cell covers this point: it lies in a gap inside ${covering!.name} (${covering!.code})`
        : sameLevel.length > 1
          ? `${sameLevel.length} level-${covering!.level} cells cover this point (${sameLevel.map((h) => h.code).join(', ')}); ${covering!.code} is chosen (interior first, then lowest code)`
          : null,
    outsideRegion && home
      ? `this point lies outside the region ${home.name} (${home.code}): ${finest.code} overhangs the region's outline here`
      : null,
  ].filter((m): m is string => m !== null)
  return {
    point: [lon, lat],
    at,
    covered: missingLevel === null,
    message: messages.length ? messages.join('; ') : null,
    chain,
    missingLevel,
    involvedCells: involved,
    effective: effectiveOf(chain, byId, missingLevel !== null),
    parcel: parcelSummary,
    region: home ? { code: home.code, name: home.name } : null,
    /** a cell covers the point, but the point lies outside that cell's region (the cell spills over it) */
    outsideRegion,
    sliverGap: sliver ?? null,
  }
}

export async function accountabilityOfParcel(db: Kysely<DB>, parcelId: number, at: string, contacts: boolean) {
  const parcel = await parcelMatch(db, { id: parcelId }, at)
  if (!parcel) throw notFound('parcel', parcelId)
  const base = {
    parcel: {
      id: parcel.id,
      externalId: parcel.external_id,
      landUse: parcel.land_use,
      ownerName: parcel.owner_name,
      status: parcel.status as ParcelStatus | null,
      areaM2: parcel.parcel_area_m2,
      uncoveredAreaM2: parcel.uncovered_area_m2,
      shares: parcel.shares ?? [],
    },
    at,
  }
  if (parcel.cell_id === null) {
    return {
      ...base,
      chain: [],
      effective: null,
      reason: 'uncovered' as const,
      message: 'no grid cell covers any part of this parcel',
    }
  }
  const { chain, byId } = await chainFrom(db, parcel.cell_id, at, contacts)
  return {
    ...base,
    chain,
    effective: effectiveOf(chain, byId, false),
    /** machine-readable: uncovered | inherited | straddling | matched */
    reason: (parcel.status === 'unowned' ? 'uncovered' : parcel.status) as ParcelAccountability['reason'],
    message:
      parcel.status === 'unowned'
        ? `${Math.round(parcel.uncovered_area_m2 ?? 0)} m² of this parcel is covered by no cell`
        : parcel.status === 'inherited'
          ? `its cell ${parcel.cell_code} is vacant; accountability passes up by the territorial fallback rule`
          : null,
  }
}
