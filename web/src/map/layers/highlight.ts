// The current selection (a searched cell or parcel, a supervisor's cells, a clicked gap).
import type { FillLayerSpecification, LineLayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import { SOURCES } from '../sources.js'
import { theme } from '../theme.js'

export const highlightFill: FillLayerSpecification = {
  id: 'highlight-fill',
  type: 'fill',
  source: SOURCES.highlight,
  paint: { 'fill-color': theme.highlight.fill, 'fill-opacity': 0.12 },
}

export const highlightHalo: LineLayerSpecification = {
  id: 'highlight-halo',
  type: 'line',
  source: SOURCES.highlight,
  layout: { 'line-join': 'round' },
  paint: { 'line-color': theme.highlight.halo, 'line-width': 7, 'line-opacity': 0.9 },
}

export const highlightLine: LineLayerSpecification = {
  id: 'highlight-line',
  type: 'line',
  source: SOURCES.highlight,
  layout: { 'line-join': 'round' },
  paint: { 'line-color': theme.highlight.line, 'line-width': 3.5 },
}
