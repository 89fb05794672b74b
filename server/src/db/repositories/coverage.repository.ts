// Coverage rules as GIS users know them, for every parent in scope and its children:
// Must Not Have Gaps, Must Not Overlap, Must Be Covered By (parent). A region is the parent of its
// level-1 cells; every cell with children is the parent of those children.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../schema.js'
import { areaM2, difference, emptyGeometry, geomRef, intersection, unionAgg, type Geom } from '../postgis.js'
import { statusCase } from './parcels.repository.js'

type Executor = Kysely<DB> | Transaction<DB>

export type CoverageScope = { kind: 'region'; regionId: number } | { kind: 'cell'; cellId: number }

/**
 * (parent_key, parent_code, parent_level, parent_boundary) for every parent in scope, and the
 * children of each: the building blocks of every rule below.
 */
function families(scope: CoverageScope): RawBuilder<unknown> {
  const cellsInScope =
    scope.kind === 'region'
      ? sql`SELECT c.* FROM grid_cells c WHERE c.region_id = ${scope.regionId} AND c.retired_at IS NULL`
      : sql`SELECT c.* FROM sub c`
  const regionParent =
    scope.kind === 'region'
      ? sql`UNION ALL SELECT 'region:' || r.id, r.code, 0, r.boundary FROM regions r WHERE r.id = ${scope.regionId}`
      : sql``
  const regionKids =
    scope.kind === 'region'
      ? sql`UNION ALL SELECT 'region:' || c.region_id, c.id, c.code, c.name, c.level, c.boundary
            FROM scoped c WHERE c.parent_id IS NULL`
      : sql``
  const sub =
    scope.kind === 'cell'
      ? sql`sub AS (
          SELECT c.* FROM grid_cells c WHERE c.id = ${scope.cellId}
          UNION ALL
          SELECT k.* FROM grid_cells k JOIN sub ON k.parent_id = sub.id WHERE k.retired_at IS NULL
        ),`
      : sql``
  return sql`RECURSIVE ${sub}
    scoped AS (${cellsInScope}),
    parents AS (
      SELECT 'cell:' || p.id AS parent_key, p.code AS parent_code, p.level::int AS parent_level, p.boundary
      FROM scoped p WHERE EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = p.id AND k.retired_at IS NULL)
      ${regionParent}
    ),
    kids AS (
      SELECT 'cell:' || c.parent_id AS parent_key, c.id, c.code, c.name, c.level::int AS level, c.boundary
      FROM grid_cells c WHERE c.retired_at IS NULL AND c.parent_id IN (SELECT id FROM scoped)
      ${regionKids}
    )`
}

export interface GapRow {
  parent_key: string
  parent_code: string
  parent_level: number
  geometry: string
  area_m2: number
  bbox: number[]
  point: number[]
  neighbour_codes: string[] | null
  at_parent_edge: boolean
  allowed_gap_id: number | null
  allowed_reason: string | null
}

