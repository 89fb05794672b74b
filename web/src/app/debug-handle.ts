// What end-to-end tests (and a curious developer) can reach: window.__everyinch.
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { MapDrawing } from '../map/draw/drawing.js'
import type { UrlState } from '../map/url-state.js'

export interface DebugHandle {
  map: MapLibreMap
  /** true once the region's cells, gaps and overlaps are on the map */
  ready: boolean
  state: () => UrlState
  /** resolves when the map has rendered everything pending */
  idle: () => Promise<void>
  /** number of successful accountability lookups (popups) so far */
  popups: number
  /** the drawing tool (vertex editing, new shapes): tests read its last snap */
  drawing: MapDrawing
  /** number of times the flags layer was (re)loaded */
  flagLoads: number
  /** number of times the supervised objects layer was (re)loaded */
  objectLoads: number
  /** pins the parcel rendering ('tiles' or 'geojson') from the next settled view; null: by count */
  parcelMode: 'geojson' | 'tiles' | null
  /** the field outbox: what waits, items sent since the page opened, points recorded on the patrol walked */
  /** true once the service worker keeps what the app needs to open without a connection */
  offlineReady: boolean
  field: { queued: number; conflicts: number; others: number; sent: number; recorded: number }
}

declare global {
  interface Window {
    __everyinch?: DebugHandle
  }
}
