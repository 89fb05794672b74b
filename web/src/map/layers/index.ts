// The map's layers, bottom to top, and the groups the legend toggles.
import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import { background, basemap } from './background.js'
import { contextFill, contextLabel, contextLine, regionLine } from './context.js'
import { townshipLabel, townshipLine, villageFill, villageLabel, villageLine, type LabelLanguage } from './cells.js'
import { gapFill, gapHatch, gapLine, gapMarker, overlapFill, overlapLine, overlapMarker } from './defects.js'
import { parcelFill, parcelLine, parcelTileFill, parcelTileLine } from './parcels.js'
import { highlightFill, highlightHalo, highlightLine } from './highlight.js'
import { flagAreaFill, flagAreaLine, flagEscalated, flagPoint } from './flags.js'
import { draftPoint, editMark, historyLine } from './editing.js'
import { objectFill, objectLine, objectPoint } from './objects.js'
import { walkAccuracy, walkPosition, walkTrack } from './patrol.js'

export interface LayerOptions {
  lang: LabelLanguage
  /** include the raster basemap layer (only when the server has BASEMAP_URL) */
  basemap: boolean
}

export function orderedLayers(o: LayerOptions): LayerSpecification[] {
  return [
    background,
    ...(o.basemap ? [basemap] : []),
    contextFill,
    contextLine,
    villageFill,
    parcelFill,
    parcelLine,
    parcelTileFill,
    parcelTileLine,
    gapFill,
    gapHatch,
    gapLine,
    overlapFill,
    overlapLine,
    villageLine,
    townshipLine,
    regionLine,
    highlightFill,
    highlightHalo,
    highlightLine,
    historyLine,
    gapMarker,
    overlapMarker,
    contextLabel,
    townshipLabel(o.lang),
    villageLabel(o.lang),
    // objects, flags and the editor's marks above the labels: they are what the user acts on
    objectFill,
    objectLine,
    objectPoint,
    flagAreaFill,
    flagAreaLine,
    flagEscalated,
    flagPoint,
    editMark,
    draftPoint,
    walkTrack,
    walkAccuracy,
    walkPosition,
  ]
}

/** What the legend switches on and off, and the layers each switch controls. */
export const LAYER_GROUPS = {
  staffing: [villageFill.id],
  villages: [villageLine.id],
  townships: [townshipLine.id],
  gaps: [gapFill.id, gapHatch.id, gapLine.id, gapMarker.id],
  overlaps: [overlapFill.id, overlapLine.id, overlapMarker.id],
  // both renderings: setGroupVisible only shows the pair of the current parcel mode
  parcels: [parcelFill.id, parcelLine.id, parcelTileFill.id, parcelTileLine.id],
  labels: ['township-label', 'village-label'],
  context: [contextFill.id, contextLine.id, contextLabel.id],
  basemap: [basemap.id],
  flags: [flagAreaFill.id, flagAreaLine.id, flagEscalated.id, flagPoint.id],
  objects: [objectFill.id, objectLine.id, objectPoint.id],
} as const satisfies Record<string, readonly string[]>

export type LayerGroup = keyof typeof LAYER_GROUPS
export const LAYER_GROUP_NAMES = Object.keys(LAYER_GROUPS) as LayerGroup[]

/** Layers a click should consider "on the grid" (used to describe a click before the server answers). */
export const CLICKABLE_LAYERS = [villageFill.id, parcelFill.id, parcelTileFill.id, gapFill.id, overlapFill.id] as const

/** Layers whose features open a flag when clicked (before the accountability popup is asked for). */
export const FLAG_LAYERS = [flagPoint.id, flagEscalated.id, flagAreaFill.id] as const

/** Layers whose features open a supervised object when clicked. */
export const OBJECT_LAYERS = [objectPoint.id, objectFill.id] as const
