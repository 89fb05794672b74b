// Parcel (and supervised object) ↔ leaf-cell matching, set-based in one statement per scope. A polygon
// wholly covered by one cell takes the fast path (ST_CoveredBy, no intersection geometry is built).
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../schema.js'
import { geomFromGeoJSON, geomRef, intersects } from '../postgis.js'
import { statusCase } from './parcels.repository.js'

type Executor = Kysely<DB> | Transaction<DB>

export type MatchScope =
  | { kind: 'region'; regionId: number }
  | { kind: 'parcels'; parcelIds: number[] }
  /** every parcel touching this GeoJSON geometry (a changed boundary, old ∪ new) */
  | { kind: 'area'; geojson: string }

export type ObjectMatchScope =
  | { kind: 'region'; regionId: number }
  | { kind: 'objects'; objectIds: number[] }
  /** every object touching this GeoJSON geometry (a changed boundary, old ∪ new) */
  | { kind: 'area'; geojson: string }

/** What is matched: its table (aliased p), geometry column, and the match table with its key and area column. */
interface Subject {
  table: 'parcels' | 'supervised_objects'
  geom: 'boundary' | 'geom'
  matches: 'parcel_matches' | 'object_matches'
  key: 'parcel_id' | 'object_id'
  area: 'parcel_area_m2' | 'object_area_m2'
}
const PARCELS: Subject = {
  table: 'parcels',
  geom: 'boundary',
  matches: 'parcel_matches',
  key: 'parcel_id',
  area: 'parcel_area_m2',
}
const OBJECTS: Subject = {
  table: 'supervised_objects',
  geom: 'geom',
  matches: 'object_matches',
  key: 'object_id',
  area: 'object_area_m2',
}

function scopeFilter(scope: MatchScope | ObjectMatchScope, geom: Subject['geom']): RawBuilder<boolean> {
  switch (scope.kind) {
    case 'region':
      return sql<boolean>`p.region_id = ${scope.regionId}`
    case 'parcels':
      return sql<boolean>`p.id = ANY(${scope.parcelIds}::int[])`
    case 'objects':
      return sql<boolean>`p.id = ANY(${scope.objectIds}::int[])`
    case 'area':
      return intersects(geomRef(`p.${geom}`), geomFromGeoJSON(scope.geojson))
  }
}

/**
 * Recomputes and stores the matches of every parcel in scope; returns how many were written.
 *
 * One statement, shaped for the planner (EXPLAIN-checked at 10⁵–10⁶ parcels, see bench/README.md):
 *  - the join runs from the leaf cells' pieces (grid_cells_subdivided, kept by triggers) into the GiST
 *    index of parcels, so a piece is the first argument of many consecutive ST_Intersects/ST_Covers
 *    calls and PostGIS reuses its prepared geometry;
 *  - a parcel covered by one piece skips the intersection (ST_Covers fast path) and its geodesic area
 *    is computed once; pieces of one cell do not overlap, so a cell's share is the sum over its pieces;
 *  - per-cell and per-parcel figures come from GROUP BYs over the pairs, and parcels that touch no leaf
 *    cell are added through a hashed NOT IN. Nothing joins two large sets on an estimate: the planner
 *    cannot estimate grouped geometry results, and a nested loop over them is quadratic (correlated
 *    subqueries over a CTE of pairs were too).
 */
export async function rematch(db: Executor, scope: MatchScope, toleranceM2: number): Promise<number> {
  return rematchPolygonal(db, PARCELS, scopeFilter(scope, 'boundary'), toleranceM2)
}

/**
 * Recomputes the matches of the supervised objects in scope by the parcel rules: a polygon by its
 * shares (as `rematch`), a point to the leaf cell covering it — a cell whose interior holds it before
 * one it touches on the edge, then the lowest code, as the point lookup chooses — or to none
 * (uncovered). Returns how many matches were written.
 */
export async function rematchObjects(db: Executor, scope: ObjectMatchScope, toleranceM2: number): Promise<number> {
  const inScope = scopeFilter(scope, 'geom')
  const polygons = await rematchPolygonal(db, OBJECTS, sql`${inScope} AND GeometryType(p.geom) <> 'POINT'`, toleranceM2)
  const points = await sql`
    INSERT INTO object_matches (object_id, cell_id, placement, shares, object_area_m2, uncovered_area_m2, matched_at)
    SELECT p.id, hit.cell_id, CASE WHEN hit.cell_id IS NULL THEN 'uncovered' ELSE 'inside' END, '[]'::jsonb,
           NULL, NULL, now()
    FROM supervised_objects p
    LEFT JOIN LATERAL (
      SELECT s.cell_id FROM grid_cells_subdivided s JOIN grid_cells c ON c.id = s.cell_id
      WHERE s.is_leaf AND ST_Covers(s.geom, p.geom)
      ORDER BY ST_Contains(c.boundary, p.geom) DESC, c.code LIMIT 1
    ) hit ON TRUE
    WHERE ${inScope} AND GeometryType(p.geom) = 'POINT'
    ON CONFLICT (object_id) DO UPDATE SET
      cell_id = EXCLUDED.cell_id, placement = EXCLUDED.placement, shares = EXCLUDED.shares,
      object_area_m2 = NULL, uncovered_area_m2 = NULL, matched_at = EXCLUDED.matched_at`.execute(db)
  return polygons + Number(points.numAffectedRows ?? 0)
}

