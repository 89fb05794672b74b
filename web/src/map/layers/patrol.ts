// The patrol being walked on this phone: the track recorded since the page opened, a circle as wide
// as the fix is uncertain, and the phone's position on top of everything, as navigation apps draw it.
import type { CircleLayerSpecification, LineLayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import { SOURCES } from '../sources.js'
import { theme } from '../theme.js'

export const walkTrack: LineLayerSpecification = {
  id: 'walk-track',
  type: 'line',
  source: SOURCES.walk,
  filter: ['==', ['geometry-type'], 'LineString'],
  layout: { 'line-join': 'round', 'line-cap': 'round' },
  paint: { 'line-color': theme.walk.track, 'line-width': 4, 'line-opacity': 0.85 },
}

/**
 * The fix's uncertainty drawn to scale. The feature carries `r0`, its radius in pixels at zoom 0
 * (accuracy in metres over 78,271.5 m/px · cos(latitude), for 512-px tiles); each zoom doubles it.
 */
export const walkAccuracy: CircleLayerSpecification = {
  id: 'walk-accuracy',
  type: 'circle',
  source: SOURCES.walk,
  filter: ['==', ['geometry-type'], 'Point'],
  paint: {
    'circle-radius': ['interpolate', ['exponential', 2], ['zoom'], 0, ['get', 'r0'], 22, ['*', ['get', 'r0'], 4194304]],
    'circle-color': theme.walk.accuracy,
    'circle-opacity': 0.15,
  },
}

export const walkPosition: CircleLayerSpecification = {
  id: 'walk-position',
  type: 'circle',
  source: SOURCES.walk,
  filter: ['==', ['geometry-type'], 'Point'],
  paint: {
    'circle-radius': 7,
    'circle-color': theme.walk.position,
    'circle-stroke-color': theme.walk.halo,
    'circle-stroke-width': 2.5,
  },
}
