// Snapping for the boundary editor: a dragged or drawn vertex that comes within a few pixels of a
// neighbouring cell's vertex lands exactly on it; near one of its edges, exactly on the edge. That is
// what keeps a shared boundary shared (no sliver gaps or overlaps along it). Pure functions: the map
// only supplies `project` (lon/lat → screen pixels).
import type { MultiPolygon, Polygon, Position } from 'geojson'

export interface Px {
  x: number
  y: number
}
export type Project = (lon: number, lat: number) => Px

export interface SnapTargets {
  vertices: Position[]
  segments: [Position, Position][]
}

export interface Snap {
  position: Position
  kind: 'vertex' | 'edge'
  /** screen distance from the pointer, px */
  distancePx: number
}

/** Default snapping distance: about a fingertip's precision with a mouse. */
export const SNAP_TOLERANCE_PX = 12

const samePosition = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1]

/** Every vertex and edge of the given polygons (rings are closed, so the closing vertex is skipped). */
export function snapTargetsOf(geometries: (Polygon | MultiPolygon)[]): SnapTargets {
  const vertices: Position[] = []
  const segments: [Position, Position][] = []
  const seen = new Set<string>()
  for (const g of geometries) {
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
    for (const rings of polygons) {
      for (const ring of rings) {
        for (let i = 0; i < ring.length - 1; i++) {
          const a = ring[i]!
          const b = ring[i + 1]!
          const key = `${a[0]},${a[1]}`
          // a shared vertex is listed once
          if (!seen.has(key)) {
            seen.add(key)
            vertices.push([a[0]!, a[1]!])
          }
          if (!samePosition(a, b)) segments.push([a, b])
        }
      }
    }
  }
  return { vertices, segments }
}

/**
 * Where the pointer snaps to, or null. A vertex within the tolerance wins over an edge (even a closer
 * edge: the vertex is what the user is aiming at when both are in reach). On an edge the result is
 * interpolated in lon/lat, so it lies exactly on the stored straight segment.
 */
export function snapPosition(
  pointer: Px,
  targets: SnapTargets,
  project: Project,
  tolerancePx = SNAP_TOLERANCE_PX,
): Snap | null {
  const tol2 = tolerancePx * tolerancePx
  let best: Snap | null = null
  let bestD2 = tol2
  for (const v of targets.vertices) {
    const p = project(v[0]!, v[1]!)
    const d2 = (p.x - pointer.x) ** 2 + (p.y - pointer.y) ** 2
    if (d2 <= bestD2) {
      bestD2 = d2
      best = { position: [v[0]!, v[1]!], kind: 'vertex', distancePx: Math.sqrt(d2) }
    }
  }
  if (best) return best
  for (const [a, b] of targets.segments) {
    const pa = project(a[0]!, a[1]!)
    const pb = project(b[0]!, b[1]!)
    const dx = pb.x - pa.x
    const dy = pb.y - pa.y
    const len2 = dx * dx + dy * dy
    if (len2 === 0) continue
    // quick reject: the pointer is farther than the tolerance from the segment's box
    if (pointer.x < Math.min(pa.x, pb.x) - tolerancePx || pointer.x > Math.max(pa.x, pb.x) + tolerancePx) continue
    if (pointer.y < Math.min(pa.y, pb.y) - tolerancePx || pointer.y > Math.max(pa.y, pb.y) + tolerancePx) continue
    const t = Math.max(0, Math.min(1, ((pointer.x - pa.x) * dx + (pointer.y - pa.y) * dy) / len2))
    const x = pa.x + t * dx
    const y = pa.y + t * dy
    const d2 = (x - pointer.x) ** 2 + (y - pointer.y) ** 2
    if (d2 <= bestD2) {
      bestD2 = d2
      best = {
        position: [a[0]! + t * (b[0]! - a[0]!), a[1]! + t * (b[1]! - a[1]!)],
        kind: 'edge',
        distancePx: Math.sqrt(d2),
      }
    }
  }
  return best
}

/** Only the targets near a bbox [w, s, e, n] (degrees): the editor keeps snapping cheap on big cells. */
export function targetsNear(targets: SnapTargets, bbox: number[], margin: number): SnapTargets {
  const [w, s, e, n] = [bbox[0]! - margin, bbox[1]! - margin, bbox[2]! + margin, bbox[3]! + margin]
  const inside = (p: Position) => p[0]! >= w && p[0]! <= e && p[1]! >= s && p[1]! <= n
  return {
    vertices: targets.vertices.filter(inside),
    segments: targets.segments.filter(
      ([a, b]) =>
        !(
          Math.max(a[0]!, b[0]!) < w ||
          Math.min(a[0]!, b[0]!) > e ||
          Math.max(a[1]!, b[1]!) < s ||
          Math.min(a[1]!, b[1]!) > n
        ),
    ),
  }
}
