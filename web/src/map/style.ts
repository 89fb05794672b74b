// Builds the whole MapLibre style in code: sources (empty GeoJSON the loaders fill), the ordered
// layers, and the locally served fonts. No external tile, glyph or sprite service is referenced.
import type { FontFacesSpecification, SourceSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec'
import { orderedLayers, type LayerOptions } from './layers/index.js'
import { PARCEL_TILE_ZOOM, SOURCES, emptyCollection, parcelTilesUrl } from './sources.js'

export interface StyleOptions extends Omit<LayerOptions, 'basemap'> {
  /** raster XYZ template ({z}/{x}/{y}) from /api/map-config, or null */
  basemapUrl: string | null
  /** from fontFacesOf(); undefined draws text with the browser's own fonts */
  fontFaces?: FontFacesSpecification
  /** origin the parcel tiles are fetched from (location.origin in the app; '' gives a root-relative URL) */
  tilesOrigin?: string
}

const geojson = (): SourceSpecification => ({ type: 'geojson', data: emptyCollection(), tolerance: 0.3 })

export function buildStyle(o: StyleOptions): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    [SOURCES.context]: geojson(),
    [SOURCES.region]: geojson(),
    [SOURCES.townships]: geojson(),
    [SOURCES.villages]: { ...geojson(), promoteId: 'code' } as SourceSpecification,
    [SOURCES.labels]: geojson(),
    [SOURCES.gaps]: geojson(),
    [SOURCES.overlaps]: geojson(),
    [SOURCES.defectPoints]: geojson(),
    [SOURCES.parcels]: { ...geojson(), promoteId: 'id' } as SourceSpecification,
    // hidden until a view holds more parcels than the GeoJSON loader sends (see parcel-mode.ts)
    [SOURCES.parcelTiles]: {
      type: 'vector',
      tiles: [parcelTilesUrl(o.tilesOrigin)],
      minzoom: PARCEL_TILE_ZOOM.min,
      maxzoom: PARCEL_TILE_ZOOM.max,
    },
    [SOURCES.highlight]: geojson(),
    [SOURCES.flags]: { ...geojson(), promoteId: 'id' } as SourceSpecification,
    [SOURCES.objects]: { ...geojson(), promoteId: 'id' } as SourceSpecification,
    [SOURCES.history]: geojson(),
    [SOURCES.editMarks]: geojson(),
    [SOURCES.draft]: geojson(),
    [SOURCES.walk]: geojson(),
  }
  if (o.basemapUrl) {
    sources[SOURCES.basemap] = { type: 'raster', tiles: [o.basemapUrl], tileSize: 256, maxzoom: 19 }
  }
  const style: StyleSpecification = {
    version: 8,
    name: 'everyinch',
    sources,
    layers: orderedLayers({ lang: o.lang, basemap: Boolean(o.basemapUrl) }),
  }
  if (o.fontFaces) style['font-faces'] = o.fontFaces
  return style
}
