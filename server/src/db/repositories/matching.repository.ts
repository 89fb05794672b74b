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

/** Recomputes and stores the matches of every parcel in scope; returns how many were written. */
export async function rematch(db: Executor, scope: MatchScope, toleranceM2: number): Promise<number> {
  const result = await sql`
    WITH target AS (
      SELECT p.id, p.boundary, ST_Area(p.boundary::geography) AS area
      FROM parcels p WHERE ${scopeFilter(scope)}
    ),
    leaf AS (
      SELECT c.id, c.code, c.boundary FROM grid_cells c
      WHERE c.retired_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL)
    ),
    hit AS (
      SELECT t.id AS parcel_id, l.id AS cell_id, l.code, covered,
             CASE WHEN covered THEN t.area ELSE ST_Area(ST_Intersection(t.boundary, l.boundary)::geography) END AS area_m2
      FROM target t
      JOIN leaf l ON ST_Intersects(t.boundary, l.boundary)
      CROSS JOIN LATERAL (SELECT ST_CoveredBy(t.boundary, l.boundary) AS covered) cv
    ),
    per_parcel AS (
      SELECT t.id, t.area,
        (SELECT h.cell_id FROM hit h WHERE h.parcel_id = t.id AND h.area_m2 > 0
          ORDER BY h.area_m2 DESC, h.code LIMIT 1) AS cell_id,
        (SELECT count(*) FROM hit h WHERE h.parcel_id = t.id AND h.area_m2 > ${toleranceM2}) AS big_shares,
        COALESCE((SELECT jsonb_agg(jsonb_build_object('cellId', h.cell_id, 'areaM2', h.area_m2) ORDER BY h.area_m2 DESC, h.code)
                  FROM hit h WHERE h.parcel_id = t.id AND h.area_m2 > ${toleranceM2}), '[]'::jsonb) AS shares,
        CASE
          WHEN EXISTS (SELECT 1 FROM hit h WHERE h.parcel_id = t.id AND h.covered) THEN 0
          WHEN NOT EXISTS (SELECT 1 FROM hit h WHERE h.parcel_id = t.id) THEN t.area
          ELSE GREATEST(0, ST_Area(ST_Difference(t.boundary,
                 (SELECT ST_Union(l.boundary) FROM hit h JOIN leaf l ON l.id = h.cell_id WHERE h.parcel_id = t.id))::geography))
        END AS uncovered
      FROM target t
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
  return Number(result.numAffectedRows ?? 0)
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