async function rematchPolygonal(
  db: Executor,
  subject: Subject,
  inScope: RawBuilder<unknown>,
  toleranceM2: number,
): Promise<number> {
  const table = sql.table(subject.table)
  const geom = sql.ref(`p.${subject.geom}`)
  const matches = sql.table(subject.matches)
  const key = sql.ref(subject.key)
  const area = sql.ref(subject.area)
  const result = await sql`
    WITH hit AS (
      SELECT p.id AS ${key}, s.cell_id, s.code, bool_or(cv.covered) AS covered,
             sum(ST_Area((CASE WHEN cv.covered THEN ${geom} ELSE ST_Intersection(${geom}, s.geom) END)::geography)) AS area_m2,
             ST_Union(s.geom) FILTER (WHERE NOT cv.covered) AS pieces,
             (array_agg(${geom}) FILTER (WHERE NOT cv.covered))[1] AS boundary
      FROM grid_cells_subdivided s
      JOIN ${table} p ON ST_Intersects(s.geom, ${geom})
      CROSS JOIN LATERAL (SELECT ST_Covers(s.geom, ${geom}) AS covered) cv
      WHERE s.is_leaf AND ${inScope}
      GROUP BY s.cell_id, p.id, s.code
    ),
    per_parcel AS MATERIALIZED (
      SELECT h.${key},
        (array_agg(h.cell_id ORDER BY h.area_m2 DESC, h.code) FILTER (WHERE h.area_m2 > 0))[1] AS cell_id,
        count(*) FILTER (WHERE h.area_m2 > ${toleranceM2}) AS big_shares,
        jsonb_agg(jsonb_build_object('cellId', h.cell_id, 'areaM2', h.area_m2) ORDER BY h.area_m2 DESC, h.code)
          FILTER (WHERE h.area_m2 > ${toleranceM2}) AS shares,
        max(h.area_m2) FILTER (WHERE h.covered) AS covered_area,
        ST_Union(h.pieces) AS pieces,
        (array_agg(h.boundary) FILTER (WHERE h.boundary IS NOT NULL))[1] AS boundary
      FROM hit h GROUP BY h.${key}
    ),
    measured AS (
      SELECT ${key}, cell_id, big_shares, COALESCE(shares, '[]'::jsonb) AS shares,
             COALESCE(covered_area, ST_Area(boundary::geography)) AS area,
             CASE WHEN covered_area IS NOT NULL THEN 0
                  ELSE GREATEST(0, ST_Area(ST_Difference(boundary, pieces)::geography)) END AS uncovered
      FROM per_parcel
      UNION ALL
      SELECT p.id, NULL, 0, '[]'::jsonb, ST_Area(${geom}::geography), ST_Area(${geom}::geography)
      FROM ${table} p WHERE ${inScope} AND p.id NOT IN (SELECT ${key} FROM per_parcel)
    )
    INSERT INTO ${matches} (${key}, cell_id, placement, shares, ${area}, uncovered_area_m2, matched_at)
    SELECT ${key}, cell_id,
           CASE WHEN uncovered > ${toleranceM2} THEN 'uncovered'
                WHEN big_shares >= 2 THEN 'straddling'
                ELSE 'inside' END,
           shares, area, uncovered, now()
    FROM measured
    ON CONFLICT (${key}) DO UPDATE SET
      cell_id = EXCLUDED.cell_id, placement = EXCLUDED.placement, shares = EXCLUDED.shares,
      ${area} = EXCLUDED.${area}, uncovered_area_m2 = EXCLUDED.uncovered_area_m2,
      matched_at = EXCLUDED.matched_at`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

/** Refreshes the planner's statistics of parcels (inside a transaction it sees that transaction's rows). */
export async function analyzeParcels(db: Executor): Promise<void> {
  await sql`ANALYZE parcels`.execute(db)
}

/** Parcel counts by status as of a date, for a region. */
export async function statusCounts(db: Executor, regionId: number, at: string): Promise<Record<string, number>> {
  const { rows } = await sql<{ status: string; n: number }>`
    SELECT CASE WHEN m.parcel_id IS NULL THEN 'unmatched'
                ELSE ${statusCase(sql.ref('m.placement'), sql.ref('a.status'))} END AS status, count(*)::int AS n
    FROM parcels p
    LEFT JOIN parcel_matches m ON m.parcel_id = p.id
    LEFT JOIN cell_accountability(${at}::date) a ON a.cell_id = m.cell_id
    WHERE p.region_id = ${regionId}
    GROUP BY 1`.execute(db)
  return Object.fromEntries(rows.map((r) => [r.status, r.n]))
}
