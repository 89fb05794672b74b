// Regions (the jurisdictions to be fully covered) and the neighbouring areas drawn for context, as the
// API shows them.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import * as regions from '../db/repositories/regions.repository.js'
import { notFound } from '../errors.js'
import type { Polygonal } from '../contract/common.js'

export async function listRegions(db: Kysely<DB>) {
  return (await regions.listRegions(db)).map((r) => ({
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    bbox: r.bbox,
    areaM2: r.area_m2,
  }))
}

/** A region's outline as a GeoJSON Feature; 404 for an unknown code. */
export async function regionOutline(db: Kysely<DB>, code: string) {
  const r = await regions.regionOutline(db, code)
  if (!r) throw notFound('region', code)
  return {
    type: 'Feature' as const,
    id: r.id,
    properties: { code: r.code, name: r.name, nameEn: r.name_en },
    geometry: JSON.parse(r.geometry) as Polygonal,
  }
}

/** The context areas as GeoJSON text built in SQL (sent without parsing it again). */
export function contextAreasGeoJSON(db: Kysely<DB>): Promise<string> {
  return regions.contextAreasGeoJSON(db)
}
