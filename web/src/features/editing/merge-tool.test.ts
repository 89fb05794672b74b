import { describe, expect, it } from 'vitest'
import type { CellFeature } from '../../api/types.js'
import { mergeCandidates } from './merge-tool.js'

const square = (x0: number, y0: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x0, y0],
      [x0 + 1, y0],
      [x0 + 1, y0 + 1],
      [x0, y0 + 1],
      [x0, y0],
    ],
  ],
})
const feature = (code: string, x0: number, y0: number): CellFeature =>
  ({
    type: 'Feature',
    geometry: square(x0, y0),
    properties: { code, name: code, version: 3 },
  }) as unknown as CellFeature

describe('mergeCandidates', () => {
  it('offers siblings sharing an edge (two vertices or more), most shared first, never the cell itself', () => {
    const cell = { code: 'A', geometry: square(0, 0) }
    const siblings = [feature('A', 0, 0), feature('CORNER', 1, 1), feature('EAST', 1, 0), feature('FAR', 5, 5)]
    expect(mergeCandidates(cell, siblings)).toEqual([{ code: 'EAST', name: 'EAST', version: 3, shared: 2 }])
  })
})
