// Fitting the map to a place so that it is not hidden under the legend or (on a phone) the bottom sheet.
import type { Map as MapLibreMap } from 'maplibre-gl'
import { fitBbox } from '../map/map-view.js'

export interface FitOptions {
  maxZoom?: number
  animate?: boolean
}

export interface FitChrome {
  map: MapLibreMap
  mapEl: HTMLElement
  legend: HTMLElement
  sidePanel: HTMLElement
}

export function fitClearOfChrome(chrome: FitChrome, bbox: number[] | null | undefined, options: FitOptions = {}) {
  const pad = { top: 50, bottom: 50, left: 50, right: 50 }
  const mapBox = chrome.mapEl.getBoundingClientRect()
  const legend = chrome.legend.getBoundingClientRect()
  if (legend.width && legend.right < mapBox.left + mapBox.width / 2)
    pad.left = Math.max(pad.left, legend.right - mapBox.left + 20)
  if (!chrome.sidePanel.hidden && getComputedStyle(chrome.sidePanel).position === 'absolute') {
    pad.bottom = Math.max(pad.bottom, mapBox.bottom - chrome.sidePanel.getBoundingClientRect().top + 20)
    pad.left = 30
    pad.right = 30
  }
  fitBbox(chrome.map, bbox, { ...options, padding: pad })
}