export async function gaps(db: Executor, scope: CoverageScope, sliverM2: number, minAreaM2: number): Promise<GapRow[]> {
  const { rows } = await sql<GapRow>`
    WITH ${families(scope)},
    diff AS (
      SELECT p.parent_key, p.parent_code, p.parent_level, p.boundary AS parent_boundary,
             ${difference(
               geomRef('p.boundary'),
               sql<Geom>`COALESCE(
                 (SELECT ${unionAgg(geomRef('k.boundary'))} FROM kids k WHERE k.parent_key = p.parent_key),
                 ${emptyGeometry()})`,
             )} AS g
      FROM parents p
    ),
    pieces AS (
      SELECT d.parent_key, d.parent_code, d.parent_level, d.parent_boundary, dump.geom
      FROM diff d CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(d.g, 3)) dump
    ),
    sized AS (SELECT pc.*, ST_Area(pc.geom::geography) AS area_m2 FROM pieces pc)
    SELECT s.parent_key, s.parent_code, s.parent_level, ST_AsGeoJSON(s.geom, 7) AS geometry, s.area_m2,
           ARRAY[ST_XMin(s.geom), ST_YMin(s.geom), ST_XMax(s.geom), ST_YMax(s.geom)]::float8[] AS bbox,
           ARRAY[ST_X(ST_PointOnSurface(s.geom)), ST_Y(ST_PointOnSurface(s.geom))]::float8[] AS point,
           (SELECT array_agg(k.code ORDER BY k.code) FROM kids k
             WHERE k.parent_key = s.parent_key AND ST_DWithin(k.boundary, s.geom, 1e-7)) AS neighbour_codes,
           ST_DWithin(ST_Boundary(s.parent_boundary), s.geom, 1e-7) AS at_parent_edge,
           ag.id AS allowed_gap_id, ag.reason AS allowed_reason
    FROM sized s
    LEFT JOIN LATERAL (
      SELECT a.id, a.reason FROM allowed_gaps a
      WHERE 'cell:' || a.cell_id = s.parent_key AND a.boundary && s.geom
        AND ${areaM2(intersection(geomRef('a.boundary'), geomRef('s.geom')))} >= 0.99 * s.area_m2
      ORDER BY a.id LIMIT 1
    ) ag ON TRUE
    WHERE s.area_m2 > ${sliverM2} AND s.area_m2 >= ${minAreaM2}
    ORDER BY s.area_m2 DESC, s.parent_code`.execute(db)
  return rows
}

export interface OverlapRow {
  parent_key: string
  parent_code: string
  cell_codes: string[]
  level: number
  geometry: string
  area_m2: number
  bbox: number[]
  point: number[]
}

export async function overlaps(
  db: Executor,
  scope: CoverageScope,
  sliverM2: number,
  minAreaM2: number,
): Promise<OverlapRow[]> {
  const { rows } = await sql<OverlapRow>`
    WITH ${families(scope)},
    pairs AS (
      SELECT a.parent_key, a.code AS a_code, b.code AS b_code, a.level, ${intersection(geomRef('a.boundary'), geomRef('b.boundary'))} AS g
      FROM kids a JOIN kids b
        ON a.parent_key = b.parent_key AND a.code < b.code AND a.boundary && b.boundary
       AND ST_Relate(a.boundary, b.boundary, '2********')
    ),
    pieces AS (
      SELECT pr.parent_key, pr.a_code, pr.b_code, pr.level, dump.geom
      FROM pairs pr CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(pr.g, 3)) dump
    ),
    sized AS (SELECT pc.*, ST_Area(pc.geom::geography) AS area_m2 FROM pieces pc)
    SELECT s.parent_key, p.parent_code, ARRAY[s.a_code, s.b_code] AS cell_codes, s.level,
           ST_AsGeoJSON(s.geom, 7) AS geometry, s.area_m2,
           ARRAY[ST_XMin(s.geom), ST_YMin(s.geom), ST_XMax(s.geom), ST_YMax(s.geom)]::float8[] AS bbox,
           ARRAY[ST_X(ST_PointOnSurface(s.geom)), ST_Y(ST_PointOnSurface(s.geom))]::float8[] AS point
    FROM sized s JOIN parents p ON p.parent_key = s.parent_key
    WHERE s.area_m2 > ${sliverM2} AND s.area_m2 >= ${minAreaM2}
    ORDER BY s.area_m2 DESC, s.a_code`.execute(db)
  return rows
}

export interface SpillRow {
  code: string
  parent_code: string
  area_m2: number
  point: number[]
}

