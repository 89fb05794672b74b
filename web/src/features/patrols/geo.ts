// Distances on the phone, for the walker's screen only (the server measures check-ins itself, on the
// spheroid): metres between fixes, and from a fix to an object's point or polygon.
import type { Geometry, Position } from 'geojson'

const EARTH_RADIUS_M = 6_371_008.8
const rad = (d: number) => (d * Math.PI) / 180

export function metresBetween(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const dLat = rad(b.lat - a.lat)
  const dLon = rad(b.lon - a.lon)
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Local metres east/north of `origin` (equirectangular: exact enough within a few km). */
function local(origin: { lon: number; lat: number }, p: Position): [number, number] {
  return [
    rad(p[0]! - origin.lon) * EARTH_RADIUS_M * Math.cos(rad(origin.lat)),
    rad(p[1]! - origin.lat) * EARTH_RADIUS_M,
  ]
}

function toSegment(p: [number, number], a: [number, number], b: [number, number]): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]]
  const len = dx * dx + dy * dy
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len))
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)
}

function ringContains(ring: [number, number][], p: [number, number]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Metres from a fix to a point, or to a polygon (0 inside it). */
export function metresTo(fix: { lon: number; lat: number }, geometry: Geometry): number {
  if (geometry.type === 'Point')
    return metresBetween(fix, { lon: geometry.coordinates[0]!, lat: geometry.coordinates[1]! })
  const polygons =
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : []
  let best = Infinity
  for (const polygon of polygons) {
    const rings = polygon.map((ring) => ring.map((c) => local(fix, c)))
    const holes = rings.slice(1)
    if (ringContains(rings[0]!, [0, 0]) && !holes.some((h) => ringContains(h, [0, 0]))) return 0
    for (const ring of rings)
      for (let i = 1; i < ring.length; i++) best = Math.min(best, toSegment([0, 0], ring[i - 1]!, ring[i]!))
  }
  return best
}
