// "Who is accountable here (on this date)?" — the chain from the finest cell covering a point up to
// the top, with people as of the date, and the effective accountable cell after the fallback rule.
//
// Deterministic choice where several cells cover the point (a shared boundary, a vertex, an overlap):
// at the finest level, a cell whose interior holds the point beats one it merely touches; then the
// lowest code. Every cell involved is listed.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { cellsAtPoint, cellsWithStaffing, regionAtPoint, type CellStaffingRow } from '../db/repositories/accountability.repository.js'
import { ancestorIds } from '../db/repositories/cells.repository.js'
import { cellsAtPointOn, changedSince } from '../db/repositories/cell-versions.repository.js'
import { responsibilitiesOfCells } from '../db/repositories/people.repository.js'
import { parcelMatch } from '../db/repositories/parcels.repository.js'
import { notFound } from '../errors.js'
import { personToApi } from './cells.service.js'

export interface ChainLevel {
  level: number
  cell: { id: number; code: string; name: string; nameEn: string | null; staffing: string }
  people: ReturnType<typeof personToApi>[]
}

async function chainFrom(db: Kysely<DB>, finestId: number, at: string, contacts: boolean, parentOf?: Map<number, number | null>) {
  const ids = parentOf ? chainOf(finestId, parentOf) : [finestId, ...(await ancestorIds(db, finestId))]
  const [staffing, people] = await Promise.all([cellsWithStaffing(db, ids, at), responsibilitiesOfCells(db, ids, at)])
  const byId = new Map<number, CellStaffingRow>(staffing.map((c) => [c.id, c]))
  const chain: ChainLevel[] = ids
    .map((id) => byId.get(id))
    .filter((c): c is CellStaffingRow => c !== undefined)
    .map((c) => ({
      level: c.level,
      cell: { id: c.id, code: c.code, name: c.name, nameEn: c.name_en, staffing: c.status },
      people: people.filter((p) => p.cell_id === c.id).map((p) => personToApi(p, contacts)),
    }))
  return { chain, byId }
}

function chainOf(id: number, parentOf: Map<number, number | null>): number[] {
  const ids = [id]
  for (let p = parentOf.get(id); p !== undefined && p !== null; p = parentOf.get(p)) ids.push(p)
  return ids
}

function effectiveOf(chain: ChainLevel[], byId: Map<number, CellStaffingRow>, gapAtFinest: boolean) {
  const finest = chain[0]
  if (!finest) return null
  const accountableId = byId.get(finest.cell.id)?.accountable_cell_id ?? null
  const accountable = chain.find((l) => l.cell.id === accountableId)
  if (!accountable) return { cellCode: null, level: null, people: [], rule: 'nobody' as const }
  const rule = gapAtFinest ? ('fallback_gap' as const) : accountable.cell.id === finest.cell.id ? ('direct' as const) : ('fallback_vacant' as const)
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
  if (at < today && (await changedSince(db, at))) return { hits: await cellsAtPointOn(db, lon, lat, at), historic: true }
  return { hits: await cellsAtPoint(db, lon, lat), historic: false }
}

export async function accountabilityAtPoint(db: Kysely<DB>, lon: number, lat: number, at: string, contacts: boolean, today = at) {
  const { hits, historic } = await cellsCovering(db, lon, lat, at, today)
  const involved = hits.map((h) => ({ code: h.code, name: h.name, level: h.level, onBoundary: !h.interior }))
  const finest = hits[0]
  const parcel = await parcelMatch(db, { point: [lon, lat] }, at)
  const parcelSummary = parcel
    ? { id: parcel.id, externalId: parcel.external_id, landUse: parcel.land_use, status: parcel.status, cellCode: parcel.cell_code }
    : null
  if (!finest) {
    const region = await regionAtPoint(db, lon, lat)
    return {
      point: [lon, lat],
      at,
      covered: false,
      message: region ? `no grid cell covers this point in ${region.name}` : 'this point is outside every region and grid cell',
      chain: [],
      missingLevel: region ? 1 : null,
      involvedCells: [],
      effective: null,
      parcel: parcelSummary,
    }
  }
  // for a past day, the chain follows the parents the covering cells had then
  const { chain, byId } = await chainFrom(db, finest.id, at, contacts, historic ? new Map(hits.map((h) => [h.id, h.parent_id])) : undefined)
  // A finest covering cell that has children means the point falls in a gap between those children.
  const missingLevel = finest.has_children ? finest.level + 1 : null
  const sameLevel = hits.filter((h) => h.level === finest.level)
  return {
    point: [lon, lat],
    at,
    covered: missingLevel === null,
    message:
      missingLevel !== null
        ? `no level-${missingLevel} cell covers this point: it lies in a gap inside ${finest.name} (${finest.code})`
        : sameLevel.length > 1
          ? `${sameLevel.length} level-${finest.level} cells cover this point (${sameLevel.map((h) => h.code).join(', ')}); ${finest.code} is chosen (interior first, then lowest code)`
          : null,
    chain,
    missingLevel,
    involvedCells: involved,
    effective: effectiveOf(chain, byId, missingLevel !== null),
    parcel: parcelSummary,
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
      status: parcel.status,
      areaM2: parcel.parcel_area_m2,
      uncoveredAreaM2: parcel.uncovered_area_m2,
      shares: parcel.shares ?? [],
    },
    at,
  }
  if (parcel.cell_id === null) {
    return { ...base, chain: [], effective: null, reason: 'uncovered', message: 'no grid cell covers any part of this parcel' }
  }
  const { chain, byId } = await chainFrom(db, parcel.cell_id, at, contacts)
  return {
    ...base,
    chain,
    effective: effectiveOf(chain, byId, false),
    /** machine-readable: uncovered | inherited | straddling | matched */
    reason: parcel.status === 'unowned' ? 'uncovered' : parcel.status,
    message:
      parcel.status === 'unowned'
        ? `${Math.round(parcel.uncovered_area_m2 ?? 0)} m² of this parcel is covered by no cell`
        : parcel.status === 'inherited'
          ? `its cell ${parcel.cell_code} is vacant; accountability passes up by the territorial fallback rule`
          : null,
  }
}