/** Child area outside its parent (Must Be Covered By). */
export async function spills(db: Executor, scope: CoverageScope, sliverM2: number): Promise<SpillRow[]> {
  const { rows } = await sql<SpillRow>`
    WITH ${families(scope)},
    outside AS (
      SELECT k.code, p.parent_code, ${difference(geomRef('k.boundary'), geomRef('p.boundary'))} AS g
      FROM kids k JOIN parents p ON p.parent_key = k.parent_key
      WHERE NOT ST_CoveredBy(k.boundary, p.boundary)
    )
    SELECT code, parent_code, ST_Area(g::geography) AS area_m2,
           ARRAY[ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g))]::float8[] AS point
    FROM outside WHERE NOT ST_IsEmpty(g) AND ST_Area(g::geography) > ${sliverM2}
    ORDER BY code`.execute(db)
  return rows
}

export async function multipartCells(db: Executor, scope: CoverageScope): Promise<{ code: string; parts: number }[]> {
  const { rows } = await sql<{ code: string; parts: number }>`
    WITH ${families(scope)}
    SELECT code, ST_NumGeometries(boundary) AS parts FROM scoped
    WHERE ST_NumGeometries(boundary) > 1 ORDER BY code`.execute(db)
  return rows
}

export interface StaffingRow {
  id: number
  code: string
  name: string
  level: number
  status: string
  soon_status: string
  next_end: string | null
}

export async function staffing(db: Executor, scope: CoverageScope, at: string, soon: string): Promise<StaffingRow[]> {
  const { rows } = await sql<StaffingRow>`
    WITH ${families(scope)}
    SELECT c.id, c.code, c.name, c.level, a.status, s.status AS soon_status,
           (SELECT min(r.ends_on)::text FROM responsibilities r
             WHERE r.cell_id = c.id AND r.starts_on <= ${at}::date AND r.ends_on >= ${at}::date) AS next_end
    FROM scoped c
    JOIN cell_staffing(${at}::date) a ON a.cell_id = c.id
    JOIN cell_staffing(${soon}::date) s ON s.cell_id = c.id
    ORDER BY c.level, c.code`.execute(db)
  return rows
}

export interface ParcelIssueRow {
  id: number
  external_id: string
  status: string
  cell_code: string | null
  accountable_code: string | null
  uncovered_area_m2: number
  parcel_area_m2: number
  point: number[]
}

/** Which parcels belong to the scope: a region's own parcels, or those whose anchor lies in the cell. */
function parcelInScope(scope: CoverageScope): RawBuilder<boolean> {
  return scope.kind === 'region'
    ? sql<boolean>`p.region_id = ${scope.regionId}`
    : sql<boolean>`ST_Intersects((SELECT boundary FROM grid_cells WHERE id = ${scope.cellId}), p.anchor)`
}

/** Parcels of the scope that are unowned, straddling or inherited. */
export async function parcelIssues(
  db: Executor,
  scope: CoverageScope,
  at: string,
  limit: number,
): Promise<ParcelIssueRow[]> {
  // Only parcels not inside one cell, or inside a vacant cell, can have an issue: filter on the
  // stored match before any spatial test.
  const { rows } = await sql<ParcelIssueRow>`
    WITH acc AS (SELECT * FROM cell_accountability(${at}::date)),
    st AS (
      SELECT p.id, p.external_id, c.code AS cell_code, ac.code AS accountable_code, m.uncovered_area_m2, m.parcel_area_m2,
             ARRAY[ST_X(p.anchor), ST_Y(p.anchor)]::float8[] AS point,
             ${statusCase(sql.ref('m.placement'), sql.ref('a.status'))} AS status
      FROM parcel_matches m
      JOIN parcels p ON p.id = m.parcel_id
      LEFT JOIN acc a ON a.cell_id = m.cell_id
      LEFT JOIN grid_cells c ON c.id = m.cell_id
      LEFT JOIN grid_cells ac ON ac.id = a.accountable_cell_id
      WHERE (m.placement <> 'inside' OR a.status = 'vacant') AND ${parcelInScope(scope)}
    )
    SELECT * FROM (
      SELECT st.*, row_number() OVER (PARTITION BY status ORDER BY external_id) AS rn FROM st WHERE status <> 'matched'
    ) x WHERE rn <= ${limit} ORDER BY status, external_id`.execute(db)
  return rows
}

