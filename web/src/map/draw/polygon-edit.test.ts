import { describe, expect, it } from 'vitest'
import type { MultiPolygon } from 'geojson'
import {
  dedupeRing,
  editableRing,
  isUsableLine,
  movedVertices,
  roundPosition,
  selfIntersection,
  withRing,
} from './polygon-edit.js'

const small = [
  [
    [10, 10],
    [10.1, 10],
    [10.1, 10.1],
    [10, 10],
  ],
]
const big = [
  [
    [0, 0],
    [2, 0],
    [2, 2],
    [0, 2],
    [0, 0],
  ],
  [
    [0.5, 0.5],
    [1, 0.5],
    [1, 1],
    [0.5, 0.5],
  ],
]

describe('editableRing / withRing', () => {
  it('edits the largest part and gives back the holes and the other parts unchanged', () => {
    const g: MultiPolygon = { type: 'MultiPolygon', coordinates: [small, big] }
    const e = editableRing(g)
    expect(e.ring).toEqual(big[0])
    expect(e.holes).toEqual([big[1]])
    expect(e.others).toEqual([small])
    const moved = e.ring.map((p, i) => (i === 1 ? [2.5, 0] : p))
    const back = withRing(e, moved) as MultiPolygon
    expect(back.type).toBe('MultiPolygon')
    expect(back.coordinates[0]![0]![1]).toEqual([2.5, 0])
    expect(back.coordinates[0]![1]).toEqual(big[1])
    expect(back.coordinates[1]).toEqual(small)
  })

  it('gives a Polygon back for a single-part cell, closing and rounding the ring', () => {
    const e = editableRing({
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [0.123456789, 0],
            [1, 0],
            [1, 1],
          ],
        ],
      ],
    })
    expect(e.ring[0]).toEqual([0.1234568, 0])
    expect(e.ring).toHaveLength(4)
    expect(withRing(e, e.ring)).toEqual({ type: 'Polygon', coordinates: [e.ring] })
  })
})

describe('ring helpers', () => {
  it('drops a vertex dragged onto its neighbour', () => {
    expect(
      dedupeRing([
        [0, 0],
        [1, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ]),
    ).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ])
  })

  it('finds moved vertices by index', () => {
    const a = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ]
    expect(
      movedVertices(a, [
        [0, 0],
        [1.2, 0],
        [1, 1],
        [0, 0],
      ]),
    ).toEqual([1])
    expect(movedVertices(a, a)).toEqual([])
  })

  it('finds where a ring crosses itself', () => {
    const bowtie = [
      [0, 0],
      [2, 2],
      [2, 0],
      [0, 2],
      [0, 0],
    ]
    expect(selfIntersection(bowtie)).toEqual([1, 1])
    expect(selfIntersection(big[0]!)).toBeNull()
  })

  it('rounds positions', () => {
    expect(roundPosition([113.123456789, 35.987654321])).toEqual([113.1234568, 35.9876543])
  })

  it('accepts a split line only with two distinct positions', () => {
    expect(
      isUsableLine({
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      }),
    ).toBe(true)
    expect(
      isUsableLine({
        type: 'LineString',
        coordinates: [
          [0, 0],
          [0, 0],
        ],
      }),
    ).toBe(false)
  })
})
