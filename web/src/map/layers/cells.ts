// Grid cells: villages filled by staffing status, outlines by level (townships heavier), labels.
import type {
  ExpressionSpecification,
  FillLayerSpecification,
  LineLayerSpecification,
  SymbolLayerSpecification,
} from '@maplibre/maplibre-gl-style-spec'
import { LEVEL, SOURCES } from '../sources.js'
import { theme } from '../theme.js'
import { FONT_STACK } from '../fonts.js'

export type LabelLanguage = 'zh' | 'en'

/** The staffing colour of a cell: vacant, then expiring soon, then understaffed, else staffed. */
export const staffingColor: ExpressionSpecification = [
  'case',
  ['==', ['get', 'staffing'], 'vacant'],
  theme.staffing.vacant,
  ['==', ['get', 'expiring'], true],
  theme.staffing.expiring,
  ['==', ['get', 'staffing'], 'understaffed'],
  theme.staffing.understaffed,
  theme.staffing.staffed,
]

export const villageFill: FillLayerSpecification = {
  id: 'village-fill',
  type: 'fill',
  source: SOURCES.villages,
  paint: {
    'fill-color': staffingColor,
    // fades as parcels appear so their status colours stay readable
    'fill-opacity': ['interpolate', ['linear'], ['zoom'], 9, 0.55, 12.5, 0.45, 14, 0.18],
  },
}

export const villageLine: LineLayerSpecification = {
  id: 'village-line',
  type: 'line',
  source: SOURCES.villages,
  paint: {
    'line-color': theme.village.line,
    'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.4, 12, 0.9, 15, 1.6],
  },
}

export const townshipLine: LineLayerSpecification = {
  id: 'township-line',
  type: 'line',
  source: SOURCES.townships,
  layout: { 'line-join': 'round' },
  paint: {
    'line-color': theme.township.line,
    'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.6, 12, 2.6, 15, 4],
  },
}

/** Chinese name, or the English one when the interface is English and the cell has one. */
export function nameExpression(lang: LabelLanguage): ExpressionSpecification {
  return lang === 'en' ? ['coalesce', ['get', 'nameEn'], ['get', 'name']] : ['get', 'name']
}

function labelField(lang: LabelLanguage): ExpressionSpecification {
  return ['format', nameExpression(lang), {}, '\n', {}, ['get', 'code'], { 'font-scale': 0.78 }]
}

export function townshipLabel(lang: LabelLanguage): SymbolLayerSpecification {
  return {
    id: 'township-label',
    type: 'symbol',
    source: SOURCES.labels,
    filter: ['==', ['get', 'level'], LEVEL.township],
    minzoom: 8,
    maxzoom: 12,
    layout: {
      'text-field': labelField(lang),
      'text-font': FONT_STACK,
      'text-size': ['interpolate', ['linear'], ['zoom'], 8, 12, 11, 16],
      'text-max-width': 8,
      'text-padding': 4,
    },
    paint: { 'text-color': theme.township.text, 'text-halo-color': theme.township.halo, 'text-halo-width': 1.6 },
  }
}

export function villageLabel(lang: LabelLanguage): SymbolLayerSpecification {
  return {
    id: 'village-label',
    type: 'symbol',
    source: SOURCES.labels,
    filter: ['==', ['get', 'level'], LEVEL.village],
    minzoom: 11.5,
    layout: {
      'text-field': labelField(lang),
      'text-font': FONT_STACK,
      'text-size': ['interpolate', ['linear'], ['zoom'], 11.5, 11, 15, 14],
      'text-max-width': 7,
      'text-padding': 2,
    },
    paint: { 'text-color': theme.village.text, 'text-halo-color': theme.village.halo, 'text-halo-width': 1.4 },
  }
}