export interface ChildSummaryRow {
  id: number
  code: string
  name: string
  level: number
  area_m2: number
  /** the child and every active cell below it: gaps and overlaps of these parents belong to the child's row */
  subtree_ids: number[]
  cells: number
  vacant: number
  understaffed: number
  parcels: Record<string, number> | null
}

/**
 * Per direct child of the scope (a region's top-level cells, a cell's child cells): area, the cells of
 * its subtree with their staffing, and parcel counts by status.
 */
export async function childSummaries(db: Executor, scope: CoverageScope, at: string): Promise<ChildSummaryRow[]> {
  const directChildren =
    scope.kind === 'region'
      ? sql`region_id = ${scope.regionId} AND parent_id IS NULL`
      : sql`parent_id = ${scope.cellId}`
  const { rows } = await sql<ChildSummaryRow>`
    WITH RECURSIVE acc AS (SELECT * FROM cell_accountability(${at}::date)),
    top AS (SELECT id, code, name, level, boundary FROM grid_cells WHERE ${directChildren} AND retired_at IS NULL),
    sub AS (
      SELECT t.id AS top_id, t.id FROM top t
      UNION ALL
      SELECT sub.top_id, k.id FROM grid_cells k JOIN sub ON k.parent_id = sub.id WHERE k.retired_at IS NULL
    ),
    staff AS (
      SELECT sub.top_id, count(*)::int AS cells, array_agg(sub.id ORDER BY sub.id) AS subtree_ids,
             count(*) FILTER (WHERE a.status = 'vacant')::int AS vacant,
             count(*) FILTER (WHERE a.status = 'understaffed')::int AS understaffed
      FROM sub LEFT JOIN acc a ON a.cell_id = sub.id GROUP BY sub.top_id
    ),
    parcel_status AS (
      SELECT t.id AS top_id, ${statusCase(sql.ref('m.placement'), sql.ref('a.status'))} AS status
      FROM top t
      JOIN parcels p ON ST_Intersects(t.boundary, p.anchor)
      JOIN parcel_matches m ON m.parcel_id = p.id
      LEFT JOIN acc a ON a.cell_id = m.cell_id
    ),
    parcel_counts AS (
      SELECT top_id, json_object_agg(status, n) AS parcels
      FROM (SELECT top_id, status, count(*)::int AS n FROM parcel_status GROUP BY top_id, status) x
      GROUP BY top_id
    )
    SELECT t.id, t.code, t.name, t.level::int AS level, ST_Area(t.boundary::geography) AS area_m2,
           s.subtree_ids, s.cells, s.vacant, s.understaffed, pc.parcels
    FROM top t JOIN staff s ON s.top_id = t.id LEFT JOIN parcel_counts pc ON pc.top_id = t.id
    ORDER BY t.code`.execute(db)
  return rows
}

export async function scopeArea(
  db: Executor,
  scope: CoverageScope,
): Promise<{ code: string; name: string; area_m2: number; level: number }> {
  const { rows } =
    scope.kind === 'region'
      ? await sql<{ code: string; name: string; area_m2: number; level: number }>`
          SELECT code, name, ST_Area(boundary::geography) AS area_m2, 0 AS level FROM regions WHERE id = ${scope.regionId}`.execute(
          db,
        )
      : await sql<{ code: string; name: string; area_m2: number; level: number }>`
          SELECT code, name, ST_Area(boundary::geography) AS area_m2, level FROM grid_cells WHERE id = ${scope.cellId}`.execute(
          db,
        )
  return rows[0]!
}

