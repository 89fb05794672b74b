import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { rematch, rematchObjects, statusCounts, type MatchScope } from '../db/repositories/matching.repository.js'
import { findRegionByCode } from '../db/repositories/regions.repository.js'
import { notFound } from '../errors.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'

export interface RematchReport {
  region: string
  parcels: number
  counts: Record<string, number>
  seconds: number
}

/** Full rematch of a region's parcels: the recovery path; edits use rematchScope. */
export async function rematchRegion(
  db: Kysely<DB>,
  actor: Actor,
  regionCode: string,
  toleranceM2: number,
  at: string,
): Promise<RematchReport> {
  const region = await findRegionByCode(db, regionCode)
  if (!region) throw notFound('region', regionCode)
  const started = performance.now()
  // the rematch and its audit row commit together
  return db.transaction().execute(async (tx) => {
    const parcels = await rematch(tx, { kind: 'region', regionId: region.id }, toleranceM2)
    const objects = await rematchObjects(tx, { kind: 'region', regionId: region.id }, toleranceM2)
    const seconds = (performance.now() - started) / 1000
    const counts = await statusCounts(tx, region.id, at)
    await insertAudit(tx, {
      actor,
      action: 'rematch',
      entityType: 'region',
      entityId: region.code,
      after: { parcels, objects, counts },
    })
    return { region: region.code, parcels, counts, seconds }
  })
}

/** Incremental rematch of only what a change touches. */
export function rematchScope(db: Kysely<DB>, scope: MatchScope, toleranceM2: number) {
  return rematch(db, scope, toleranceM2)
}
