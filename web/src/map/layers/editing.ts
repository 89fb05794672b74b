// What the boundary editor and the flag form draw with the style's own layers (the vertex handles
// themselves are Terra Draw's): an old version's outline from the history, the places a preview or a
// validation error points at, and the point a flag is being reported at.
import type { CircleLayerSpecification, LineLayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import { SOURCES } from '../sources.js'
import { theme } from '../theme.js'

export const historyLine: LineLayerSpecification = {
  id: 'history-line',
  type: 'line',
  source: SOURCES.history,
  layout: { 'line-join': 'round' },
  paint: { 'line-color': theme.edit.history, 'line-width': 3, 'line-dasharray': [2, 1.5] },
}

export const editMark: CircleLayerSpecification = {
  id: 'edit-mark',
  type: 'circle',
  source: SOURCES.editMarks,
  paint: {
    'circle-radius': 11,
    'circle-color': theme.edit.problem,
    'circle-opacity': 0.2,
    'circle-stroke-color': theme.edit.problem,
    'circle-stroke-width': 3,
  },
}

export const draftPoint: CircleLayerSpecification = {
  id: 'flag-draft',
  type: 'circle',
  source: SOURCES.draft,
  paint: {
    'circle-radius': 9,
    'circle-color': theme.draft.fill,
    'circle-stroke-color': theme.draft.line,
    'circle-stroke-width': 3,
  },
}
