// SQL for boundary edits. Every function runs inside the edit's transaction; validation reads the
// state the edit has produced so far, so what is checked is exactly what would be committed.
import { sql, type Transaction } from 'kysely'
import type { DB } from '../schema.js'
import {
  areaM2,
  asGeoJSON,
  difference,
  emptyGeometry,
  geomFromGeoJSON,
  geomRef,
  intersection,
  union,
  unionAgg,
  type Geom,
} from '../postgis.js'
import { statusCase } from './parcels.repository.js'

type Tx = Transaction<DB>

export interface LockedCell {
  id: number
  code: string
  name: string
  level: number
  parent_id: number | null
  region_id: number
  version: number
  retired_at: Date | null
  has_children: boolean
}

/** Locks the cells' parents (or regions) so concurrent edits of siblings serialise, then the cells. */
export async function lockCells(tx: Tx, codes: string[]): Promise<LockedCell[]> {
  await sql`
    SELECT p.id FROM grid_cells p
    WHERE p.id IN (SELECT parent_id FROM grid_cells WHERE code = ANY(${codes}::text[]))
    ORDER BY p.id FOR UPDATE`.execute(tx)
  await sql`
    SELECT r.id FROM regions r
    WHERE r.id IN (SELECT region_id FROM grid_cells WHERE code = ANY(${codes}::text[]) AND parent_id IS NULL)
    ORDER BY r.id FOR UPDATE`.execute(tx)
  const { rows } = await sql<LockedCell>`
    SELECT c.id, c.code, c.name, c.level, c.parent_id, c.region_id, c.version, c.retired_at,
           EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL) AS has_children
    FROM grid_cells c WHERE c.code = ANY(${codes}::text[]) ORDER BY c.id FOR UPDATE`.execute(tx)
  return rows
}

export async function lockParent(tx: Tx, parentId: number) {
  await sql`SELECT id FROM grid_cells WHERE id = ${parentId} FOR UPDATE`.execute(tx)
}

export async function cellState(tx: Tx, cellId: number) {
  const { rows } = await sql<{
    code: string
    name: string
    version: number
    geometry: string
    area_m2: number
    retired: boolean
  }>`
    SELECT code, name, version, ST_AsGeoJSON(boundary, 7) AS geometry, ST_Area(boundary::geography) AS area_m2, retired_at IS NOT NULL AS retired
    FROM grid_cells WHERE id = ${cellId}`.execute(tx)
  return rows[0]
}

export async function geometryOf(tx: Tx, cellId: number): Promise<string> {
  const { rows } = await sql<{
    g: string
  }>`SELECT ST_AsGeoJSON(boundary, 9) AS g FROM grid_cells WHERE id = ${cellId}`.execute(tx)
  return rows[0]!.g
}

/** Sets a cell's boundary to a GeoJSON geometry (optionally clipped to its parent) and bumps its version. */
export async function setBoundary(tx: Tx, cellId: number, geojson: string, clipToParent: boolean) {
  await sql`
    UPDATE grid_cells c SET
      boundary = ST_Multi(ST_CollectionExtract(
        CASE WHEN ${clipToParent} AND p.id IS NOT NULL
             THEN ${intersection(geomFromGeoJSON(geojson), geomRef('p.boundary'))}
             ELSE ${geomFromGeoJSON(geojson)} END, 3)),
      version = c.version + 1, updated_at = now()
    FROM grid_cells c0 LEFT JOIN grid_cells p ON p.id = c0.parent_id
    WHERE c.id = ${cellId} AND c0.id = c.id`.execute(tx)
}

