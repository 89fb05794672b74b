// Coverage defects: gaps (land no cell of the next level covers) hatched in a strong colour, overlaps
// (land two cells of one level both claim) in a second strong colour.
import type {
  CircleLayerSpecification,
  FillLayerSpecification,
  LineLayerSpecification,
} from '@maplibre/maplibre-gl-style-spec'
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

/** Below this zoom a gap or overlap is a few pixels wide: a ring marks where it is. */
export const DEFECT_MARKER_MAX_ZOOM = 13

function marker(kind: 'gap' | 'overlap', color: string): CircleLayerSpecification {
  return {
    id: `${kind}-marker`,
    type: 'circle',
    source: SOURCES.defectPoints,
    maxzoom: DEFECT_MARKER_MAX_ZOOM,
    filter: ['==', ['get', 'kind'], kind],
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 6, 12, 10],
      'circle-color': color,
      'circle-opacity': 0.25,
      'circle-stroke-color': color,
      'circle-stroke-width': 2.5,
    },
  }
}

export const gapMarker = marker('gap', theme.gap.fill)
export const overlapMarker = marker('overlap', theme.overlap.fill)
