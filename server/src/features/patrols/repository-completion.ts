// A month's patrol figures for each leaf cell of a scope, in one statement: the accepted objects
// matched to the cell and the visits their risk levels require; check-ins counted one a day per object
// (four check-ins one afternoon are not four weekly visits), at most its requirement; patrols whose
// track has a point in the cell; parcels matched to the cell within a distance of any track of the
// month. The month runs from its first to its last day in the service's time zone.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export type CompletionScope = { kind: 'region'; regionId: number } | { kind: 'cell'; cellId: number }

export interface CellFiguresRow {
  id: number
  code: string
  name: string
  objects: number
  required: number
  made: number
  on_schedule: number
  patrols: number
  parcels: number
  covered: number
}

export interface ObjectVisitsRow {
  id: number
  code: string
  name: string
  cell_code: string
  required: number
  made: number
}

function leaves(scope: CompletionScope) {
  const inScope =
    scope.kind === 'region'
      ? sql`c.region_id = ${scope.regionId}`
      : sql`c.id IN (WITH RECURSIVE sub AS (
            SELECT id FROM grid_cells WHERE id = ${scope.cellId}
            UNION ALL SELECT k.id FROM grid_cells k JOIN sub ON k.parent_id = sub.id WHERE k.retired_at IS NULL
          ) SELECT id FROM sub)`
  return sql`SELECT c.id, c.code, c.name, c.boundary FROM grid_cells c
    WHERE c.retired_at IS NULL AND ${inScope}
      AND NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL)`
}

/** The month's first and next month's first instant (t0, t1) in the service's time zone. */
export const monthBounds = (month: string, timeZone: string) => sql`
  SELECT ((${month} || '-01')::date::timestamp AT TIME ZONE ${timeZone}) AS t0,
         ((((${month} || '-01')::date + interval '1 month')::date)::timestamp AT TIME ZONE ${timeZone}) AS t1`

/**
 * Each accepted object of the leaf cells filed before the month ended: visits required, and days with a
 * check-in (capped at that). An object filed during the month owes the whole month's visits.
 */
const objectVisits = (timeZone: string) => sql`
  SELECT o.id, o.code, o.name, m.cell_id, pf.visits_per_month AS required,
         LEAST(pf.visits_per_month, (
           SELECT count(DISTINCT (ci.checked_at AT TIME ZONE ${timeZone})::date) FROM patrol_check_ins ci, b
           WHERE ci.object_id = o.id AND ci.checked_at >= b.t0 AND ci.checked_at < b.t1))::int AS made
  FROM supervised_objects o
  JOIN object_matches m ON m.object_id = o.id
  JOIN patrol_frequencies pf ON pf.risk_level = o.risk_level
  WHERE o.status = 'accepted' AND o.created_at < (SELECT t1 FROM b) AND m.cell_id IN (SELECT id FROM leaves)`

export async function cellFigures(
  db: Executor,
  scope: CompletionScope,
  month: string,
  timeZone: string,
  distanceM: number,
): Promise<CellFiguresRow[]> {
  // a bounding-box margin (degrees) at least as wide as the distance at these latitudes, so the
  // parcels' spatial index narrows the exact geodesic test
  const marginDeg = (distanceM / 111000) * 3
  const { rows } = await sql<CellFiguresRow>`
    WITH b AS (${monthBounds(month, timeZone)}),
    leaves AS (${leaves(scope)}),
    ov AS (${objectVisits(timeZone)}),
    pts AS (
      SELECT pp.patrol_id, pp.recorded_at, pp.geom FROM patrol_points pp, b
      WHERE pp.recorded_at >= b.t0 AND pp.recorded_at < b.t1
    ),
    tracks AS (
      SELECT patrol_id,
             CASE WHEN count(*) > 1 THEN ST_MakeLine(geom ORDER BY recorded_at) ELSE ST_Collect(geom) END AS line
      FROM pts GROUP BY patrol_id
    ),
    covered AS (
      SELECT DISTINCT p.id FROM tracks t
      JOIN parcels p ON p.boundary && ST_Expand(t.line, ${marginDeg})
       AND ST_DWithin(p.boundary::geography, t.line::geography, ${distanceM})
    ),
    cell_patrols AS (
      SELECT l.id AS cell_id, count(DISTINCT p.patrol_id)::int AS n
      FROM leaves l JOIN pts p ON ST_Intersects(l.boundary, p.geom) GROUP BY l.id
    ),
    cell_parcels AS (
      SELECT m.cell_id, count(*)::int AS parcels, count(cv.id)::int AS covered
      FROM parcel_matches m LEFT JOIN covered cv ON cv.id = m.parcel_id
      WHERE m.cell_id IN (SELECT id FROM leaves) GROUP BY m.cell_id
    ),
    cell_objects AS (
      SELECT cell_id, count(*)::int AS objects, sum(required)::int AS required, sum(made)::int AS made,
             count(*) FILTER (WHERE made >= required)::int AS on_schedule
      FROM ov GROUP BY cell_id
    )
    SELECT l.id, l.code, l.name, COALESCE(co.objects, 0) AS objects, COALESCE(co.required, 0) AS required,
           COALESCE(co.made, 0) AS made, COALESCE(co.on_schedule, 0) AS on_schedule,
           COALESCE(cp.n, 0) AS patrols, COALESCE(pa.parcels, 0) AS parcels, COALESCE(pa.covered, 0) AS covered
    FROM leaves l
    LEFT JOIN cell_objects co ON co.cell_id = l.id
    LEFT JOIN cell_patrols cp ON cp.cell_id = l.id
    LEFT JOIN cell_parcels pa ON pa.cell_id = l.id
    ORDER BY l.code`.execute(db)
  return rows
}

/** Accepted objects of the scope's leaf cells visited less often than required in the month. */
export async function behindSchedule(
  db: Executor,
  scope: CompletionScope,
  month: string,
  timeZone: string,
): Promise<ObjectVisitsRow[]> {
  const { rows } = await sql<ObjectVisitsRow>`
    WITH b AS (${monthBounds(month, timeZone)}),
    leaves AS (${leaves(scope)}),
    ov AS (${objectVisits(timeZone)})
    SELECT ov.id, ov.code, ov.name, c.code AS cell_code, ov.required, ov.made
    FROM ov JOIN grid_cells c ON c.id = ov.cell_id
    WHERE ov.made < ov.required ORDER BY c.code, ov.code`.execute(db)
  return rows
}
