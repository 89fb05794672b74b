import { describe, expect, it } from 'vitest'
import { coordinateDigits, formatHash, parseHash, type UrlState } from './url-state.js'

describe('URL hash state', () => {
  const cases: UrlState[] = [
    {},
    { view: { zoom: 9.5, lat: 35.17, lon: 113.06 } },
    {
      view: { zoom: 14.25, lat: 35.175123, lon: 113.058111 },
      selection: { kind: 'cell', code: '410822101201' },
      panel: 'coverage',
    },
    { view: { zoom: 12, lat: 35.2, lon: 113.1 }, selection: { kind: 'person', id: 42 }, panel: 'supervisor' },
    { selection: { kind: 'parcel', id: 123456 }, point: [113.051234, 35.161234] },
    { panel: 'layers' },
    { selection: { kind: 'flag', id: 17 }, panel: 'flags' },
    { selection: { kind: 'cell', code: '410822101201' }, panel: 'edit' },
    { panel: 'report' },
  ]
  for (const state of cases) {
    it(`round-trips ${formatHash(state) || '(empty)'}`, () => {
      const parsed = parseHash(formatHash(state))
      if (state.view) {
        const d = coordinateDigits(state.view.zoom)
        expect(parsed.view!.zoom).toBeCloseTo(state.view.zoom, 2)
        expect(parsed.view!.lat).toBeCloseTo(state.view.lat, d - 1)
        expect(parsed.view!.lon).toBeCloseTo(state.view.lon, d - 1)
      } else expect(parsed.view).toBeUndefined()
      expect(parsed.selection).toEqual(state.selection)
      expect(parsed.panel).toEqual(state.panel)
      expect(parsed.point).toEqual(state.point)
    })
  }

  it('formats a readable, shareable hash', () => {
    expect(
      formatHash({
        view: { zoom: 13.2, lat: 35.17512, lon: 113.05811 },
        selection: { kind: 'cell', code: '410822101201' },
        panel: 'coverage',
      }),
    ).toBe('#map=13.20/35.1751/113.0581&sel=cell:410822101201&panel=coverage')
  })

  it('keeps more decimals the further in the map is zoomed', () => {
    expect(coordinateDigits(5)).toBeLessThan(coordinateDigits(17))
  })

  it('ignores what it cannot read instead of failing', () => {
    expect(parseHash('#map=abc/1/2&sel=cell:&panel=nope&pt=1')).toEqual({})
    expect(parseHash('#map=30/0/0')).toEqual({})
    expect(parseHash('#sel=parcel:-1')).toEqual({})
    expect(parseHash('#sel=flag:abc')).toEqual({})
    expect(parseHash('#sel=cell:<script>')).toEqual({})
    expect(parseHash('garbage')).toEqual({})
  })
})
