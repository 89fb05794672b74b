import { describe, expect, it } from 'vitest'
import type { FlagCollection } from '../api/types.js'
import { flagFeatures } from './flag-features.js'

const props = (id: number, extra: object = {}) => ({
  id,
  category: 'dumping',
  categoryZh: '垃圾',
  categoryEn: 'Dumping',
  state: 'dispatched' as const,
  unowned: false,
  escalationLevel: 0,
  overdue: false,
  ...extra,
})

describe('flagFeatures', () => {
  it('keeps point flags and adds a point at the anchor of each area flag', () => {
    const fc: FlagCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 1, geometry: { type: 'Point', coordinates: [113, 35] }, properties: props(1) },
        {
          type: 'Feature',
          id: 2,
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113, 35],
                [113.01, 35],
                [113.01, 35.01],
                [113, 35],
              ],
            ],
          },
          properties: props(2, { point: [113.007, 35.003] }),
        },
      ],
    }
    const out = flagFeatures(fc).features
    expect(out.map((f) => [f.properties.id, f.geometry.type])).toEqual([
      [1, 'Point'],
      [2, 'Polygon'],
      [2, 'Point'],
    ])
    expect(out[2]!.geometry.coordinates).toEqual([113.007, 35.003])
  })

  it('skips features without a geometry', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: null, properties: props(3) }],
    } as unknown as FlagCollection
    expect(flagFeatures(fc).features).toEqual([])
  })
})
