// The supervision inventory (监管清单): each object in the colour of its match status — the parcel
// colours, so "unowned" means the same on every layer — as a dot with a dark ring (thicker for high
// risk) at every zoom, and a site's or farm's outline from zoom 13.
import type {
  CircleLayerSpecification,
  ExpressionSpecification,
  FillLayerSpecification,
  LineLayerSpecification,
} from '@maplibre/maplibre-gl-style-spec'
import { SOURCES } from '../sources.js'
import { theme } from '../theme.js'

export const objectColor: ExpressionSpecification = [
  'match',
  ['get', 'matchStatus'],
  'matched',
  theme.parcel.matched,
  'straddling',
  theme.parcel.straddling,
  'inherited',
  theme.parcel.inherited,
  theme.parcel.unowned,
]

const isPolygon: ExpressionSpecification = ['==', ['geometry-type'], 'Polygon']

export const objectFill: FillLayerSpecification = {
  id: 'object-fill',
  type: 'fill',
  source: SOURCES.objects,
  minzoom: 13,
  filter: isPolygon,
  paint: { 'fill-color': objectColor, 'fill-opacity': 0.3 },
}

export const objectLine: LineLayerSpecification = {
  id: 'object-line',
  type: 'line',
  source: SOURCES.objects,
  minzoom: 13,
  filter: isPolygon,
  paint: { 'line-color': theme.object.ring, 'line-width': 1.5 },
}

export const objectPoint: CircleLayerSpecification = {
  id: 'object-point',
  type: 'circle',
  source: SOURCES.objects,
  filter: ['==', ['geometry-type'], 'Point'],
  paint: {
    'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 3.5, 15, 6.5],
    'circle-color': objectColor,
    'circle-stroke-color': theme.object.ring,
    'circle-stroke-width': ['match', ['get', 'riskLevel'], 'high', 2.5, 1.5],
  },
}