export async function insertCell(
  tx: Tx,
  c: {
    regionId: number
    parentId: number
    code: string
    name: string
    level: number
    geojson: string
    clipToParent: boolean
  },
) {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO grid_cells (region_id, code, name, level, parent_id, boundary)
    SELECT ${c.regionId}, ${c.code}, ${c.name}, ${c.level}, ${c.parentId},
           ST_Multi(ST_CollectionExtract(CASE WHEN ${c.clipToParent}
             THEN ${intersection(geomFromGeoJSON(c.geojson), geomRef('p.boundary'))}
             ELSE ${geomFromGeoJSON(c.geojson)} END, 3))
    FROM grid_cells p WHERE p.id = ${c.parentId}
    RETURNING id`.execute(tx)
  return rows[0]!.id
}

export async function retireCell(tx: Tx, cellId: number, at: Date) {
  await sql`UPDATE grid_cells SET retired_at = ${at}, version = version + 1, updated_at = now() WHERE id = ${cellId}`.execute(
    tx,
  )
}

export async function unretireCell(tx: Tx, cellId: number) {
  await sql`UPDATE grid_cells SET retired_at = NULL, version = version + 1, updated_at = now() WHERE id = ${cellId}`.execute(
    tx,
  )
}

/** Ends the open responsibilities of a cell that is retired (merged away or deleted). */
export async function endDutiesOf(tx: Tx, cellId: number, lastDay: string) {
  const { rows } = await sql<{ id: number }>`
    UPDATE responsibilities SET ends_on = ${lastDay}::date
    WHERE cell_id = ${cellId} AND (ends_on IS NULL OR ends_on > ${lastDay}::date) AND starts_on <= ${lastDay}::date
    RETURNING id`.execute(tx)
  return rows.map((r) => r.id)
}

export async function isEmptyOrNotPolygonal(tx: Tx, cellId: number): Promise<boolean> {
  const { rows } = await sql<{ empty: boolean }>`
    SELECT boundary IS NULL OR ST_IsEmpty(boundary) OR ST_Area(boundary::geography) < 1 AS empty FROM grid_cells WHERE id = ${cellId}`.execute(
    tx,
  )
  return rows[0]!.empty
}

/** Area of the cell outside its parent, with a point there. */
export async function spillOutsideParent(tx: Tx, cellId: number) {
  const { rows } = await sql<{ area_m2: number; point: number[] | null }>`
    WITH d AS (
      SELECT ${difference(geomRef('c.boundary'), geomRef('p.boundary'))} AS g
      FROM grid_cells c JOIN grid_cells p ON p.id = c.parent_id WHERE c.id = ${cellId}
    )
    SELECT COALESCE(ST_Area(g::geography), 0) AS area_m2,
           CASE WHEN ST_IsEmpty(g) THEN NULL ELSE ARRAY[ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g))]::float8[] END AS point
    FROM d`.execute(tx)
  return rows[0] ?? { area_m2: 0, point: null }
}

/** Active siblings whose interiors the cell overlaps, with the overlap area and a point in it. */
export async function siblingOverlaps(tx: Tx, cellId: number) {
  const { rows } = await sql<{ id: number; code: string; area_m2: number; point: number[] }>`
    WITH me AS (SELECT id, parent_id, region_id, boundary FROM grid_cells WHERE id = ${cellId}),
    x AS (
      SELECT s.id, s.code, ST_CollectionExtract(${intersection(geomRef('s.boundary'), geomRef('me.boundary'))}, 3) AS g
      FROM grid_cells s, me
      WHERE s.id <> me.id AND s.retired_at IS NULL
        AND s.parent_id IS NOT DISTINCT FROM me.parent_id AND s.region_id = me.region_id
        AND s.boundary && me.boundary AND ST_Relate(s.boundary, me.boundary, '2********')
    )
    SELECT id, code, ST_Area(g::geography) AS area_m2,
           ARRAY[ST_X(ST_PointOnSurface(g)), ST_Y(ST_PointOnSurface(g))]::float8[] AS point
    FROM x WHERE NOT ST_IsEmpty(g) ORDER BY code`.execute(tx)
  return rows
}

/** Removes the cell's area from the given siblings; returns the siblings changed. */
export async function trimSiblings(tx: Tx, cellId: number, siblingIds: number[]) {
  if (siblingIds.length === 0) return []
  const { rows } = await sql<{ id: number }>`
    UPDATE grid_cells s SET
      boundary = ST_Multi(ST_CollectionExtract(${difference(geomRef('s.boundary'), geomRef('me.boundary'))}, 3)),
      version = s.version + 1, updated_at = now()
    FROM grid_cells me
    WHERE me.id = ${cellId} AND s.id = ANY(${siblingIds}::int[])
    RETURNING s.id`.execute(tx)
  return rows.map((r) => r.id)
}

/** Children (active) of the cell that now lie partly outside it. */
export async function childrenOutside(tx: Tx, cellId: number) {
  const { rows } = await sql<{ code: string; area_m2: number }>`
    SELECT k.code, ${areaM2(difference(geomRef('k.boundary'), geomRef('c.boundary')))} AS area_m2
    FROM grid_cells k JOIN grid_cells c ON c.id = k.parent_id
    WHERE c.id = ${cellId} AND k.retired_at IS NULL AND NOT ST_CoveredBy(k.boundary, c.boundary)`.execute(tx)
  return rows
}

/** Pieces of a cell cut by a line, largest first (GeoJSON). */
export async function splitPieces(
  tx: Tx,
  cellId: number,
  lineGeojson: string,
): Promise<{ geojson: string; area_m2: number }[]> {
  const { rows } = await sql<{ geojson: string; area_m2: number }>`
    WITH c AS (SELECT boundary FROM grid_cells WHERE id = ${cellId}),
    pieces AS (
      SELECT (ST_Dump(ST_CollectionExtract(ST_Split(c.boundary, ${geomFromGeoJSON(lineGeojson)}), 3))).geom AS g FROM c
    )
    SELECT ST_AsGeoJSON(g, 9) AS geojson, ST_Area(g::geography) AS area_m2 FROM pieces ORDER BY ST_Area(g::geography) DESC`.execute(
    tx,
  )
  return rows
}

/** Whether two cells share an edge (not just a point). */
export async function shareEdge(tx: Tx, a: number, b: number): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`
    SELECT ST_Relate(x.boundary, y.boundary, '****1****') OR ST_Relate(x.boundary, y.boundary, '2********') AS ok
    FROM grid_cells x, grid_cells y WHERE x.id = ${a} AND y.id = ${b}`.execute(tx)
  return rows[0]?.ok ?? false
}

export async function unionInto(tx: Tx, keepId: number, otherGeojson: string) {
  await sql`
    UPDATE grid_cells SET boundary = ST_Multi(ST_CollectionExtract(${union(geomRef('boundary'), geomFromGeoJSON(otherGeojson))}, 3)),
      version = version + 1, updated_at = now()
    WHERE id = ${keepId}`.execute(tx)
}

export async function subtract(tx: Tx, cellId: number, geojson: string) {
  await sql`
    UPDATE grid_cells SET boundary = ST_Multi(ST_CollectionExtract(${difference(geomRef('boundary'), geomFromGeoJSON(geojson))}, 3)),
      version = version + 1, updated_at = now()
    WHERE id = ${cellId}`.execute(tx)
}

/** The gap piece (parent area no child covers) that contains a point, as GeoJSON. */
export async function gapPieceAt(tx: Tx, parentId: number, lon: number, lat: number) {
  const { rows } = await sql<{ geojson: string; area_m2: number }>`
    WITH d AS (
      SELECT ${difference(
        geomRef('p.boundary'),
        sql<Geom>`COALESCE(
          (SELECT ${unionAgg(geomRef('k.boundary'))} FROM grid_cells k WHERE k.parent_id = p.id AND k.retired_at IS NULL),
          ${emptyGeometry()})`,
      )} AS g
      FROM grid_cells p WHERE p.id = ${parentId}
    ),
    pieces AS (SELECT (ST_Dump(ST_CollectionExtract(g, 3))).geom AS g FROM d)
    SELECT ST_AsGeoJSON(g, 9) AS geojson, ST_Area(g::geography) AS area_m2 FROM pieces
    WHERE ST_Intersects(g, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))
    ORDER BY ST_Area(g) DESC LIMIT 1`.execute(tx)
  return rows[0]
}

/** The overlap piece of two cells that contains a point, as GeoJSON. */
export async function overlapPieceAt(tx: Tx, a: number, b: number, lon: number, lat: number) {
  const { rows } = await sql<{ geojson: string; area_m2: number }>`
    WITH pieces AS (
      SELECT (ST_Dump(ST_CollectionExtract(${intersection(geomRef('x.boundary'), geomRef('y.boundary'))}, 3))).geom AS g
      FROM grid_cells x, grid_cells y WHERE x.id = ${a} AND y.id = ${b}
    )
    SELECT ST_AsGeoJSON(g, 9) AS geojson, ST_Area(g::geography) AS area_m2 FROM pieces
    WHERE ST_Intersects(g, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))
    ORDER BY ST_Area(g) DESC LIMIT 1`.execute(tx)
  return rows[0]
}

/** The next free child code under a parent: parent code + the next sequence number at the siblings' width. */
export async function nextChildCode(tx: Tx, parentId: number): Promise<string> {
  const { rows } = await sql<{ code: string }>`
    WITH p AS (SELECT code FROM grid_cells WHERE id = ${parentId}),
    sib AS (
      SELECT substr(c.code, length(p.code) + 1) AS suffix FROM grid_cells c, p
      WHERE c.parent_id = ${parentId} AND starts_with(c.code, p.code) AND substr(c.code, length(p.code) + 1) ~ '^[0-9]+$'
    )
    SELECT p.code || lpad(((SELECT COALESCE(max(suffix::bigint), 0) FROM sib) + 1)::text,
                          GREATEST(3, (SELECT COALESCE(max(length(suffix)), 3) FROM sib)), '0') AS code
    FROM p`.execute(tx)
  return rows[0]!.code
}

export interface AccountabilitySnapshotRow {
  id: number
  external_id: string
  status: string
  cell_code: string | null
  accountable_code: string | null
  people: string[] | null
}

/** For parcels touching an area: status, assigned cell, accountable cell and its people on a day. */
export async function accountabilitySnapshot(
  tx: Tx,
  areaGeojson: string,
  day: string,
): Promise<AccountabilitySnapshotRow[]> {
  const { rows } = await sql<AccountabilitySnapshotRow>`
    WITH area AS (SELECT ${geomFromGeoJSON(areaGeojson)} AS g),
    touched AS (
      SELECT DISTINCT m.cell_id FROM parcels p JOIN parcel_matches m ON m.parcel_id = p.id
      WHERE m.cell_id IS NOT NULL AND ST_Intersects(p.boundary, (SELECT g FROM area))
    ),
    -- only the cells these parcels are matched to (and their ancestors), not the whole grid
    acc AS (SELECT * FROM cell_accountability_of(ARRAY(SELECT cell_id FROM touched), ${day}::date))
    SELECT p.id, p.external_id,
           ${statusCase(sql.ref('m.placement'), sql.ref('a.status'))} AS status,
           c.code AS cell_code, ac.code AS accountable_code,
           (SELECT array_agg(pe.name || ' (' || r.role || ')' ORDER BY r.role, pe.name)
              FROM responsibilities r JOIN people pe ON pe.id = r.person_id
             WHERE r.cell_id = a.accountable_cell_id AND r.starts_on <= ${day}::date
               AND (r.ends_on IS NULL OR r.ends_on >= ${day}::date)) AS people
    FROM parcels p
    JOIN parcel_matches m ON m.parcel_id = p.id
    LEFT JOIN acc a ON a.cell_id = m.cell_id
    LEFT JOIN grid_cells c ON c.id = m.cell_id
    LEFT JOIN grid_cells ac ON ac.id = a.accountable_cell_id
    WHERE ST_Intersects(p.boundary, (SELECT g FROM area))
    ORDER BY p.id`.execute(tx)
  return rows
}

/** The union of several geometries (GeoJSON in, GeoJSON out). */
export async function unionOf(tx: Tx, geojson: string[]): Promise<string> {
  const { rows } = await sql<{ g: string }>`
    SELECT ${asGeoJSON(unionAgg(geomFromGeoJSON(sql.ref<string>('x'))), 9)} AS g FROM unnest(${geojson}::text[]) AS x`.execute(
    tx,
  )
  return rows[0]!.g
}

/** Pairs (i, j) where before[i] and after[j] share area. */
export async function overlappingPairs(tx: Tx, before: string[], after: string[]): Promise<[number, number][]> {
  if (before.length === 0 || after.length === 0) return []
  const { rows } = await sql<{ i: number; j: number }>`
    SELECT (a.i - 1)::int AS i, (b.j - 1)::int AS j
    FROM unnest(${before}::text[]) WITH ORDINALITY AS a(g, i), unnest(${after}::text[]) WITH ORDINALITY AS b(g, j)
    WHERE ST_Relate(${geomFromGeoJSON(sql.ref<string>('a.g'))}, ${geomFromGeoJSON(sql.ref<string>('b.g'))}, '2********')`.execute(
    tx,
  )
  return rows.map((r) => [r.i, r.j])
}

// ---------------------------------------------------------------------------------------------
// Edit ids: which cell versions one saved edit wrote, so it can be undone as a whole

export async function insertEdit(
  tx: Tx,
  e: { operation: string; undoes: number | null; changedBy: string; reason: string; at: Date },
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO boundary_edits (operation, undoes, changed_by, reason, created_at)
    VALUES (${e.operation}, ${e.undoes}, ${e.changedBy}, ${e.reason}, ${e.at}) RETURNING id`.execute(tx)
  return rows[0]!.id
}