export async function parcelStatusCountsIn(
  db: Executor,
  scope: CoverageScope,
  at: string,
): Promise<Record<string, number>> {
  const { rows } = await sql<{ status: string; n: number }>`
    SELECT ${statusCase(sql.ref('m.placement'), sql.ref('a.status'))} AS status, count(*)::int AS n
    FROM parcels p JOIN parcel_matches m ON m.parcel_id = p.id
    LEFT JOIN cell_accountability(${at}::date) a ON a.cell_id = m.cell_id
    WHERE ${parcelInScope(scope)}
    GROUP BY 1`.execute(db)
  return Object.fromEntries(rows.map((r) => [r.status, r.n]))
}

/** A parent whose children should tile it: a region (its top-level cells) or a cell (its child cells). */
function parentAndKids(parent: CoverageScope): RawBuilder<unknown> {
  return parent.kind === 'region'
    ? sql`parent AS (SELECT boundary FROM regions WHERE id = ${parent.regionId}),
          kids AS (SELECT id, code, boundary FROM grid_cells WHERE region_id = ${parent.regionId} AND parent_id IS NULL AND retired_at IS NULL)`
    : sql`parent AS (SELECT boundary FROM grid_cells WHERE id = ${parent.cellId}),
          kids AS (SELECT id, code, boundary FROM grid_cells WHERE parent_id = ${parent.cellId} AND retired_at IS NULL)`
}

/**
 * How far (geodesic metres) a point inside `parent` is from the nearest child and from the parent's
 * outline. A disc of the smaller radius lies wholly in the gap holding the point, so the gap is at
 * least π·r² big: a cheap test before computing the gap itself.
 */
export async function gapClearanceAt(
  db: Executor,
  parent: CoverageScope,
  lon: number,
  lat: number,
): Promise<number | null> {
  const { rows } = await sql<{ clearance_m: number | null }>`
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS g), ${parentAndKids(parent)}
    SELECT LEAST(
      (SELECT min(ST_Distance(k.boundary::geography, pt.g::geography)) FROM kids k),
      (SELECT ST_Distance(ST_Boundary(p.boundary)::geography, pt.g::geography) FROM parent p)
    ) AS clearance_m FROM pt`.execute(db)
  return rows[0]?.clearance_m ?? null
}

export interface GapAtPointRow {
  /** null: no gap piece holds the point (the gap is narrower than the OVERLAY_GRID_DEG grid the report works on) */
  area_m2: number | null
  /** the children bordering the gap (every child when no piece holds the point), nearest to the point first, then lowest code */
  neighbours: { id: number; code: string; distance_m: number }[] | null
}

/**
 * The piece of the parent's gap that holds the point — the same difference, on the same grid, as
 * `gaps` computes for the report, so both apply the sliver tolerance to the same area.
 * Undefined when the database could not compute the difference.
 */
export async function gapAtPoint(
  db: Executor,
  parent: CoverageScope,
  lon: number,
  lat: number,
): Promise<GapAtPointRow | undefined> {
  const { rows } = await sql<GapAtPointRow>`
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326) AS g), ${parentAndKids(parent)},
    diff AS (
      SELECT ${difference(
        geomRef('p.boundary'),
        sql<Geom>`COALESCE((SELECT ${unionAgg(geomRef('k.boundary'))} FROM kids k), ${emptyGeometry()})`,
      )} AS g
      FROM parent p
    ),
    piece AS (
      SELECT dump.geom FROM diff CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(diff.g, 3)) dump, pt
      WHERE ST_Intersects(dump.geom, pt.g) LIMIT 1
    )
    SELECT ST_Area(piece.geom::geography) AS area_m2,
           (SELECT json_agg(json_build_object('id', n.id, 'code', n.code, 'distance_m', n.d) ORDER BY n.d, n.code)
              FROM (SELECT k.id, k.code, ST_Distance(k.boundary::geography, pt.g::geography) AS d FROM kids k
                    WHERE piece.geom IS NULL OR ST_DWithin(k.boundary, piece.geom, 1e-7)) n) AS neighbours
    FROM diff CROSS JOIN pt LEFT JOIN piece ON TRUE`.execute(db)
  return rows[0]
}
