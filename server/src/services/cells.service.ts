import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import * as cells from '../db/repositories/cells.repository.js'
import { responsibilitiesOfCells, type ResponsibilityRow } from '../db/repositories/people.repository.js'
import { findRegionByCode } from '../db/repositories/regions.repository.js'
import { statusCountsOfCells } from '../db/repositories/parcels.repository.js'
import { notFound } from '../errors.js'
import { addDays } from './dates.js'
import type { CellDetail } from '../contract/cells.js'
import type { ParcelCounts, Polygonal } from '../contract/common.js'

export async function supervisorCellIds(db: Kysely<DB>, personId: number, today: string): Promise<Set<number>> {
  return new Set(await cells.personCellIdsWithDescendants(db, personId, today))
}

export interface CellQuery {
  region?: string
  level?: number
  parent?: string
  bbox?: [number, number, number, number]
  at: string
  expiringSoonDays: number
  contacts: boolean
  simplify: number
  limit: number
  offset: number
}

export async function cellCollection(db: Kysely<DB>, q: CellQuery) {
  let regionId: number | undefined
  let parentId: number | undefined
  if (q.region) {
    const region = await findRegionByCode(db, q.region)
    if (!region) throw notFound('region', q.region)
    regionId = region.id
  }
  if (q.parent) {
    const parent = await cells.findCell(db, { code: q.parent })
    if (!parent) throw notFound('cell', q.parent)
    parentId = parent.id
  }
  return cells.cellFeatures(db, {
    regionId,
    parentId,
    level: q.level,
    bbox: q.bbox,
    at: q.at,
    soon: addDays(q.at, q.expiringSoonDays),
    contacts: q.contacts,
    simplify: q.simplify,
    limit: q.limit,
    offset: q.offset,
  })
}

export const personToApi = (r: ResponsibilityRow, contacts: boolean) => ({
  responsibilityId: r.id,
  personId: r.person_id,
  name: r.person_name,
  nameEn: r.person_name_en,
  role: r.role,
  phone: contacts ? r.phone : null,
  organisation: r.organisation,
  startsOn: r.starts_on,
  endsOn: r.ends_on,
})

export async function cellDetail(db: Kysely<DB>, code: string, at: string, contacts: boolean): Promise<CellDetail> {
  const cell = await cells.findCell(db, { code })
  if (!cell) throw notFound('cell', code)
  const detail = (await cells.cellDetail(db, cell.id, at))!
  const [children, current, history, counts] = await Promise.all([
    cells.childCells(db, cell.id),
    responsibilitiesOfCells(db, [cell.id], at),
    responsibilitiesOfCells(db, [cell.id], null),
    statusCountsOfCells(db, [cell.id], at),
  ])
  return {
    id: detail.id,
    code: detail.code,
    name: detail.name,
    nameEn: detail.name_en,
    level: detail.level,
    version: detail.version,
    retired: detail.retired_at !== null,
    parentCode: detail.parent_code,
    parentName: detail.parent_name,
    regionCode: detail.region_code,
    areaM2: detail.area_m2,
    bbox: detail.bbox,
    geometry: JSON.parse(detail.geometry) as Polygonal,
    staffing: detail.staffing as CellDetail['staffing'],
    accountableCode: detail.accountable_code,
    children: children.map((c) => ({ code: c.code, name: c.name, level: c.level })),
    people: current.map((r) => personToApi(r, contacts)),
    history: history.map((r) => personToApi(r, contacts)),
    parcelCounts: counts as ParcelCounts,
  }
}
