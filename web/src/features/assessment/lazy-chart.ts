// Chart.js is loaded when a chart is first drawn (the dashboard), not with the map: a box stands in
// for the chart until then, so the views stay synchronous.
import { h } from '../../util/dom.js'

type Charts = typeof import('./charts.js')
let charts: Promise<Charts> | null = null

export function lazyChart(draw: (c: Charts) => HTMLElement): HTMLElement {
  const slot = h('div', { class: 'chart-slot' })
  charts ??= import('./charts.js')
  charts
    .then((c) => slot.replaceWith(draw(c)))
    .catch((e: unknown) => {
      charts = null
      slot.textContent = String(e)
    })
  return slot
}
