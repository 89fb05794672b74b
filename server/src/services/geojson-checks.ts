// Structural checks of GeoJSON polygons before they reach the database: each problem is named with
// its location (ring, position) so an operator can find it. Validity proper (self-intersections,
// holes outside shells) is judged by PostGIS (ST_IsValidDetail), which reports the point.
//
// Elevation: RFC 7946 allows a third number (altitude) in a position, and GIS exports often write one
// (usually 0). Boundaries here are 2D land footprints, so the third number is dropped before anything
// reaches the database (`dropElevation`) and every caller says so in its answer (an import report's
// warnings, an edit's warnings): refusing would make operators re-export every file for a number that
// changes nothing about the land, and storing it would make PostGIS reject the 2D columns (a 500).
export interface GeometryProblem {
  reason: string
  location?: [number, number] | null
}

type Position = unknown
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

function checkPosition(p: Position, where: string): GeometryProblem | null {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3) return { reason: `${where} is not a [lon, lat] position` }
  if (!p.every((v) => typeof v === 'number')) return { reason: `${where} has a non-numeric coordinate` }
  if (!p.every(isNumber)) return { reason: `${where} has a NaN or infinite coordinate` }
  const [lon, lat] = p as number[]
  if (lon! < -180 || lon! > 180 || lat! < -90 || lat! > 90) {
    return {
      reason: `${where} is out of range (lon ${lon}, lat ${lat}); coordinates must be WGS84 degrees`,
      location: [lon!, lat!],
    }
  }
  return null
}

function checkRing(ring: unknown, where: string): GeometryProblem | null {
  if (!Array.isArray(ring)) return { reason: `${where} is not an array of positions` }
  for (let i = 0; i < ring.length; i++) {
    const problem = checkPosition(ring[i], `${where} position ${i}`)
    if (problem) return problem
  }
  if (ring.length < 4)
    return {
      reason: `${where} has ${ring.length} positions; a ring needs at least 4`,
      location: ring[0] ? (ring[0] as [number, number]) : null,
    }
  const first = ring[0] as number[]
  const last = ring[ring.length - 1] as number[]
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return { reason: `${where} is not closed (first and last positions differ)`, location: [first[0]!, first[1]!] }
  }
  const distinct = new Set(ring.map((p) => `${(p as number[])[0]},${(p as number[])[1]}`))
  if (distinct.size < 3)
    return { reason: `${where} has fewer than 3 distinct positions`, location: [first[0]!, first[1]!] }
  // a ring that jumps more than half way round the globe between two positions crosses ±180°: its
  // planar bounding box would wrap the globe and match it to everything in between
  for (let i = 1; i < ring.length; i++) {
    const a = ring[i - 1] as number[]
    const b = ring[i] as number[]
    if (Math.abs(b[0]! - a[0]!) > 180) {
      return {
        reason: `${where} crosses the antimeridian (±180° longitude) between positions ${i - 1} and ${i} (lon ${a[0]} → ${b[0]}); split it at 180° into two polygons`,
        location: [a[0]!, a[1]!],
      }
    }
  }
  return null
}

function checkPolygon(rings: unknown, where: string): GeometryProblem | null {
  if (!Array.isArray(rings) || rings.length === 0) return { reason: `${where} has no rings` }
  for (let i = 0; i < rings.length; i++) {
    const problem = checkRing(rings[i], `${where}${i === 0 ? ' outer ring' : ` hole ${i}`}`)
    if (problem) return problem
  }
  return null
}

/** Null when the geometry is a structurally sound Polygon or MultiPolygon. */
/** A GeoJSON Point with a [lon, lat] position in range (an elevation is allowed and dropped later). */
export function checkPoint(geometry: unknown): GeometryProblem | null {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null
  if (!g || typeof g !== 'object' || g.type !== 'Point') return { reason: 'is not a GeoJSON Point' }
  return checkPosition(g.coordinates, 'the point')
}

export function checkPolygonal(geometry: unknown): GeometryProblem | null {
  if (geometry === null || typeof geometry !== 'object') return { reason: 'geometry is missing' }
  const g = geometry as { type?: unknown; coordinates?: unknown }
  if (g.type === 'Polygon') return checkPolygon(g.coordinates, 'polygon')
  if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return { reason: 'multipolygon has no polygons' }
    for (let i = 0; i < g.coordinates.length; i++) {
      const problem = checkPolygon(g.coordinates[i], `polygon ${i}`)
      if (problem) return problem
    }
    return null
  }
  return { reason: `geometry type ${JSON.stringify(g.type ?? null)} is not Polygon or MultiPolygon` }
}

/** True when any position of the geometry (Polygon, MultiPolygon, LineString, Point…) has a third number. */
export function hasElevation(geometry: unknown): boolean {
  const walk = (v: unknown): boolean => {
    if (!Array.isArray(v)) return false
    if (v.length > 0 && typeof v[0] === 'number') return v.length === 3
    return v.some(walk)
  }
  return geometry !== null && typeof geometry === 'object' && walk((geometry as { coordinates?: unknown }).coordinates)
}

/** The geometry with every [lon, lat, elevation] position cut to [lon, lat]; the same object when it has none. */
export function dropElevation<T>(geometry: T): T {
  if (!hasElevation(geometry)) return geometry
  const cut = (v: unknown): unknown => {
    if (!Array.isArray(v)) return v
    if (v.length === 3 && typeof v[0] === 'number') return v.slice(0, 2)
    return v.map(cut)
  }
  const g = geometry as { coordinates?: unknown }
  return { ...g, coordinates: cut(g.coordinates) } as T
}

export const ELEVATION_DROPPED =
  'positions carried a third number (elevation); it was dropped: boundaries are stored in 2D (longitude, latitude)'
