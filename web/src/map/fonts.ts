// Text on the map without any font or glyph service.
//
// MapLibre draws every glyph itself (TinySDF on a canvas) when the style has no `glyphs` URL, and it
// draws with the font files the style declares in `font-faces`. We declare Noto Sans SC (SIL OFL),
// taken from the @fontsource/noto-sans-sc package at build time: its ~100 woff2 files each cover one
// `unicode-range` slice (Latin, digits, punctuation, then CJK by frequency), so the map downloads only
// the few slices its labels use, from our own server. Chinese names and digit codes then look the
// same on every machine, whatever fonts it has, and nothing leaves the site.
//
// The build side (vite.config.ts) reads the package's CSS with `parseFontFaceCss` and serves the files
// under /fonts/; the browser side turns the manifest into the style's `font-faces` with `fontFacesOf`.
import type { FontFacesSpecification } from '@maplibre/maplibre-gl-style-spec'

/** The one font name every symbol layer uses (`text-font`). */
export const FONT_NAME = 'Noto Sans SC Regular'
export const FONT_STACK = [FONT_NAME]

/** CSS fallback for glyphs no declared file covers (and for MapLibre's CJK path). */
export const LOCAL_FONT_FALLBACK =
  "'Noto Sans SC', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', 'Source Han Sans SC', sans-serif"

export interface FontFile {
  /** file name inside the package's files/ folder */
  file: string
  /** CSS unicode-range entries, e.g. "U+4e00-4e2d" */
  ranges: string[]
}

/**
 * Reads a fontsource CSS file (one @font-face block per unicode-range slice) into a manifest of
 * woff2 files and their ranges. The Latin slices come first so that digits and letters, which
 * also appear in the CJK slices, are drawn from the small Latin file.
 */
export function parseFontFaceCss(css: string): FontFile[] {
  const files: FontFile[] = []
  for (const block of css.match(/@font-face\s*{[^}]*}/g) ?? []) {
    const file = /url\(\.\/files\/([^)]+?\.woff2)\)/.exec(block)?.[1]
    if (!file) continue
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1]
    const ranges = range ? range.split(',').map((r) => r.trim().replace(/^u\+/i, 'U+')) : []
    files.push({ file, ranges })
  }
  const latinFirst = (f: FontFile) => (/-latin-\d/.test(f.file) ? 0 : /-latin-ext-/.test(f.file) ? 1 : 2)
  return files.sort((a, b) => latinFirst(a) - latinFirst(b))
}

/** The style's `font-faces` for the manifest, with file URLs under `baseUrl` (absolute). */
export function fontFacesOf(manifest: readonly FontFile[], baseUrl: string): FontFacesSpecification | undefined {
  if (manifest.length === 0) return undefined
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`
  return {
    [FONT_NAME]: manifest.map((f) =>
      f.ranges.length ? { url: base + f.file, 'unicode-range': [...f.ranges] } : { url: base + f.file },
    ),
  }
}
