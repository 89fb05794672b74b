// The URL hash keeps the view, the selection, the open panel and the popup's place, so a link (or a
// reload, or back/forward) opens the same thing.
import { formatHash, parseHash, type PanelName, type Selection, type UrlState } from '../map/url-state.js'
import { debounce } from '../util/dom.js'
import type { AppContext } from './context.js'

export class UrlStateController {
  /** what the URL says now (the view is written from the map on every move) */
  state: UrlState = parseHash(location.hash)

  constructor(private readonly app: AppContext) {}

  readonly writeHash = debounce(() => {
    const map = this.app.map
    const c = map.getCenter()
    this.state.view = { zoom: map.getZoom(), lat: c.lat, lon: c.lng }
    const hash = formatHash(this.state)
    if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname + location.search)
  }, 150)

  /** Back/forward, or a link edited by hand. */
  listen() {
    window.addEventListener('hashchange', () => this.applyHash(parseHash(location.hash)))
  }

  /** Makes the app show what `next` says (`initial`: the first time, after start-up). */
  applyHash(next: UrlState, initial = false) {
    const { map, region, selection, panels } = this.app
    if (!region) return
    if (next.view && !initial) {
      const c = map.getCenter()
      const v = next.view
      if (Math.abs(c.lat - v.lat) > 1e-6 || Math.abs(c.lng - v.lon) > 1e-6 || Math.abs(map.getZoom() - v.zoom) > 0.01) {
        map.jumpTo({ center: [v.lon, v.lat], zoom: v.zoom })
      }
    }
    const fly = !next.view
    const sel = next.selection
    const same = (a?: Selection, b?: Selection) => JSON.stringify(a) === JSON.stringify(b)
    if (initial || !same(sel, this.state.selection)) {
      if (!sel) selection.clear()
      else if (sel.kind === 'cell') void selection.selectCell(sel.code, { fly })
      else if (sel.kind === 'person') {
        // the person shows in the supervisor panel; another panel named in the link stays open
        next.panel ??= 'supervisor'
        void panels.supervisor?.select(sel.id)
      } else if (sel.kind === 'flag') {
        next.panel = 'flags'
        void panels.flags?.showFlag(sel.id)
      } else void selection.selectParcel(sel.id, null, { fly })
    }
    this.app.sidePanel.open(next.panel)
    if (next.point && (initial || JSON.stringify(next.point) !== JSON.stringify(this.state.point)))
      void this.app.popup.showPointPopup(next.point[0], next.point[1])
    this.state = { ...this.state, ...next, selection: sel, panel: next.panel, point: next.point }
    this.writeHash()
  }

  setSelection(sel: Selection | undefined) {
    this.state.selection = sel
    this.writeHash()
  }

  setPanel(panel: PanelName | undefined, render = true) {
    this.state.panel = panel
    if (render) this.app.sidePanel.open(panel)
    this.writeHash()
  }
}
