// Structural checks of GeoJSON polygons before they reach the database: each problem is named with
// its location (ring, position) so an operator can find it. Validity proper (self-intersections,
// holes outside shells) is judged by PostGIS (ST_IsValidDetail), which reports the point.
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
    return { reason: `${where} is out of range (lon ${lon}, lat ${lat}); coordinates must be WGS84 degrees`, location: [lon!, lat!] }
  }
  return null
}

function checkRing(ring: unknown, where: string): GeometryProblem | null {
  if (!Array.isArray(ring)) return { reason: `${where} is not an array of positions` }
  for (let i = 0; i < ring.length; i++) {
    const problem = checkPosition(ring[i], `${where} position ${i}`)
    if (problem) return problem
  }
  if (ring.length < 4) return { reason: `${where} has ${ring.length} positions; a ring needs at least 4`, location: ring[0] ? (ring[0] as [number, number]) : null }
  const first = ring[0] as number[]
  const last = ring[ring.length - 1] as number[]
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return { reason: `${where} is not closed (first and last positions differ)`, location: [first[0]!, first[1]!] }
  }
  const distinct = new Set(ring.map((p) => `${(p as number[])[0]},${(p as number[])[1]}`))
  if (distinct.size < 3) return { reason: `${where} has fewer than 3 distinct positions`, location: [first[0]!, first[1]!] }
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
