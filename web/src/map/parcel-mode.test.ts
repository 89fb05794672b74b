import { describe, expect, it } from 'vitest'
import { chooseParcelMode, parcelLayerVisibility } from './parcel-mode.js'

describe('chooseParcelMode', () => {
  it('keeps GeoJSON while the view fits the cap', () => {
    expect(chooseParcelMode({ total: 0, cap: 5000, zoom: 15 })).toBe('geojson')
    expect(chooseParcelMode({ total: 5000, cap: 5000, zoom: 15 })).toBe('geojson')
  })
  it('switches to tiles when the view holds more than the cap', () => {
    expect(chooseParcelMode({ total: 5001, cap: 5000, zoom: 13 })).toBe('tiles')
  })
  it('stays on GeoJSON below the parcel zoom (nothing is drawn there)', () => {
    expect(chooseParcelMode({ total: 90000, cap: 5000, zoom: 12.9 })).toBe('geojson')
    expect(chooseParcelMode({ total: 90000, cap: 5000, zoom: 11, minZoom: 10 })).toBe('tiles')
  })
  it('obeys a forced mode', () => {
    expect(chooseParcelMode({ total: 1, cap: 5000, zoom: 15, force: 'tiles' })).toBe('tiles')
    expect(chooseParcelMode({ total: 90000, cap: 5000, zoom: 15, force: 'geojson' })).toBe('geojson')
  })
})

describe('parcelLayerVisibility', () => {
  it('shows one pair at a time, none when the legend hides parcels', () => {
    expect(parcelLayerVisibility('tiles', true)).toEqual({
      'parcel-fill': 'none',
      'parcel-line': 'none',
      'parcel-tile-fill': 'visible',
      'parcel-tile-line': 'visible',
    })
    expect(parcelLayerVisibility('geojson', true)).toEqual({
      'parcel-fill': 'visible',
      'parcel-line': 'visible',
      'parcel-tile-fill': 'none',
      'parcel-tile-line': 'none',
    })
    expect(Object.values(parcelLayerVisibility('tiles', false)).every((v) => v === 'none')).toBe(true)
  })
})
