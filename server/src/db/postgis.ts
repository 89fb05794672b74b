// Typed PostGIS helpers: each takes and returns Kysely expressions, so geometry work composes into
// queries without raw SQL strings in repositories. Values are always bound parameters.
import { sql, type Expression, type RawBuilder } from 'kysely'

export type Geom = { readonly __geom: unique symbol }
export type Geog = { readonly __geog: unique symbol }

/**
 * GeoJSON text → geometry in EPSG:4326. A string is sent as a bound parameter; an expression (a column
 * of unnest(…), `e->>'g'`) is used as it is.
 */
export const geomFromGeoJSON = (geojson: string | Expression<string | null>): RawBuilder<Geom> =>
  sql<Geom>`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)`

/** A geometry column or alias of the surrounding SQL (`'c.boundary'`), for the helpers below. */
export const geomRef = (reference: string): RawBuilder<Geom> => sql.ref<Geom>(reference)

/** Force any polygonal geometry to a MultiPolygon (the storage type of every boundary). */
export const multi = (g: Expression<Geom>): RawBuilder<Geom> => sql<Geom>`ST_Multi(${g})`

/** Geometry → GeoJSON text with 7 decimals (about 1 cm), built in the database. */
export const asGeoJSON = (g: Expression<Geom | string>, decimals = 7): RawBuilder<string> =>
  sql<string>`ST_AsGeoJSON(${g}, ${sql.lit(decimals)})`

/** Geodesic area in m² on the WGS84 spheroid. */
export const areaM2 = (g: Expression<Geom | string>): RawBuilder<number> => sql<number>`ST_Area((${g})::geography)`

export const point = (lon: number, lat: number): RawBuilder<Geom> =>
  sql<Geom>`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`

export const envelope = (b: readonly [number, number, number, number]): RawBuilder<Geom> =>
  sql<Geom>`ST_MakeEnvelope(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]}, 4326)`

export const intersects = (a: Expression<Geom | string>, b: Expression<Geom | string>): RawBuilder<boolean> =>
  sql<boolean>`ST_Intersects(${a}, ${b})`

export const contains = (a: Expression<Geom | string>, b: Expression<Geom | string>): RawBuilder<boolean> =>
  sql<boolean>`ST_Contains(${a}, ${b})`

/** [minLon, minLat, maxLon, maxLat] as a float8 array. */
export const bboxOf = (g: Expression<Geom | string>): RawBuilder<number[]> =>
  sql<number[]>`ARRAY[ST_XMin(${g}), ST_YMin(${g}), ST_XMax(${g}), ST_YMax(${g})]::float8[]`

/** Lighter geometry for overview zooms; topology preserved so shared edges stay shared enough to draw. */
export const simplify = (g: Expression<Geom | string>, toleranceDeg: number): RawBuilder<Geom> =>
  sql<Geom>`ST_SimplifyPreserveTopology(${g}, ${toleranceDeg})`

export interface ValidityDetail {
  valid: boolean
  reason: string | null
  location: [number, number] | null
}

/**
 * Every overlay (ST_Union, ST_Difference, ST_Intersection) in the repositories passes a grid size of
 * 1e-9° (about 0.1 mm), which makes GEOS use its robust fixed-precision overlay. Without it, near-
 * coincident edges can raise a TopologyException — and the embedded PGlite does not report that error
 * but returns zero rows (electric-sql/pglite#916), which would silently hide gaps.
 */
export const OVERLAY_GRID_DEG = 1e-9

const grid = sql.lit(OVERLAY_GRID_DEG)

/** ST_Union of two geometries on the overlay grid (see OVERLAY_GRID_DEG). */
export const union = (a: Expression<Geom | string>, b: Expression<Geom | string>): RawBuilder<Geom> =>
  sql<Geom>`ST_Union(${a}, ${b}, ${grid})`

/** The ST_Union aggregate on the overlay grid (see OVERLAY_GRID_DEG). */
export const unionAgg = (g: Expression<Geom | string>): RawBuilder<Geom> => sql<Geom>`ST_Union(${g}, ${grid})`

/** ST_Difference (a minus b) on the overlay grid (see OVERLAY_GRID_DEG). */
export const difference = (a: Expression<Geom | string>, b: Expression<Geom | string>): RawBuilder<Geom> =>
  sql<Geom>`ST_Difference(${a}, ${b}, ${grid})`

/** ST_Intersection on the overlay grid (see OVERLAY_GRID_DEG). */
export const intersection = (a: Expression<Geom | string>, b: Expression<Geom | string>): RawBuilder<Geom> =>
  sql<Geom>`ST_Intersection(${a}, ${b}, ${grid})`

/** An empty geometry in EPSG:4326: what the union of no geometries is taken to be. */
export const emptyGeometry = (): RawBuilder<Geom> => sql<Geom>`ST_SetSRID('GEOMETRYCOLLECTION EMPTY'::geometry, 4326)`
