import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { cellBbox, personCellIdsWithDescendants, searchCells } from '../db/repositories/cells.repository.js'
import { searchPeople } from '../db/repositories/people.repository.js'
import { searchParcels } from '../db/repositories/parcels.repository.js'
import { searchObjects } from '../features/objects/repository.js'

/** `inventory`: include supervised objects (signed-in users; the inventory is not on the public map). */
export async function search(db: Kysely<DB>, q: string, limit: number, today: string, inventory = false) {
  if (!q) return []
  const [cells, people, parcels, objects] = await Promise.all([
    searchCells(db, q, limit),
    searchPeople(db, q, limit),
    searchParcels(db, q, limit),
    inventory ? searchObjects(db, q, limit) : Promise.resolve([]),
  ])
  const peopleHits = await Promise.all(
    people.map(async (p) => ({
      type: 'person' as const,
      id: p.id,
      key: String(p.id),
      label: p.name,
      detail: [p.name_en, p.organisation].filter(Boolean).join(' · '),
      bbox: await cellBbox(db, await personCellIdsWithDescendants(db, p.id, today)),
    })),
  )
  return [
    ...cells.map((c) => ({
      type: 'cell' as const,
      id: c.id,
      key: c.code,
      label: c.name,
      detail: `${c.code} · level ${c.level}`,
      bbox: c.bbox,
    })),
    ...peopleHits,
    ...parcels.map((p) => ({
      type: 'parcel' as const,
      id: p.id,
      key: p.external_id,
      label: p.external_id,
      detail: [p.land_use, p.owner_name].filter(Boolean).join(' · '),
      bbox: p.bbox,
    })),
    ...objects.map((o) => ({
      type: 'object' as const,
      id: o.id,
      key: o.code,
      label: o.name,
      detail: `${o.code} · ${o.type_name}`,
      bbox: o.bbox,
    })),
  ].slice(0, limit * 4)
}
