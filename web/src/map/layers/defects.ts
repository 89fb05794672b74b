// Coverage defects: gaps (land no cell of the next level covers) hatched in a strong colour, overlaps
// (land two cells of one level both claim) in a second strong colour.
import type { FillLayerSpecification, LineLayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import { SOURCES } from '../sources.js'
import { theme } from '../theme.js'
import { HATCH_IMAGE } from '../hatch.js'

export const gapFill: FillLayerSpecification = {
  id: 'gap-fill',
  type: 'fill',
  source: SOURCES.gaps,
  paint: { 'fill-color': theme.gap.fill, 'fill-opacity': 0.18 },
}

export const gapHatch: FillLayerSpecification = {
  id: 'gap-hatch',
  type: 'fill',
  source: SOURCES.gaps,
  paint: { 'fill-pattern': HATCH_IMAGE },
}

export const gapLine: LineLayerSpecification = {
  id: 'gap-line',
  type: 'line',
  source: SOURCES.gaps,
  paint: { 'line-color': theme.gap.line, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.2, 15, 2.5] },
}

export const overlapFill: FillLayerSpecification = {
  id: 'overlap-fill',
  type: 'fill',
  source: SOURCES.overlaps,
  paint: { 'fill-color': theme.overlap.fill, 'fill-opacity': 0.6 },
}

export const overlapLine: LineLayerSpecification = {
  id: 'overlap-line',
  type: 'line',
  source: SOURCES.overlaps,
  paint: { 'line-color': theme.overlap.line, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.2, 15, 2.5] },
}
