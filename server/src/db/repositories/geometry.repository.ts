// Validity judged by PostGIS, for many geometries in one round trip.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../schema.js'
import { difference, geomFromGeoJSON, geomRef } from '../postgis.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface Validity {
  valid: boolean
  reason: string | null
  location: [number, number] | null
  areaM2: number
}

export async function checkValidity(db: Executor, geojson: string[]): Promise<Validity[]> {
  if (geojson.length === 0) return []
  const { rows } = await sql<{
    i: number
    valid: boolean
    reason: string | null
    x: number | null
    y: number | null
    area: number
  }>`
    SELECT t.i::int AS i, d.valid, d.reason, ST_X(d.location) AS x, ST_Y(d.location) AS y,
           CASE WHEN d.valid THEN ST_Area(g.geom::geography) ELSE 0 END AS area
    FROM unnest(${geojson}::text[]) WITH ORDINALITY AS t(txt, i)
    CROSS JOIN LATERAL (SELECT ${geomFromGeoJSON(sql.ref<string>('t.txt'))} AS geom) g
    CROSS JOIN LATERAL ST_IsValidDetail(g.geom) d
    ORDER BY t.i`.execute(db)
  return rows.map((r) => ({
    valid: r.valid,
    reason: r.reason,
    location: r.x === null || r.y === null ? null : [r.x, r.y],
    areaM2: r.area,
  }))
}

/**
 * ST_MakeValid, keeping only the polygonal parts; null when nothing valid and polygonal is left.
 *
 * The repaired geometry travels back as GeoJSON with 9 decimals and is stored from that text, and
 * rounding can break it again: a tiny lobe of a bow-tie whose crossing point lies within 1e-9° of a
 * vertex collapses to a ring of too few points. So the text returned is validated exactly as it will be
 * stored; when rounding broke it, the rounded geometry is repaired once more (the collapsed part
 * drops out) and validated again; when that fails too, null: the feature is listed, never stored.
 */
export async function repairPolygonal(
  db: Executor,
  geojson: string,
): Promise<{ geojson: string; areaBeforeM2: number; areaAfterM2: number } | null> {
  const { rows } = await sql<{ repaired: string | null; before: number; after: number | null }>`
    WITH g AS (SELECT ${geomFromGeoJSON(geojson)} AS geom),
    first AS (SELECT geom AS original, ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)), 9) AS txt FROM g),
    first_back AS (SELECT original, txt, ${geomFromGeoJSON(sql.ref<string>('txt'))} AS geom FROM first),
    second AS (
      SELECT original, txt AS first_txt, ST_IsValid(geom) AND NOT ST_IsEmpty(geom) AS first_ok,
             CASE WHEN ST_IsValid(geom) THEN NULL
                  ELSE ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)), 9) END AS txt
      FROM first_back
    ),
    chosen AS (
      SELECT original, CASE WHEN first_ok THEN first_txt ELSE txt END AS txt FROM second
    ),
    stored AS (SELECT original, txt, ${geomFromGeoJSON(sql.ref<string>('txt'))} AS geom FROM chosen WHERE txt IS NOT NULL)
    SELECT CASE WHEN ST_IsValid(geom) AND NOT ST_IsEmpty(geom) THEN txt END AS repaired,
           COALESCE(ST_Area(original::geography), 0) AS before,
           CASE WHEN ST_IsValid(geom) AND NOT ST_IsEmpty(geom) THEN ST_Area(geom::geography) END AS after
    FROM stored`.execute(db)
  const row = rows[0]
  if (!row?.repaired) return null
  return { geojson: row.repaired, areaBeforeM2: row.before, areaAfterM2: row.after ?? 0 }
}

export interface Outside {
  areaM2: number
  /** a point of the part outside the region; null when none is */
  location: [number, number] | null
}

/**
 * For each geometry (GeoJSON text, valid) and its region: the area in m² lying outside the region's
 * boundary and a point of it (the bounding-box and covered-by tests first, so the usual case costs no
 * overlay). Throws when the database answers fewer rows than asked (PGlite answers a failed GEOS op
 * with none, rather than an error).
 */
export async function outsideRegions(db: Executor, items: { regionId: number; geojson: string }[]): Promise<Outside[]> {
  if (items.length === 0) return []
  const { rows } = await sql<{ i: number; outside: number; x: number | null; y: number | null }>`
    WITH o AS (
      SELECT t.i,
             CASE WHEN r.boundary IS NULL OR NOT (g.geom && r.boundary) THEN g.geom
                  WHEN ST_CoveredBy(g.geom, r.boundary) THEN NULL
                  ELSE ${difference(geomRef('g.geom'), geomRef('r.boundary'))} END AS part
      FROM unnest(${items.map((x) => x.regionId)}::int[], ${items.map((x) => x.geojson)}::text[]) WITH ORDINALITY AS t(region_id, txt, i)
      CROSS JOIN LATERAL (SELECT ${geomFromGeoJSON(sql.ref<string>('t.txt'))} AS geom) g
      LEFT JOIN regions r ON r.id = t.region_id
    )
    SELECT i::int AS i, COALESCE(ST_Area(part::geography), 0) AS outside,
           CASE WHEN part IS NULL OR ST_IsEmpty(part) THEN NULL ELSE ST_X(ST_PointOnSurface(part)) END AS x,
           CASE WHEN part IS NULL OR ST_IsEmpty(part) THEN NULL ELSE ST_Y(ST_PointOnSurface(part)) END AS y
    FROM o ORDER BY i`.execute(db)
  if (rows.length !== items.length)
    throw new Error(`outsideRegions: ${rows.length} answers for ${items.length} geometries`)
  return rows.map((r) => ({ areaM2: r.outside, location: r.x === null || r.y === null ? null : [r.x, r.y] }))
}
