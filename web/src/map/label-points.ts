// One label point per cell, inside its largest part (pole of inaccessibility, the "polylabel"
// algorithm by Mapbox, re-implemented here). GeoJSON sources tile polygons, so labelling the polygon
// itself would repeat the label in every tile; a point source labels each cell once.
import type { Feature, MultiPolygon, Point, Polygon, Position } from 'geojson'

type Ring = Position[]

function pointToSegmentDistSq(px: number, py: number, a: Position, b: Position): number {
  let x = a[0]!
  let y = a[1]!
  let dx = b[0]! - x
  let dy = b[1]! - y
  if (dx !== 0 || dy !== 0) {
    const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy)
    if (t > 1) {
      x = b[0]!
      y = b[1]!
    } else if (t > 0) {
      x += dx * t
      y += dy * t
    }
  }
  dx = px - x
  dy = py - y
  return dx * dx + dy * dy
}

/** Signed distance from a point to the polygon outline: positive inside. */
function signedDistance(x: number, y: number, rings: Ring[]): number {
  let inside = false
  let minDistSq = Infinity
  for (const ring of rings) {
    for (let i = 0, len = ring.length, j = len - 1; i < len; j = i++) {
      const a = ring[i]!
      const b = ring[j]!
      if (a[1]! > y !== b[1]! > y && x < ((b[0]! - a[0]!) * (y - a[1]!)) / (b[1]! - a[1]!) + a[0]!) inside = !inside
      minDistSq = Math.min(minDistSq, pointToSegmentDistSq(x, y, a, b))
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(minDistSq)
}

interface Cell {
  x: number
  y: number
  h: number
  d: number
  max: number
}
const cell = (x: number, y: number, h: number, rings: Ring[]): Cell => {
  const d = signedDistance(x, y, rings)
  return { x, y, h, d, max: d + h * Math.SQRT2 }
}

/** The point inside a polygon farthest from its edges, to `precision` (in the polygon's units; default 1% of its size). */
export function polylabel(rings: Ring[], precision?: number): [number, number] {
  const outer = rings[0]
  if (!outer || outer.length === 0) return [0, 0]
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const p of outer) {
    minX = Math.min(minX, p[0]!)
    minY = Math.min(minY, p[1]!)
    maxX = Math.max(maxX, p[0]!)
    maxY = Math.max(maxY, p[1]!)
  }
  const width = maxX - minX
  const height = maxY - minY
  const size = Math.min(width, height)
  if (size === 0) return [minX, minY]
  const eps = precision ?? size / 100
  let h = size / 2
  const queue: Cell[] = []
  for (let x = minX; x < maxX; x += size)
    for (let y = minY; y < maxY; y += size) queue.push(cell(x + h, y + h, h, rings))
  // start from the centroid-ish bbox centre, which often wins for compact shapes
  let best = cell(minX + width / 2, minY + height / 2, 0, rings)
  let guard = 0
  while (queue.length && guard++ < 20000) {
    // take the most promising cell (largest potential distance)
    let bi = 0
    for (let i = 1; i < queue.length; i++) if (queue[i]!.max > queue[bi]!.max) bi = i
    const c = queue.splice(bi, 1)[0]!
    if (c.d > best.d) best = c
    if (c.max - best.d <= eps) continue
    h = c.h / 2
    queue.push(
      cell(c.x - h, c.y - h, h, rings),
      cell(c.x + h, c.y - h, h, rings),
      cell(c.x - h, c.y + h, h, rings),
      cell(c.x + h, c.y + h, h, rings),
    )
  }
  return [best.x, best.y]
}

function ringArea(ring: Ring): number {
  let a = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    a += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!)
  return Math.abs(a / 2)
}

/** The label anchor of a polygon or multipolygon: the pole of its largest part. */
export function labelPoint(geometry: Polygon | MultiPolygon, precision?: number): [number, number] {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let largest = parts[0] ?? []
  for (const p of parts) if (ringArea(p[0] ?? []) > ringArea(largest[0] ?? [])) largest = p
  return polylabel(largest, precision)
}

export function labelFeatures<P extends object>(
  features: Feature<Polygon | MultiPolygon | null, P>[],
  pick: (p: P) => Record<string, unknown>,
): Feature<Point>[] {
  const out: Feature<Point>[] = []
  for (const f of features) {
    if (!f.geometry) continue
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: labelPoint(f.geometry) },
      properties: pick(f.properties),
    })
  }
  return out
}
