import { describe, expect, it } from 'vitest'
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec'
import { buildStyle } from './style.js'
import { LAYER_GROUPS, orderedLayers } from './layers/index.js'
import { fontFacesOf, parseFontFaceCss, FONT_NAME } from './fonts.js'
import { SOURCES } from './sources.js'

const fonts = fontFacesOf(
  [
    { file: 'noto-sans-sc-latin-400-normal.woff2', ranges: ['U+0000-00FF', 'U+2000-206F'] },
    { file: 'noto-sans-sc-100-400-normal.woff2', ranges: ['U+4e00-4e2d', 'U+65b0'] },
  ],
  'http://localhost/fonts/noto-sans-sc/',
)

describe('buildStyle', () => {
  for (const lang of ['zh', 'en'] as const) {
    for (const basemapUrl of [null, 'https://tiles.example.org/{z}/{x}/{y}.png']) {
      it(`is a valid MapLibre style (${lang}, basemap ${basemapUrl ? 'on' : 'off'})`, () => {
        const style = buildStyle({ lang, basemapUrl, fontFaces: fonts })
        expect(validateStyleMin(style)).toEqual([])
      })
    }
  }

  it('is valid without declared fonts too', () => {
    expect(validateStyleMin(buildStyle({ lang: 'zh', basemapUrl: null }))).toEqual([])
  })

  it('references no external service: no glyphs or sprite URL, only local font files', () => {
    const style = buildStyle({ lang: 'zh', basemapUrl: null, fontFaces: fonts })
    expect(style.glyphs).toBeUndefined()
    expect(style.sprite).toBeUndefined()
    const urls = JSON.stringify(style).match(/https?:\/\/[^"]+/g) ?? []
    expect(urls.every((u) => u.startsWith('http://localhost/'))).toBe(true)
    expect(style['font-faces']?.[FONT_NAME]).toHaveLength(2)
  })

  it('adds the raster basemap under everything but the background only when configured', () => {
    const without = buildStyle({ lang: 'zh', basemapUrl: null })
    expect(without.sources[SOURCES.basemap]).toBeUndefined()
    expect(without.layers.map((l) => l.id)).not.toContain('basemap')
    const withBasemap = buildStyle({ lang: 'zh', basemapUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' })
    expect(withBasemap.layers.map((l) => l.id).slice(0, 2)).toEqual(['background', 'basemap'])
  })

  it('orders layers bottom to top: fills, then outlines, then the selection, then labels', () => {
    const ids = orderedLayers({ lang: 'zh', basemap: false }).map((l) => l.id)
    const at = (id: string) => ids.indexOf(id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(at('village-fill')).toBeLessThan(at('parcel-fill'))
    expect(at('parcel-fill')).toBeLessThan(at('gap-hatch'))
    expect(at('gap-hatch')).toBeLessThan(at('village-line'))
    expect(at('village-line')).toBeLessThan(at('township-line'))
    expect(at('township-line')).toBeLessThan(at('highlight-line'))
    expect(at('highlight-line')).toBeLessThan(at('village-label'))
  })

  it('labels in Chinese, or in English where a cell has an English name', () => {
    const label = (lang: 'zh' | 'en') =>
      JSON.stringify(buildStyle({ lang, basemapUrl: null }).layers.find((l) => l.id === 'village-label'))
    expect(label('zh')).not.toContain('nameEn')
    expect(label('en')).toContain('["coalesce",["get","nameEn"],["get","name"]]')
    expect(label('zh')).toContain('["get","code"]')
  })

  it('has the parcel tile variant: a vector source on the server tiles and the same paint with source-layer', () => {
    const style = buildStyle({ lang: 'zh', basemapUrl: null, fontFaces: fonts, tilesOrigin: 'http://localhost' })
    expect(validateStyleMin(style)).toEqual([])
    expect(style.sources[SOURCES.parcelTiles]).toEqual({
      type: 'vector',
      tiles: ['http://localhost/tiles/parcels/{z}/{x}/{y}.pbf'],
      minzoom: 13,
      maxzoom: 22,
    })
    const layer = (id: string) =>
      style.layers.find((l) => l.id === id) as Record<string, unknown> & {
        paint: unknown
        layout?: { visibility?: string }
      }
    for (const [geo, tile] of [
      ['parcel-fill', 'parcel-tile-fill'],
      ['parcel-line', 'parcel-tile-line'],
    ] as const) {
      expect(layer(tile)).toMatchObject({
        source: SOURCES.parcelTiles,
        'source-layer': 'parcels',
        minzoom: 13,
        type: layer(geo).type,
      })
      expect(layer(tile).paint).toEqual(layer(geo).paint)
      expect(layer(tile).layout?.visibility).toBe('none')
    }
    expect(LAYER_GROUPS.parcels).toContain('parcel-tile-fill')
    // without an origin the template is root-relative and the style still validates
    expect(validateStyleMin(buildStyle({ lang: 'en', basemapUrl: null }))).toEqual([])
  })

  it('every legend group names layers that exist', () => {
    const ids = new Set(orderedLayers({ lang: 'zh', basemap: true }).map((l) => l.id))
    for (const layers of Object.values(LAYER_GROUPS)) for (const id of layers) expect(ids).toContain(id)
  })
})

describe('parseFontFaceCss', () => {
  const css = `
/* noto-sans-sc-[119]-400-normal */
@font-face {
  font-family: 'Noto Sans SC';
  src: url(./files/noto-sans-sc-119-400-normal.woff2) format('woff2'), url(./files/noto-sans-sc-119-400-normal.woff) format('woff');
  unicode-range: U+20-22,U+4e00,U+ff0c;
}
@font-face {
  font-family: 'Noto Sans SC';
  src: url(./files/noto-sans-sc-latin-ext-400-normal.woff2) format('woff2');
  unicode-range: U+0100-02BA;
}
@font-face {
  font-family: 'Noto Sans SC';
  src: url(./files/noto-sans-sc-latin-400-normal.woff2) format('woff2');
  unicode-range: U+0000-00FF,U+2000-206F;
}`
  it('reads each woff2 file and its unicode ranges, Latin first', () => {
    const files = parseFontFaceCss(css)
    expect(files.map((f) => f.file)).toEqual([
      'noto-sans-sc-latin-400-normal.woff2',
      'noto-sans-sc-latin-ext-400-normal.woff2',
      'noto-sans-sc-119-400-normal.woff2',
    ])
    expect(files[2]!.ranges).toEqual(['U+20-22', 'U+4e00', 'U+ff0c'])
  })

  it('gives font-faces the validator accepts', () => {
    const style = buildStyle({
      lang: 'zh',
      basemapUrl: null,
      fontFaces: fontFacesOf(parseFontFaceCss(css), 'http://localhost/fonts/'),
    })
    expect(validateStyleMin(style)).toEqual([])
  })
})
