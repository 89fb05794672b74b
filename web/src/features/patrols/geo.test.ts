import { describe, expect, it } from 'vitest'
import { metresBetween, metresTo } from './geo.js'

// one degree of latitude on the mean sphere: 2πR/360 = 111,195.08 m (R = 6,371,008.8 m)
const DEGREE_M = (2 * Math.PI * 6_371_008.8) / 360

describe('distances on the walker’s screen', () => {
  it('a degree of latitude, and a degree of longitude at 60° (half as long)', () => {
    expect(metresBetween({ lon: 113, lat: 35 }, { lon: 113, lat: 36 })).toBeCloseTo(DEGREE_M, 3)
    expect(metresBetween({ lon: 113, lat: 60 }, { lon: 113.001, lat: 60 })).toBeCloseTo(DEGREE_M * 0.001 * 0.5, 1)
  })

  it('to a point, to a polygon from outside (its nearest edge), and 0 inside it or its hole is outside', () => {
    const fix = { lon: 113, lat: 35 }
    expect(metresTo(fix, { type: 'Point', coordinates: [113, 35.001] })).toBeCloseTo(DEGREE_M * 0.001, 2)
    const square = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [113.01, 34.99],
          [113.02, 34.99],
          [113.02, 35.01],
          [113.01, 35.01],
          [113.01, 34.99],
        ],
      ],
    }
    // the nearest edge is the western one, 0.01° of longitude east at lat 35
    const west = DEGREE_M * 0.01 * Math.cos((35 * Math.PI) / 180)
    expect(metresTo(fix, square)).toBeCloseTo(west, 0)
    expect(metresTo({ lon: 113.015, lat: 35 }, square)).toBe(0)
    const holed = {
      type: 'Polygon' as const,
      coordinates: [
        square.coordinates[0]!,
        [
          [113.014, 34.999],
          [113.016, 34.999],
          [113.016, 35.001],
          [113.014, 35.001],
          [113.014, 34.999],
        ],
      ],
    }
    // in the hole: 0.001° of longitude from its nearest edge
    expect(metresTo({ lon: 113.015, lat: 35 }, holed)).toBeCloseTo(DEGREE_M * 0.001 * Math.cos((35 * Math.PI) / 180), 0)
  })
})
