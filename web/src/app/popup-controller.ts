// The accountability popup: who answers for the place the user tapped (or a parcel they found). A tapped
// place is kept in the URL, so a link opens the same popup.
import { Popup } from 'maplibre-gl'
import { isAbort } from '../api/client.js'
import { loadingView, pointAccountabilityView } from '../panels/popup.js'
import { continuityDetails } from '../features/continuity/timeline-view.js'
import type { AppContext } from './context.js'

export class PopupController {
  private popup: Popup | null = null
  /** draws the popup's content again (after a language change) */
  private render: (() => HTMLElement) | null = null
  private controller: AbortController | null = null

  constructor(private readonly app: AppContext) {}

  /** Opens (or moves) the popup; `track`: its place goes into the URL. */
  open(lon: number, lat: number, render: () => HTMLElement, track: boolean) {
    const { url } = this.app
    this.render = render
    if (!this.popup) {
      // closeOnClick off: a click elsewhere on the map moves the popup there (our click handler)
      this.popup = new Popup({ maxWidth: '340px', focusAfterOpen: false, closeOnClick: false, className: 'acc-popup' })
      this.popup.on('close', () => {
        this.controller?.abort()
        this.render = null
        if (url.state.point) {
          url.state.point = undefined
          url.writeHash()
        }
      })
    }
    this.popup.setLngLat([lon, lat]).setDOMContent(render())
    if (!this.popup.isOpen()) this.popup.addTo(this.app.map)
    if (track) {
      url.state.point = [lon, lat]
    } else if (url.state.point) {
      url.state.point = undefined
    }
    url.writeHash()
  }

  /** Who answers for this place: the popup shows "loading" at once, then the answer. */
  async showPointPopup(lon: number, lat: number) {
    this.controller?.abort()
    const controller = new AbortController()
    this.controller = controller
    this.open(lon, lat, loadingView, true)
    try {
      const result = await this.app.api.accountability(lon, lat, controller.signal)
      if (controller.signal.aborted) return
      const edit = this.app.panels.edit ? (code: string) => this.app.edits.editCell(code) : undefined
      // signed in: the duty timeline (internal, never for a public-map visitor), and the township's
      // score, rank, ledger and vacancy-days under the township's own line of the chain
      const continuity = this.app.session ? (code: string) => continuityDetails(this.app.api, code) : undefined
      const township = result.chain.find((l) => l.level === 2)?.cell.code
      const figures = this.app.session && township ? this.app.townshipFigures : null
      this.open(
        lon,
        lat,
        () => {
          const view = pointAccountabilityView(result, { edit, continuity })
          if (figures && township) {
            const block = figures.view(township)
            const level = view.querySelector('li.level[data-level="2"]')
            if (level) level.append(block)
            else view.append(block)
          }
          return view
        },
        true,
      )
      this.app.debug.popups++
    } catch (e) {
      if (isAbort(e)) return
      this.app.toasts.show(e)
      this.popup?.remove()
    }
  }

  close() {
    this.popup?.remove()
  }

  /** The language changed: the open popup is drawn again. */
  rerender() {
    if (this.popup?.isOpen() && this.render) this.popup.setDOMContent(this.render())
  }
}
