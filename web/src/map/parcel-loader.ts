// Parcels follow the viewport. The map talks to a ParcelSource, so the GeoJSON-by-bbox loader below
// can later be replaced by vector tiles (a `vector` source on /tiles/parcels/{z}/{x}/{y}) without
// touching the layers or the panels.
//
// The GeoJSON loader: nothing below PARCEL_MIN_ZOOM; above it, one request per settled view
// (debounced), for the viewport padded and snapped to a grid so small pans reuse what is loaded;
// a newer view aborts the older request; at most `limit` features per request (the server reports
// the full count in x-total-count, which the status line shows). When the count exceeds that cap the
// parcels are drawn from the server's vector tiles instead (parcel-mode.ts), and the status line
// says all of them are shown.
import type { Map as MapLibreMap, GeoJSONSource } from 'maplibre-gl'
import type { ApiClient } from '../api/client.js'
import { isAbort } from '../api/client.js'
import type { Bbox, ParcelCollection } from '../api/types.js'
import { PARCEL_MIN_ZOOM } from './layers/parcels.js'
import { SOURCES, emptyCollection } from './sources.js'
import { applyParcelLayers, chooseParcelMode, type ParcelRenderMode } from './parcel-mode.js'

export type ParcelLoadStatus =
  | { state: 'zoomed-out'; minZoom: number }
  | { state: 'loading' }
  | { state: 'loaded'; shown: number; total: number }
  | { state: 'error'; error: unknown }

export interface ParcelSource {
  attach(map: MapLibreMap): void
  detach(): void
  /** forget what is loaded and load the current view again (after an edit or a rematch) */
  refresh(): void
  onStatus(listener: (status: ParcelLoadStatus) => void): void
  /** the loaded parcel features (for highlighting a searched parcel) */
  loaded(): ParcelCollection
}

// ---- pure planning, unit-tested ------------------------------------------------------------------

export interface LoadedArea {
  bbox: Bbox
  /** the server had more parcels there than it sent */
  truncated: boolean
}

export type ParcelPlan = { action: 'clear' } | { action: 'keep' } | { action: 'load'; bbox: Bbox }

/** Grid step (degrees) the request bbox is snapped to: about a quarter of a z-zoom screen. */
export function snapStep(zoom: number): number {
  return 360 / 2 ** Math.floor(zoom) / 4
}

export function padBbox(b: Bbox, fraction: number): Bbox {
  const dx = (b[2] - b[0]) * fraction
  const dy = (b[3] - b[1]) * fraction
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy]
}

export function snapBbox(b: Bbox, step: number): Bbox {
  const down = (n: number) => Math.floor(n / step) * step
  const up = (n: number) => Math.ceil(n / step) * step
  const clampLon = (n: number) => Math.max(-180, Math.min(180, n))
  const clampLat = (n: number) => Math.max(-90, Math.min(90, n))
  return [clampLon(down(b[0])), clampLat(down(b[1])), clampLon(up(b[2])), clampLat(up(b[3]))]
}

export const containsBbox = (outer: Bbox, inner: Bbox) =>
  outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3]

/**
 * What to do for a settled view: clear (zoomed out), keep what is loaded, or load a new bbox. The
 * bbox is padded so small pans need no request, except after a truncated load: where parcels are
 * too dense for one request, the cap is spent on what is actually on screen.
 */
export function planParcelLoad(
  view: { bbox: Bbox; zoom: number },
  loaded: LoadedArea | null,
  minZoom = PARCEL_MIN_ZOOM,
): ParcelPlan {
  if (view.zoom < minZoom) return { action: 'clear' }
  if (loaded && !loaded.truncated && containsBbox(loaded.bbox, view.bbox)) return { action: 'keep' }
  const pad = loaded?.truncated ? 0.02 : 0.25
  return { action: 'load', bbox: snapBbox(padBbox(view.bbox, pad), snapStep(view.zoom + (loaded?.truncated ? 2 : 0))) }
}