export async function editExists(tx: Tx, editId: number): Promise<boolean> {
  const { rows } = await sql<{
    ok: boolean
  }>`SELECT EXISTS (SELECT 1 FROM boundary_edits WHERE id = ${editId}) AS ok`.execute(tx)
  return rows[0]!.ok
}

export interface EditedCell {
  cell_id: number
  code: string
  /** the version the edit left the cell at */
  version_after: number
  /** the cell_versions row of the state just before the edit; null when the edit created the cell */
  prior_row_id: number | null
  prior_retired: boolean | null
  /** that state's boundary (full precision), for the area the undo touches */
  prior_geometry: string | null
  /** the cell is still as the edit left it (same version, or an identical boundary, name and status) */
  unchanged_since: boolean
}

/** Every cell an edit wrote a version of, with the state it had just before the edit. */
export async function editedCells(tx: Tx, editId: number): Promise<EditedCell[]> {
  const { rows } = await sql<EditedCell>`
    SELECT v.cell_id, c.code, v.version AS version_after, p.id AS prior_row_id, p.retired AS prior_retired,
           ST_AsGeoJSON(p.boundary, 15) AS prior_geometry,
           c.version = v.version OR (c.name = v.name AND (c.retired_at IS NOT NULL) = v.retired
             AND ST_Equals(c.boundary, v.boundary)) AS unchanged_since
    FROM cell_versions v
    JOIN grid_cells c ON c.id = v.cell_id
    LEFT JOIN LATERAL (
      SELECT id, retired, boundary FROM cell_versions o
      WHERE o.cell_id = v.cell_id AND o.version < v.version ORDER BY o.version DESC LIMIT 1
    ) p ON true
    WHERE v.edit_id = ${editId}
    ORDER BY c.code`.execute(tx)
  return rows
}

/** Puts back a cell's boundary and name exactly as a stored version had them (no GeoJSON round trip). */
export async function revertToVersion(tx: Tx, cellId: number, versionRowId: number) {
  await sql`
    UPDATE grid_cells c SET boundary = v.boundary, name = v.name, version = c.version + 1, updated_at = now()
    FROM cell_versions v
    WHERE c.id = ${cellId} AND v.id = ${versionRowId} AND v.cell_id = c.id`.execute(tx)
}
