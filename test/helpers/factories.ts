// Factories that write through the real repositories/services: each test builds the world it needs.
import type { Kysely } from 'kysely'
import type { Polygon, MultiPolygon } from 'geojson'
import type { DB, Role } from '../../server/src/db/schema.js'
import { insertRegion } from '../../server/src/db/repositories/regions.repository.js'
import { insertCells } from '../../server/src/db/repositories/cells.repository.js'
import { insertParcels } from '../../server/src/db/repositories/parcels.repository.js'
import { insertPerson, insertResponsibility } from '../../server/src/db/repositories/people.repository.js'
import { rematch } from '../../server/src/db/repositories/matching.repository.js'
import { recordCellVersions } from '../../server/src/db/repositories/cell-versions.repository.js'

/** An axis-aligned box polygon in degrees. Near 113°E 35°N, 0.001° ≈ 91 m east-west, 111 m north-south. */
export function box(minLon: number, minLat: number, maxLon: number, maxLat: number): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [minLon, minLat],
        [maxLon, minLat],
        [maxLon, maxLat],
        [minLon, maxLat],
        [minLon, minLat],
      ],
    ],
  }
}

export function factories(db: Kysely<DB>) {
  return {
    async region(code = 'R1', geometry: Polygon | MultiPolygon = box(113, 35, 113.1, 35.1)) {
      return insertRegion(db, { code, name: `Region ${code}`, nameEn: null, geojson: JSON.stringify(geometry) })
    },
    async cell(c: {
      regionId: number
      code: string
      level: number
      parentCode?: string | null
      geometry: Polygon | MultiPolygon
      name?: string
    }) {
      const [row] = await insertCells(db, [
        {
          regionId: c.regionId,
          code: c.code,
          name: c.name ?? `Cell ${c.code}`,
          nameEn: null,
          level: c.level,
          parentCode: c.parentCode ?? null,
          geojson: JSON.stringify(c.geometry),
        },
      ])
      await recordCellVersions(db, [row!.id], new Date('2020-01-01T00:00:00Z'), 'factory', 'test world')
      return row!
    },
    async person(name = 'Person') {
      return insertPerson(db, { name, phone: '13900000000', organisation: 'Test' })
    },
    async duty(d: { personId: number; cellId: number; role: Role; startsOn?: string; endsOn?: string | null }) {
      return insertResponsibility(db, {
        personId: d.personId,
        cellId: d.cellId,
        role: d.role,
        startsOn: d.startsOn ?? '2020-01-01',
        endsOn: d.endsOn ?? null,
      })
    },
    /** a person as chief and another as member: a staffed leaf cell */
    async staff(cellId: number, names: [string, string] = ['Chief', 'Member']) {
      const chief = await insertPerson(db, { name: names[0], phone: '13900000001' })
      const member = await insertPerson(db, { name: names[1], phone: '13900000002' })
      await insertResponsibility(db, {
        personId: chief.id,
        cellId,
        role: 'grid_chief',
        startsOn: '2020-01-01',
        endsOn: null,
      })
      await insertResponsibility(db, {
        personId: member.id,
        cellId,
        role: 'grid_member',
        startsOn: '2020-01-01',
        endsOn: null,
      })
      return { chief, member }
    },
    async parcel(p: { regionId: number; externalId: string; geometry: Polygon | MultiPolygon; landUse?: 'farmland' }) {
      const [id] = await insertParcels(db, p.regionId, [
        {
          externalId: p.externalId,
          landUse: p.landUse ?? 'farmland',
          ownerName: null,
          geojson: JSON.stringify(p.geometry),
        },
      ])
      return id!
    },
    async rematchAll(regionId: number, toleranceM2 = 10) {
      return rematch(db, { kind: 'region', regionId }, toleranceM2)
    },
  }
}
