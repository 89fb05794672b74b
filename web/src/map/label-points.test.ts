import { describe, expect, it } from 'vitest'
import { labelPoint, polylabel } from './label-points.js'

describe('label points', () => {
  it('puts the label of a square at its centre', () => {
    const [x, y] = polylabel(
      [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 10],
          [0, 0],
        ],
      ],
      0.01,
    )
    expect(x).toBeCloseTo(5, 1)
    expect(y).toBeCloseTo(5, 1)
  })

  it('keeps the label inside an L-shaped cell (where the bbox centre is outside)', () => {
    const L = [
      [
        [0, 0],
        [10, 0],
        [10, 2],
        [2, 2],
        [2, 10],
        [0, 10],
        [0, 0],
      ],
    ]
    const [x, y] = polylabel(L, 0.01)
    const inside = (x >= 0 && x <= 10 && y >= 0 && y <= 2) || (x >= 0 && x <= 2 && y >= 0 && y <= 10)
    expect(inside).toBe(true)
  })

  it('labels the largest part of a multipolygon', () => {
    const [x] = labelPoint({
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
            [0, 0],
          ],
        ],
        [
          [
            [10, 0],
            [20, 0],
            [20, 10],
            [10, 10],
            [10, 0],
          ],
        ],
      ],
    })
    expect(x).toBeGreaterThan(10)
  })
})
