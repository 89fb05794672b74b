// Parcel writes: each one rematches only the parcel it changes.
import type { Kysely } from 'kysely'
import type { DB, LandUse } from '../db/schema.js'
import * as parcels from '../db/repositories/parcels.repository.js'
import { rematch } from '../db/repositories/matching.repository.js'
import { listRegions, findRegionByCode } from '../db/repositories/regions.repository.js'
import { descendantIds, findCell } from '../db/repositories/cells.repository.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'
import { badRequest, conflict, notFound } from '../errors.js'
import { assertValidPolygonal } from './allowed-gaps.service.js'
import { accountabilityOfParcel } from './accountability.service.js'
import { assertInRegion } from './region-checks.js'
import { LAND_USES } from './import.service.js'

function checkLandUse(landUse: string | undefined) {
  if (landUse !== undefined && !LAND_USES.includes(landUse as LandUse)) {
    throw badRequest('invalid_land_use', `body parameter "landUse" must be one of ${LAND_USES.join(', ')}`)
  }
}

export async function createParcel(
  db: Kysely<DB>,
  actor: Actor,
  input: { externalId: string; landUse: string; ownerName?: string | null; geometry: unknown; region?: string },
  toleranceM2: number,
  at: string,
) {
  checkLandUse(input.landUse)
  await assertValidPolygonal(db, input.geometry)
  const id = await db.transaction().execute(async (tx) => {
    const region = input.region ? await findRegionByCode(tx, input.region) : (await listRegions(tx))[0]
    if (!region)
      throw input.region ? notFound('region', input.region) : badRequest('no_region', 'import a region first')
    if ((await parcels.existingExternalIds(tx, [input.externalId])).size)
      throw conflict('duplicate_parcel', `parcel "${input.externalId}" already exists`)
    await assertInRegion(tx, region.id, input.geometry, toleranceM2)
    const [newId] = await parcels.insertParcels(tx, region.id, [
      {
        externalId: input.externalId,
        landUse: input.landUse as LandUse,
        ownerName: input.ownerName ?? null,
        geojson: JSON.stringify(input.geometry),
      },
    ])
    await rematch(tx, { kind: 'parcels', parcelIds: [newId!] }, toleranceM2)
    await insertAudit(tx, {
      actor,
      action: 'create',
      entityType: 'parcel',
      entityId: newId!,
      after: { externalId: input.externalId, landUse: input.landUse, geometry: input.geometry },
    })
    return newId!
  })
  return accountabilityOfParcel(db, id, at, true)
}

export async function updateParcel(
  db: Kysely<DB>,
  actor: Actor,
  id: number,
  input: { landUse?: string; ownerName?: string | null; geometry?: unknown },
  toleranceM2: number,
  at: string,
) {
  checkLandUse(input.landUse)
  if (input.geometry !== undefined) await assertValidPolygonal(db, input.geometry)
  await db.transaction().execute(async (tx) => {
    const before = await parcels.parcelMatch(tx, { id }, at)
    if (!before) throw notFound('parcel', id)
    if (input.geometry !== undefined)
      await assertInRegion(tx, (await parcels.findParcel(tx, { id }))!.region_id, input.geometry, toleranceM2)
    await parcels.updateParcel(tx, id, {
      geojson: input.geometry === undefined ? undefined : JSON.stringify(input.geometry),
      landUse: input.landUse as LandUse | undefined,
      ownerName: input.ownerName,
    })
    if (input.geometry !== undefined) await rematch(tx, { kind: 'parcels', parcelIds: [id] }, toleranceM2)
    await insertAudit(tx, {
      actor,
      action: 'update',
      entityType: 'parcel',
      entityId: id,
      before: { landUse: before.land_use, ownerName: before.owner_name, geometry: JSON.parse(before.geometry) },
      after: input,
    })
  })
  return accountabilityOfParcel(db, id, at, true)
}

export async function deleteParcel(db: Kysely<DB>, actor: Actor, id: number) {
  await db.transaction().execute(async (tx) => {
    const row = await parcels.deleteParcel(tx, id)
    if (!row) throw notFound('parcel', id)
    await insertAudit(tx, { actor, action: 'delete', entityType: 'parcel', entityId: id, before: row })
  })
}

export const PARCEL_STATUSES = ['matched', 'straddling', 'unowned', 'inherited']

/**
 * Parcels as GeoJSON text built in SQL, with the total before paging. `status` is the comma-separated
 * list from the query string (an unknown status is a 400 naming it); `cell` keeps the parcels matched to
 * that cell or the cells below it.
 */
export async function parcelFeatureCollection(
  db: Kysely<DB>,
  q: Omit<parcels.ParcelFilter, 'statuses' | 'cellIds' | 'externalIds'> & { status?: string; cell?: string },
) {
  const statuses = q.status?.split(',').map((s) => s.trim())
  const unknown = statuses?.filter((s) => !PARCEL_STATUSES.includes(s))
  if (unknown?.length)
    throw badRequest(
      'invalid_status',
      `querystring parameter "status" has unknown value(s) ${unknown.join(', ')}; use ${PARCEL_STATUSES.join(', ')}`,
    )
  const cellIds = q.cell === undefined ? undefined : await cellAndDescendantIds(db, q.cell)
  const { status: _status, cell: _cell, ...filter } = q
  return parcels.parcelFeatures(db, { ...filter, statuses, cellIds })
}

/** A cell and every active cell below it (for "parcels in this cell"). */
export async function cellAndDescendantIds(db: Kysely<DB>, code: string): Promise<number[]> {
  const cell = await findCell(db, { code })
  if (!cell || cell.retired_at) throw notFound('cell', code)
  return [cell.id, ...(await descendantIds(db, cell.id))]
}
