// Parcel ↔ leaf-cell matching, set-based in one statement per scope. A parcel wholly covered by one
// cell takes the fast path (ST_CoveredBy, no intersection geometry is built).
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../schema.js'
import { statusCase } from './parcels.repository.js'

type Executor = Kysely<DB> | Transaction<DB>

export type MatchScope =
  | { kind: 'region'; regionId: number }
  | { kind: 'parcels'; parcelIds: number[] }
  /** every parcel touching this GeoJSON geometry (a changed boundary, old ∪ new) */
  | { kind: 'area'; geojson: string }

function scopeFilter(scope: MatchScope): RawBuilder<boolean> {
  switch (scope.kind) {
    case 'region':
      return sql<boolean>`p.region_id = ${scope.regionId}`
    case 'parcels':
      return sql<boolean>`p.id = ANY(${scope.parcelIds}::int[])`
    case 'area':
      return sql<boolean>`ST_Intersects(p.boundary, ST_SetSRID(ST_GeomFromGeoJSON(${scope.geojson}), 4326))`
  }
}

/**
 * Recomputes and stores the matches of every parcel in scope; returns how many were written.
 *
 * Shaped for the planner (EXPLAIN-checked at 10⁶ parcels, see bench/): the join runs from the leaf
 * cells' pieces (grid_cells_subdivided, kept by triggers) into the GiST index of parcels, so each
 * piece is the first argument of many consecutive ST_Intersects/ST_Covers calls and PostGIS reuses its
 * prepared geometry; a parcel covered by one piece skips the intersection, and its geodesic area is
 * computed once. Per-cell and per-parcel figures come from GROUP BYs over the pairs. (Correlated
 * subqueries over a CTE of pairs, or a CTE of leaf cells, are scanned without an index: quadratic.)
 * Pieces of one cell do not overlap, so a cell's share of a parcel is the sum over its pieces.
 */
export async function rematch(db: Executor, scope: MatchScope, toleranceM2: number): Promise<number> {
  const inScope = scopeFilter(scope)
  const result = await sql`
    WITH pair AS (
      SELECT p.id AS parcel_id, s.cell_id, s.code, ST_Covers(s.geom, p.boundary) AS covered, s.geom, p.boundary
      FROM grid_cells_subdivided s
      JOIN parcels p ON ST_Intersects(s.geom, p.boundary)
      WHERE s.is_leaf AND ${inScope}
    ),
    hit AS (
      SELECT pr.parcel_id, pr.cell_id, pr.code, bool_or(pr.covered) AS covered,
             sum(ST_Area((CASE WHEN pr.covered THEN pr.boundary ELSE ST_Intersection(pr.boundary, pr.geom) END)::geography)) AS area_m2
      FROM pair pr
      GROUP BY pr.parcel_id, pr.cell_id, pr.code
    ),
    per_hit AS (
      SELECT h.parcel_id,
        (array_agg(h.cell_id ORDER BY h.area_m2 DESC, h.code) FILTER (WHERE h.area_m2 > 0))[1] AS cell_id,
        count(*) FILTER (WHERE h.area_m2 > ${toleranceM2}) AS big_shares,
        jsonb_agg(jsonb_build_object('cellId', h.cell_id, 'areaM2', h.area_m2) ORDER BY h.area_m2 DESC, h.code)
          FILTER (WHERE h.area_m2 > ${toleranceM2}) AS shares,
        max(h.area_m2) FILTER (WHERE h.covered) AS covered_area,
        array_agg(h.cell_id) AS cells
      FROM hit h GROUP BY h.parcel_id
    ),
    per_parcel AS (
      SELECT p.id, COALESCE(a.covered_area, ST_Area(p.boundary::geography)) AS area, a.cell_id,
        COALESCE(a.big_shares, 0) AS big_shares, COALESCE(a.shares, '[]'::jsonb) AS shares,
        CASE
          WHEN a.covered_area IS NOT NULL THEN 0
          WHEN a.parcel_id IS NULL THEN ST_Area(p.boundary::geography)
          ELSE GREATEST(0, ST_Area(ST_Difference(p.boundary,
                 (SELECT ST_Union(c.boundary) FROM grid_cells c WHERE c.id = ANY(a.cells)))::geography))
        END AS uncovered
      FROM parcels p LEFT JOIN per_hit a ON a.parcel_id = p.id
      WHERE ${inScope}
    )
    INSERT INTO parcel_matches (parcel_id, cell_id, placement, shares, parcel_area_m2, uncovered_area_m2, matched_at)
    SELECT id, cell_id,
           CASE WHEN uncovered > ${toleranceM2} THEN 'uncovered'
                WHEN big_shares >= 2 THEN 'straddling'
                ELSE 'inside' END,
           shares, area, uncovered, now()
    FROM per_parcel
    ON CONFLICT (parcel_id) DO UPDATE SET
      cell_id = EXCLUDED.cell_id, placement = EXCLUDED.placement, shares = EXCLUDED.shares,
      parcel_area_m2 = EXCLUDED.parcel_area_m2, uncovered_area_m2 = EXCLUDED.uncovered_area_m2,
      matched_at = EXCLUDED.matched_at`.execute(db)
  const written = Number(result.numAffectedRows ?? 0)
  // The embedded database can drop rows instead of raising a geometry error (electric-sql/pglite#916):
  // every parcel in scope must have been written.
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM parcels p WHERE ${scopeFilter(scope)}`.execute(db)
  if (rows[0]!.n !== written) throw new Error(`rematch wrote ${written} of ${rows[0]!.n} parcels in scope; a geometry operation failed`)
  return written
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
