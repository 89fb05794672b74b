// Creates the MapLibre map with the style built in code, and owns what is drawn on it: the hatch
// image, the defect and highlight sources, label language and layer visibility.
import {
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
  type GeoJSONSource,
  type LngLatBoundsLike,
} from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url'
import 'maplibre-gl/dist/maplibre-gl.css'
import { fontBase, fontFiles } from 'virtual:map-fonts'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import type { CoverageReport } from '../api/types.js'
import { buildStyle } from './style.js'
import { fontFacesOf, LOCAL_FONT_FALLBACK } from './fonts.js'
import { hatchPattern, HATCH_IMAGE } from './hatch.js'
import { theme } from './theme.js'
import { LAYER_GROUPS, type LayerGroup } from './layers/index.js'
import { applyParcelLayers } from './parcel-mode.js'
import { townshipLabel, villageLabel, type LabelLanguage } from './layers/cells.js'
import { SOURCES } from './sources.js'
import type { MapView } from './url-state.js'

setWorkerUrl(workerUrl)

export interface CreateMapOptions {
  container: HTMLElement
  lang: LabelLanguage
  basemapUrl: string | null
  view?: MapView
}

export function createMap(o: CreateMapOptions): MapLibreMap {
  const style = buildStyle({
    lang: o.lang,
    basemapUrl: o.basemapUrl,
    fontFaces: fontFacesOf(fontFiles, new URL(fontBase, location.origin).toString()),
    tilesOrigin: location.origin,
  })
  const map = new MapLibreMap({
    container: o.container,
    style,
    center: o.view ? [o.view.lon, o.view.lat] : [113.06, 35.17],
    zoom: o.view?.zoom ?? 9.5,
    minZoom: 5,
    maxZoom: 19,
    localIdeographFontFamily: LOCAL_FONT_FALLBACK,
    attributionControl: { compact: true, customAttribution: 'everyinch · Noto Sans SC (OFL)' },
    dragRotate: false,
    pitchWithRotate: false,
  })
  map.touchZoomRotate.disableRotation()
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right')
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right')
  map.on('load', () => {
    const hatch = hatchPattern({ size: 24, stripes: 2, lineWidth: 3.2, color: theme.gap.hatch })
    map.addImage(HATCH_IMAGE, hatch, { pixelRatio: 2 })
  })
  return map
}

export function setSourceData(map: MapLibreMap, source: string, data: FeatureCollection | Feature) {
  map.getSource<GeoJSONSource>(source)?.setData(data)
}

/** Gaps and overlaps from a coverage report of the whole region. */
export function showDefects(map: MapLibreMap, report: CoverageReport) {
  setSourceData(map, SOURCES.gaps, {
    type: 'FeatureCollection',
    features: report.gaps.map((g) => ({
      type: 'Feature',
      geometry: g.geometry,
      properties: { id: g.id, parentCode: g.parentCode, areaM2: g.areaM2, kind: g.kind },
    })),
  })
  setSourceData(map, SOURCES.overlaps, {
    type: 'FeatureCollection',
    features: report.overlaps.map((o) => ({
      type: 'Feature',
      geometry: o.geometry,
      properties: { id: o.id, cellCodes: o.cellCodes.join(','), areaM2: o.areaM2 },
    })),
  })
  const point = (kind: 'gap' | 'overlap', d: { id: string; point: number[] }): Feature => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: d.point.slice(0, 2) },
    properties: { kind, id: d.id },
  })
  setSourceData(map, SOURCES.defectPoints, {
    type: 'FeatureCollection',
    features: [...report.gaps.map((g) => point('gap', g)), ...report.overlaps.map((o) => point('overlap', o))],
  })
}

export function setHighlight(map: MapLibreMap, geometries: Geometry[]) {
  setSourceData(map, SOURCES.highlight, {
    type: 'FeatureCollection',
    features: geometries.map((geometry) => ({ type: 'Feature', geometry, properties: {} })),
  })
}

export function setLabelLanguage(map: MapLibreMap, lang: LabelLanguage) {
  for (const layer of [townshipLabel(lang), villageLabel(lang)]) {
    if (map.getLayer(layer.id)) map.setLayoutProperty(layer.id, 'text-field', layer.layout!['text-field'])
  }
}

export function setGroupVisible(map: MapLibreMap, group: LayerGroup, visible: boolean) {
  // parcels: only the pair of the current mode (GeoJSON or tiles) is ever shown
  if (group === 'parcels') return applyParcelLayers(map, { visible })
  for (const id of LAYER_GROUPS[group]) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none')
  }
}

export type Padding = { top: number; bottom: number; left: number; right: number }

export function fitBbox(
  map: MapLibreMap,
  bbox: number[] | null | undefined,
  options: { maxZoom?: number; animate?: boolean; padding?: Padding } = {},
) {
  if (!bbox || bbox.length < 4) return
  const [w, s, e, n] = bbox as [number, number, number, number]
  const bounds: LngLatBoundsLike = [
    [w, s],
    [e, n],
  ]
  const { clientWidth, clientHeight } = map.getContainer()
  let padding = options.padding ?? { top: 50, bottom: 50, left: 50, right: 50 }
  // never pad away more than the map has: fitBounds refuses to move then
  if (padding.left + padding.right > clientWidth - 60 || padding.top + padding.bottom > clientHeight - 60) {
    padding = { top: 20, bottom: 20, left: 20, right: 20 }
  }
  map.fitBounds(bounds, { padding, maxZoom: options.maxZoom ?? 16, duration: options.animate === false ? 0 : 900 })
}
