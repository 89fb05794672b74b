import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../schema.js'
import { areaM2, asGeoJSON, bboxOf, geomFromGeoJSON, multi } from '../postgis.js'

type Executor = Kysely<DB> | Transaction<DB>

export function insertRegion(db: Executor, r: { code: string; name: string; nameEn: string | null; geojson: string }) {
  return db
    .insertInto('regions')
    .values({ code: r.code, name: r.name, name_en: r.nameEn, boundary: multi(geomFromGeoJSON(r.geojson)) as never })
    .returning(['id', 'code'])
    .executeTakeFirstOrThrow()
}

export function findRegionByCode(db: Executor, code: string) {
  return db.selectFrom('regions').select(['id', 'code', 'name', 'name_en']).where('code', '=', code).executeTakeFirst()
}

export function listRegions(db: Executor) {
  return db
    .selectFrom('regions')
    .select((eb) => [
      'id',
      'code',
      'name',
      'name_en',
      bboxOf(eb.ref('boundary')).as('bbox'),
      areaM2(eb.ref('boundary')).as('area_m2'),
    ])
    .orderBy('code')
    .execute()
}

export function regionOutline(db: Executor, code: string) {
  return db
    .selectFrom('regions')
    .select((eb) => ['id', 'code', 'name', 'name_en', asGeoJSON(eb.ref('boundary'), 6).as('geometry')])
    .where('code', '=', code)
    .executeTakeFirst()
}

export function insertContextArea(db: Executor, a: { code: string; name: string; geojson: string }) {
  return db
    .insertInto('context_areas')
    .values({ code: a.code, name: a.name, boundary: multi(geomFromGeoJSON(a.geojson)) as never })
    .execute()
}

export async function contextAreasGeoJSON(db: Executor): Promise<string> {
  const { rows } = await sql<{ fc: string }>`
    SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
      'type', 'Feature', 'id', id, 'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(boundary, 0.0002), 6)::json,
      'properties', json_build_object('code', code, 'name', name)) ORDER BY code), '[]'::json))::text AS fc
    FROM context_areas`.execute(db)
  return rows[0]!.fc
}

export async function hasAnyRegion(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('regions').select('id').limit(1).executeTakeFirst()
  return row !== undefined
}
