// "Land lies in its region": one rule for imported cells and parcels, edited top-level cells and parcels
// created or moved through the API. More than the match tolerance outside the region is refused.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { outsideRegions } from '../db/repositories/geometry.repository.js'
import { AppError } from '../errors.js'

/** Throws 422 outside_region when the (valid) geometry lies more than `toleranceM2` outside the region. */
export async function assertInRegion(
  db: Kysely<DB>,
  regionId: number,
  geometry: unknown,
  toleranceM2: number,
  parameter = 'geometry',
) {
  const [outside] = await outsideRegions(db, [{ regionId, geojson: JSON.stringify(geometry) }])
  if (outside!.areaM2 > toleranceM2) {
    const m2 = Math.round(outside!.areaM2 * 10) / 10
    throw new AppError(
      422,
      'outside_region',
      `body parameter "${parameter}" lies ${m2.toLocaleString('en-US')} m² outside the region (more than the match tolerance of ${toleranceM2} m²)`,
      {
        areaM2: m2,
        location: outside!.location,
      },
    )
  }
}
