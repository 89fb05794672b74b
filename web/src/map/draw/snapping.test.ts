import { describe, expect, it } from 'vitest'
import type { Polygon } from 'geojson'
import { snapPosition, snapTargetsOf, targetsNear, type Project } from './snapping.js'

// 1 degree = 1000 px, y grows downwards like the screen
const project: Project = (lon, lat) => ({ x: lon * 1000, y: -lat * 1000 })
const square = (x0: number, y0: number, size: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x0 + size, y0],
      [x0 + size, y0 + size],
      [x0, y0 + size],
      [x0, y0],
    ],
  ],
})

describe('snapTargetsOf', () => {
  it('lists each vertex once (shared ones too) and every edge', () => {
    const t = snapTargetsOf([square(0, 0, 1), square(1, 0, 1)])
    expect(t.vertices).toHaveLength(6)
    expect(t.segments).toHaveLength(8)
  })

  it('reads multipolygons and holes', () => {
    const t = snapTargetsOf([
      {
        type: 'MultiPolygon',
        coordinates: [
          square(0, 0, 1).coordinates,
          [
            [
              [5, 5],
              [6, 5],
              [6, 6],
              [5, 5],
            ],
            [
              [5.2, 5.1],
              [5.8, 5.1],
              [5.8, 5.7],
              [5.2, 5.1],
            ],
          ],
        ],
      },
    ])
    expect(t.vertices).toHaveLength(10)
  })
})

describe('snapPosition', () => {
  const targets = snapTargetsOf([square(0, 0, 1)])

  it('snaps to a vertex within the tolerance, exactly', () => {
    const s = snapPosition({ x: 1005, y: -1004 }, targets, project, 10)
    expect(s).toMatchObject({ kind: 'vertex', position: [1, 1] })
    expect(s!.distancePx).toBeCloseTo(Math.hypot(5, 4), 6)
  })

  it('prefers a vertex in reach over a closer edge', () => {
    // 2 px from the bottom edge, 8 px from the corner
    const s = snapPosition({ x: 992, y: 2 }, targets, project, 10)
    expect(s).toMatchObject({ kind: 'vertex', position: [1, 0] })
  })

  it('snaps onto an edge: the result lies exactly on the segment', () => {
    const s = snapPosition({ x: 500, y: -6 }, targets, project, 10)
    expect(s!.kind).toBe('edge')
    expect(s!.position[1]).toBe(0)
    expect(s!.position[0]).toBeCloseTo(0.5, 9)
  })

  it('stays on a sloping edge (interpolated in lon/lat)', () => {
    const tri = snapTargetsOf([
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0.5],
            [0, 1],
            [0, 0],
          ],
        ],
      },
    ])
    const s = snapPosition({ x: 400, y: -205 }, tri, project, 10)!
    expect(s.kind).toBe('edge')
    // on the line y = x / 2
    expect(s.position[1]).toBeCloseTo(s.position[0]! / 2, 12)
  })

  it('does not snap beyond the tolerance', () => {
    expect(snapPosition({ x: 500, y: -500 }, targets, project, 10)).toBeNull()
    expect(snapPosition({ x: 1020, y: 0 }, targets, project, 10)).toBeNull()
  })
})

describe('targetsNear', () => {
  it('keeps what is near the box, including edges crossing it', () => {
    const t = snapTargetsOf([square(0, 0, 10)])
    const near = targetsNear(t, [4, -1, 6, 1], 0.5)
    expect(near.vertices).toEqual([])
    // the bottom edge crosses the box
    expect(near.segments).toHaveLength(1)
  })
})
