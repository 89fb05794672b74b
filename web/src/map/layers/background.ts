import type { BackgroundLayerSpecification, RasterLayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import { SOURCES } from '../sources.js'
import { theme } from '../theme.js'

export const background: BackgroundLayerSpecification = {
  id: 'background',
  type: 'background',
  paint: { 'background-color': theme.background },
}

/** Only present when the server is configured with a raster basemap (BASEMAP_URL). */
export const basemap: RasterLayerSpecification = {
  id: 'basemap',
  type: 'raster',
  source: SOURCES.basemap,
  paint: { 'raster-opacity': 0.85 },
}
