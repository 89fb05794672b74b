// The raw-SQL floors each measurement is compared with: one hand-written statement each.

// ---------------------------------------------------------------------------------------------------
// Floors: one hand-written statement each.
export const FLOOR_REMATCH = `
  CREATE TABLE bench_floor_match AS
  SELECT DISTINCT ON (p.id) p.id AS parcel_id, c.id AS cell_id, ST_Area(ST_Intersection(p.boundary, c.boundary)::geography) AS area_m2
  FROM parcels p JOIN grid_cells c ON ST_Intersects(p.boundary, c.boundary)
  WHERE c.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL)
  ORDER BY p.id, area_m2 DESC`

export const FLOOR_INCREMENTAL = `
  SELECT DISTINCT ON (p.id) p.id AS parcel_id, c.id AS cell_id, ST_Area(ST_Intersection(p.boundary, c.boundary)::geography) AS area_m2
  FROM parcels p JOIN grid_cells c ON ST_Intersects(p.boundary, c.boundary)
  WHERE ST_Intersects(p.boundary, (SELECT boundary FROM grid_cells WHERE code = $1))
    AND c.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = c.id AND k.retired_at IS NULL)
  ORDER BY p.id, area_m2 DESC`

export const FLOOR_COVERAGE = `
  WITH parents AS (SELECT p.id, p.boundary FROM grid_cells p WHERE EXISTS (SELECT 1 FROM grid_cells k WHERE k.parent_id = p.id)),
  gaps AS (SELECT p.id, ST_Difference(p.boundary, ST_Union(k.boundary)) AS g FROM parents p JOIN grid_cells k ON k.parent_id = p.id GROUP BY p.id, p.boundary),
  ovl AS (SELECT a.id, b.id AS b, ST_Intersection(a.boundary, b.boundary) AS g FROM grid_cells a JOIN grid_cells b
               ON a.parent_id = b.parent_id AND a.id < b.id AND ST_Relate(a.boundary, b.boundary, '2********'))
  SELECT (SELECT count(*) FROM gaps WHERE NOT ST_IsEmpty(g)) AS gaps, (SELECT count(*) FROM ovl) AS overlaps`

export const FLOOR_POINT = `
  SELECT c.code, c.level, pe.name, r.role
  FROM grid_cells c
  LEFT JOIN responsibilities r ON r.cell_id = c.id AND r.starts_on <= $3::date AND (r.ends_on IS NULL OR r.ends_on >= $3::date)
  LEFT JOIN people pe ON pe.id = r.person_id
  WHERE c.retired_at IS NULL AND ST_Intersects(c.boundary, ST_SetSRID(ST_MakePoint($1, $2), 4326))
  ORDER BY c.level DESC`

export function floorTileSql(layer: string) {
  const table = layer === 'parcels' ? 'parcels' : 'grid_cells'
  return `SELECT ST_AsMVT(t, '${layer}', 4096, 'geom') FROM (
    SELECT id, ST_AsMVTGeom(ST_Transform(boundary, 3857), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
    FROM ${table} WHERE boundary && ST_Transform(ST_TileEnvelope($1, $2, $3), 4326)) t WHERE geom IS NOT NULL`
}