// ---- the GeoJSON-by-bbox implementation ----------------------------------------------------------

export class GeoJsonParcelLoader implements ParcelSource {
  private map: MapLibreMap | null = null
  private loadedArea: LoadedArea | null = null
  private data: ParcelCollection = emptyCollection() as ParcelCollection
  private inflight: AbortController | null = null
  private timer: ReturnType<typeof setTimeout> | undefined
  private listeners = new Set<(s: ParcelLoadStatus) => void>()
  private readonly onMove = () => this.schedule()

  constructor(
    private readonly api: ApiClient,
    private readonly options: {
      limit?: number
      debounceMs?: number
      minZoom?: number
      /** pins the rendering (debug/e2e: window.__everyinch.parcelMode); null lets the count decide */
      forceMode?: () => ParcelRenderMode | null
    } = {},
  ) {}

  attach(map: MapLibreMap) {
    this.map = map
    map.on('moveend', this.onMove)
    this.schedule(0)
  }

  detach() {
    this.map?.off('moveend', this.onMove)
    this.inflight?.abort()
    if (this.timer) clearTimeout(this.timer)
    this.map = null
  }

  refresh() {
    this.loadedArea = null
    this.schedule(0)
  }

  onStatus(listener: (s: ParcelLoadStatus) => void) {
    this.listeners.add(listener)
  }

  loaded() {
    return this.data
  }

  private emit(s: ParcelLoadStatus) {
    for (const l of this.listeners) l(s)
  }

  private schedule(ms = this.options.debounceMs ?? 250) {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.update(), ms)
  }

  private source() {
    return this.map?.getSource<GeoJSONSource>(SOURCES.parcels)
  }

  /** Show the GeoJSON or the tile layers for this view; returns the mode. */
  private applyMode(map: MapLibreMap, total: number, zoom: number): ParcelRenderMode {
    const mode = chooseParcelMode({
      total,
      cap: this.options.limit ?? 5000,
      zoom,
      minZoom: this.options.minZoom ?? PARCEL_MIN_ZOOM,
      force: this.options.forceMode?.() ?? null,
    })
    applyParcelLayers(map, { mode })
    return mode
  }

  private async update() {
    const map = this.map
    if (!map) return
    const b = map.getBounds()
    const view = { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] as Bbox, zoom: map.getZoom() }
    const minZoom = this.options.minZoom ?? PARCEL_MIN_ZOOM
    const plan = planParcelLoad(view, this.loadedArea, minZoom)
    if (plan.action === 'clear') {
      this.inflight?.abort()
      this.applyMode(map, 0, view.zoom)
      // keep the loaded data: zooming back in over the same area needs no request
      this.emit({ state: 'zoomed-out', minZoom })
      return
    }
    if (plan.action === 'keep') {
      this.applyMode(map, this.data.features.length, view.zoom)
      this.emit({ state: 'loaded', shown: this.data.features.length, total: this.data.features.length })
      return
    }
    this.inflight?.abort()
    const controller = new AbortController()
    this.inflight = controller
    this.emit({ state: 'loading' })
    try {
      const limit = this.options.limit ?? 5000
      const { collection, total } = await this.api.parcels({ bbox: plan.bbox, limit }, controller.signal)
      if (controller.signal.aborted || this.map !== map) return
      this.data = collection
      this.loadedArea = { bbox: plan.bbox, truncated: total > collection.features.length }
      this.source()?.setData(collection)
      // from tiles every parcel is drawn, so nothing is left out
      const mode = this.applyMode(map, total, view.zoom)
      this.emit({ state: 'loaded', shown: mode === 'tiles' ? total : collection.features.length, total })
    } catch (e) {
      if (isAbort(e)) return
      this.emit({ state: 'error', error: e })
    } finally {
      if (this.inflight === controller) this.inflight = null
    }
  }
}
