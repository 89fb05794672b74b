// Neighbouring counties, drawn for orientation only.
import type {
  FillLayerSpecification,
  LineLayerSpecification,
  SymbolLayerSpecification,
} from '@maplibre/maplibre-gl-style-spec'
import { SOURCES } from '../sources.js'
import { theme } from '../theme.js'
import { FONT_STACK } from '../fonts.js'

export const contextFill: FillLayerSpecification = {
  id: 'context-fill',
  type: 'fill',
  source: SOURCES.context,
  paint: { 'fill-color': theme.context.fill, 'fill-opacity': 0.8 },
}

export const contextLine: LineLayerSpecification = {
  id: 'context-line',
  type: 'line',
  source: SOURCES.context,
  paint: { 'line-color': theme.context.line, 'line-width': 1, 'line-dasharray': [3, 2] },
}

export const contextLabel: SymbolLayerSpecification = {
  id: 'context-label',
  type: 'symbol',
  source: SOURCES.context,
  maxzoom: 12,
  layout: {
    'text-field': ['get', 'name'],
    'text-font': FONT_STACK,
    'text-size': 13,
    'symbol-placement': 'point',
  },
  paint: { 'text-color': theme.context.text, 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
}

export const regionLine: LineLayerSpecification = {
  id: 'region-line',
  type: 'line',
  source: SOURCES.region,
  paint: { 'line-color': theme.region.line, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2, 14, 4] },
}
