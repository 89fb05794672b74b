// A cell's boundary as the vertex editor handles it. Cells are stored as MultiPolygons, possibly with
// holes; the editor moves the vertices of one outer ring. `editableRing` takes the largest part's
// outer ring apart from everything else, and `withRing` puts an edited ring back, so the other parts
// and the holes reach the server unchanged. Pure functions, unit-tested.
import type { LineString, MultiPolygon, Polygon, Position } from 'geojson'

export interface EditableRing {
  /** the outer ring being edited, closed (first = last) */
  ring: Position[]
  /** holes of that part, kept as they are */
  holes: Position[][]
  /** the other parts of a multipolygon, kept as they are */
  others: Position[][][]
}

/** Rounds to `digits` decimals (the server sends 7: about a centimetre). */
export const roundPosition = (p: Position, digits = 7): Position => [
  Number(p[0]!.toFixed(digits)),
  Number(p[1]!.toFixed(digits)),
]

/** Shoelace area in degrees² (only for comparing parts of one cell). */
export function ringArea(ring: Position[]): number {
  let a = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    a += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!)
  return Math.abs(a / 2)
}

export function closeRing(ring: Position[]): Position[] {
  if (ring.length === 0) return ring
  const first = ring[0]!
  const last = ring[ring.length - 1]!
  return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first]
}

/** Drops repeated consecutive vertices (a vertex dragged onto its neighbour), keeping the ring closed. */
export function dedupeRing(ring: Position[]): Position[] {
  const out: Position[] = []
  for (const p of ring) {
    const prev = out[out.length - 1]
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) out.push(p)
  }
  return closeRing(out)
}

export function editableRing(geometry: Polygon | MultiPolygon): EditableRing {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let largest = 0
  parts.forEach((p, i) => {
    if (ringArea(p[0] ?? []) > ringArea(parts[largest]![0] ?? [])) largest = i
  })
  const part = parts[largest] ?? [[]]
  return {
    ring: closeRing(part[0]!.map((p) => roundPosition(p))),
    holes: part.slice(1),
    others: parts.filter((_, i) => i !== largest),
  }
}

/** The cell's geometry with the edited ring in place of the original one. */
export function withRing(e: EditableRing, ring: Position[]): Polygon | MultiPolygon {
  const part = [dedupeRing(ring), ...e.holes]
  if (e.others.length === 0) return { type: 'Polygon', coordinates: part }
  return { type: 'MultiPolygon', coordinates: [part, ...e.others] }
}

/** The vertices that differ between two versions of a ring (by index; the editor keeps indices when moving). */
export function movedVertices(before: Position[], after: Position[]): number[] {
  if (before.length !== after.length) return []
  const moved: number[] = []
  for (let i = 0; i < before.length - 1; i++)
    if (before[i]![0] !== after[i]![0] || before[i]![1] !== after[i]![1]) moved.push(i)
  return moved
}

function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const orient = (p: Position, q: Position, r: Position) =>
    Math.sign((q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!))
  const o1 = orient(a, b, c)
  const o2 = orient(a, b, d)
  const o3 = orient(c, d, a)
  const o4 = orient(c, d, b)
  return o1 * o2 < 0 && o3 * o4 < 0
}

/** Whether a closed ring crosses itself (proper crossings only), and where: the first crossing found. */
export function selfIntersection(ring: Position[]): Position | null {
  const n = ring.length - 1
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue // adjacent through the closing vertex
      const a = ring[i]!
      const b = ring[i + 1]!
      const c = ring[j]!
      const d = ring[j + 1]!
      if (segmentsCross(a, b, c, d)) {
        // the crossing point
        const den = (a[0]! - b[0]!) * (c[1]! - d[1]!) - (a[1]! - b[1]!) * (c[0]! - d[0]!)
        const t = ((a[0]! - c[0]!) * (c[1]! - d[1]!) - (a[1]! - c[1]!) * (c[0]! - d[0]!)) / den
        return [a[0]! + t * (b[0]! - a[0]!), a[1]! + t * (b[1]! - a[1]!)]
      }
    }
  }
  return null
}

/** A split line must have two distinct positions. */
export function isUsableLine(line: LineString): boolean {
  const c = line.coordinates
  return c.length >= 2 && c.some((p) => p[0] !== c[0]![0] || p[1] !== c[0]![1])
}
