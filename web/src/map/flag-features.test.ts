import { describe, expect, it } from 'vitest'
import type { FlagCollection, FlagFeatureProperties } from '../api/types.js'
import { flagFeatures } from './flag-features.js'

// every property the server sends (GET /api/flags.geojson), a point flag's anchor being its own point
const props = (id: number, extra: Partial<FlagFeatureProperties> = {}): FlagFeatureProperties => ({
  id,
  category: 'dumping',
  categoryZh: '垃圾',
  categoryEn: 'Dumping',
  state: 'dispatched',
  color: '#e67e22',
  description: '',
  unowned: false,
  routingRule: 'direct',
  cellCode: null,
  accountableCellCode: null,
  townshipCode: null,
  missingLevel: null,
  escalationLevel: 0,
  escalatedToCode: null,
  overdue: false,
  point: [113, 35],
  createdAt: '2026-01-05T02:00:00.000Z',
  dispatchedAt: null,
  ackDueAt: null,
  completeDueAt: null,
  closedAt: null,
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
