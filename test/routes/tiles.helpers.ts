// Decoding and comparing vector tiles in tests (and the benchmark).
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'

export interface DecodedFeature {
  id: number | undefined
  type: number
  properties: Record<string, unknown>
  rings: [number, number][][]
}

export function decodeTile(body: Buffer | Uint8Array): Record<string, DecodedFeature[]> {
  if (body.length === 0) return {}
  const tile = new VectorTile(new PbfReader(new Uint8Array(body)))
  const out: Record<string, DecodedFeature[]> = {}
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features: DecodedFeature[] = []
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i)
      features.push({
        id: f.id,
        type: f.type,
        properties: { ...f.properties },
        rings: f.loadGeometry().map((r) => r.map((p) => [p.x, p.y] as [number, number])),
      })
    }
    out[name] = features.sort((a, b) => (a.id ?? 0) - (b.id ?? 0))
  }
  return out
}

/** x, y of the tile holding lon/lat at zoom z. */
export function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z
  const x = Math.floor(((lon + 180) / 360) * n)
  const r = (lat * Math.PI) / 180
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
  return { z, x, y }
}

/** Signed area by the surveyor's formula (positive = exterior ring in MVT). */
export function ringArea(ring: [number, number][]): number {
  let a = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    a += (ring[j]![0] - ring[i]![0]) * (ring[i]![1] + ring[j]![1])
  return a / 2
}

function segmentDistance(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const len = dx * dx + dy * dy
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len))
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))
}

/** Largest distance from a vertex of one geometry to the outline of the other, both ways (tile units). */
export function outlineDistance(a: [number, number][][], b: [number, number][][]): number {
  const oneWay = (from: [number, number][][], to: [number, number][][]) => {
    let worst = 0
    for (const ring of from) {
      for (const p of ring) {
        let best = Infinity
        for (const r of to) {
          if (r.length === 1) best = Math.min(best, Math.hypot(p[0] - r[0]![0], p[1] - r[0]![1]))
          for (let i = 0; i < r.length; i++) best = Math.min(best, segmentDistance(p, r[i]!, r[(i + 1) % r.length]!))
        }
        worst = Math.max(worst, best)
      }
    }
    return worst
  }
  return Math.max(oneWay(a, b), oneWay(b, a))
}

/** Differences between two decoded tiles: features, properties, and geometry beyond `tolerance` units. */
export function tileDifferences(
  a: Record<string, DecodedFeature[]>,
  b: Record<string, DecodedFeature[]>,
  tolerance = 1.5,
): string[] {
  const problems: string[] = []
  const names = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const name of names) {
    const fa = a[name] ?? []
    const fb = b[name] ?? []
    const ids = (fs: DecodedFeature[]) => fs.map((f) => f.id).join(',')
    if (ids(fa) !== ids(fb)) {
      problems.push(`${name}: feature ids differ: [${ids(fa)}] vs [${ids(fb)}]`)
      continue
    }
    for (let i = 0; i < fa.length; i++) {
      const x = fa[i]!
      const y = fb[i]!
      if (x.type !== y.type) problems.push(`${name} #${x.id}: type ${x.type} vs ${y.type}`)
      if (JSON.stringify(sortKeys(x.properties)) !== JSON.stringify(sortKeys(y.properties))) {
        problems.push(`${name} #${x.id}: properties ${JSON.stringify(x.properties)} vs ${JSON.stringify(y.properties)}`)
      }
      const d = outlineDistance(x.rings, y.rings)
      if (d > tolerance) problems.push(`${name} #${x.id}: outlines differ by ${d.toFixed(2)} units`)
      if (x.type === 3) {
        const area = (f: DecodedFeature) => f.rings.reduce((s, r) => s + ringArea(r), 0)
        const [ax, ay] = [area(x), area(y)]
        const perimeter = x.rings.reduce(
          (s, r) =>
            s +
            r.reduce(
              (t, p, k) => t + Math.hypot(p[0] - r[(k + 1) % r.length]![0], p[1] - r[(k + 1) % r.length]![1]),
              0,
            ),
          0,
        )
        if (Math.abs(ax - ay) > tolerance * perimeter + 4) problems.push(`${name} #${x.id}: areas ${ax} vs ${ay}`)
        if (ax <= 0 || ay <= 0) problems.push(`${name} #${x.id}: exterior rings must have positive area (${ax}, ${ay})`)
      }
    }
  }
  return problems
}

const sortKeys = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).sort(([p], [q]) => p.localeCompare(q)))
