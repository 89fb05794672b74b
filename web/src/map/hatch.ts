// The gap hatch is drawn in code (no sprite service): diagonal stripes on a transparent tile that
// repeats seamlessly, registered with map.addImage under HATCH_IMAGE.

export const HATCH_IMAGE = 'gap-hatch'

export interface RgbaImage {
  width: number
  height: number
  data: Uint8Array
}

function parseHex(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(color)
  if (!m) throw new Error(`hatch colour must be #rrggbb, got ${color}`)
  const n = parseInt(m[1]!, 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/**
 * Diagonal (45°) stripes: `size` px square, `stripes` stripes per tile edge, each `lineWidth` px wide,
 * anti-aliased. Stripes run along x + y = const, so a period that divides `size` tiles in both axes.
 */
export function hatchPattern(options: {
  size?: number
  stripes?: number
  lineWidth?: number
  color: string
  alpha?: number
}): RgbaImage {
  const size = options.size ?? 16
  const stripes = options.stripes ?? 2
  const lineWidth = options.lineWidth ?? 2.5
  const alpha = options.alpha ?? 1
  const [r, g, b] = parseHex(options.color)
  const period = size / stripes
  const data = new Uint8Array(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // distance from the pixel centre to the nearest stripe centre line, measured perpendicular to it
      const t = (((x + 0.5 + y + 0.5) % period) + period) % period
      const along = Math.min(t, period - t) / Math.SQRT2
      const coverage = Math.max(0, Math.min(1, lineWidth / 2 - along + 0.5))
      const i = (y * size + x) * 4
      data[i] = r
      data[i + 1] = g
      data[i + 2] = b
      data[i + 3] = Math.round(255 * alpha * coverage)
    }
  }
  return { width: size, height: size, data }
}
