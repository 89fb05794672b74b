// Validity judged by PostGIS, for many geometries in one round trip.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface Validity {
  valid: boolean
  reason: string | null
  location: [number, number] | null
  areaM2: number
}

export async function checkValidity(db: Executor, geojson: string[]): Promise<Validity[]> {
  if (geojson.length === 0) return []
  const { rows } = await sql<{ i: number; valid: boolean; reason: string | null; x: number | null; y: number | null; area: number }>`
    SELECT t.i::int AS i, d.valid, d.reason, ST_X(d.location) AS x, ST_Y(d.location) AS y,
           CASE WHEN d.valid THEN ST_Area(g.geom::geography) ELSE 0 END AS area
    FROM unnest(${geojson}::text[]) WITH ORDINALITY AS t(txt, i)
    CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(t.txt), 4326) AS geom) g
    CROSS JOIN LATERAL ST_IsValidDetail(g.geom) d
    ORDER BY t.i`.execute(db)
  return rows.map((r) => ({
    valid: r.valid,
    reason: r.reason,
    location: r.x === null || r.y === null ? null : [r.x, r.y],
    areaM2: r.area,
  }))
}

/** ST_MakeValid, keeping only the polygonal parts; null when nothing polygonal is left. */
export async function repairPolygonal(
  db: Executor,
  geojson: string,
): Promise<{ geojson: string; areaBeforeM2: number; areaAfterM2: number } | null> {
  const { rows } = await sql<{ repaired: string | null; before: number; after: number }>`
    WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326) AS geom),
    r AS (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) AS geom, geom AS original FROM g)
    SELECT CASE WHEN ST_IsEmpty(geom) THEN NULL ELSE ST_AsGeoJSON(geom, 9) END AS repaired,
           COALESCE(ST_Area(original::geography), 0) AS before,
           COALESCE(ST_Area(geom::geography), 0) AS after
    FROM r`.execute(db)
  const row = rows[0]
  if (!row?.repaired) return null
  return { geojson: row.repaired, areaBeforeM2: row.before, areaAfterM2: row.after }
}
