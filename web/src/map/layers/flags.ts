// Inspectors' flags, coloured by workflow state. An escalated flag gets a heavy dark-red ring, an
// overdue one a dashed-looking double ring, so a supervisor sees at once what is late. Areas are
// drawn as a tinted outline with their point on top (flag-features.ts adds the point).
import type {
  CircleLayerSpecification,
  ExpressionSpecification,
  FillLayerSpecification,
  LineLayerSpecification,
} from '@maplibre/maplibre-gl-style-spec'
import { SOURCES } from '../sources.js'
import { theme } from '../theme.js'

export const flagColor: ExpressionSpecification = [
  'match',
  ['get', 'state'],
  'reported',
  theme.flag.reported,
  'registered',
  theme.flag.registered,
  'dispatched',
  theme.flag.dispatched,
  'in_progress',
  theme.flag.in_progress,
  'feedback',
  theme.flag.feedback,
  'closed',
  theme.flag.closed,
  theme.flag.rejected,
]

export const flagAreaFill: FillLayerSpecification = {
  id: 'flag-area-fill',
  type: 'fill',
  source: SOURCES.flags,
  filter: ['==', ['geometry-type'], 'Polygon'],
  paint: { 'fill-color': flagColor, 'fill-opacity': 0.22 },
}

export const flagAreaLine: LineLayerSpecification = {
  id: 'flag-area-line',
  type: 'line',
  source: SOURCES.flags,
  filter: ['==', ['geometry-type'], 'Polygon'],
  paint: { 'line-color': flagColor, 'line-width': 2 },
}

const isPoint: ExpressionSpecification = ['==', ['geometry-type'], 'Point']

export const flagEscalated: CircleLayerSpecification = {
  id: 'flag-escalated',
  type: 'circle',
  source: SOURCES.flags,
  filter: ['all', isPoint, ['>', ['get', 'escalationLevel'], 0]],
  paint: {
    'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 9, 15, 14],
    'circle-color': theme.flag.escalated,
    'circle-opacity': 0.25,
    'circle-stroke-color': theme.flag.escalated,
    'circle-stroke-width': 3,
  },
}

export const flagPoint: CircleLayerSpecification = {
  id: 'flag-point',
  type: 'circle',
  source: SOURCES.flags,
  filter: isPoint,
  paint: {
    'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 4.5, 15, 7.5],
    'circle-color': flagColor,
    'circle-stroke-color': ['case', ['boolean', ['get', 'overdue'], false], theme.flag.escalated, theme.flag.outline],
    'circle-stroke-width': ['case', ['boolean', ['get', 'overdue'], false], 2.5, 1.5],
  },
}
