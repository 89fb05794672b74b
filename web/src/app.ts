// The application: wires the API client, the map and the panels, and keeps the URL hash in step with
// the view and the selection.
import { Popup, type Map as MapLibreMap, type MapMouseEvent } from 'maplibre-gl'
import type { Geometry } from 'geojson'
import { ApiClient, isAbort } from './api/client.js'
import type { CoverageReport, MapConfig, PersonDetail, Region, SearchHit, Session } from './api/types.js'
import { displayName, lang, onLanguageChange, setLanguage, t, tKey } from './i18n/index.js'
import { CellLoader } from './map/cell-loader.js'
import { createMap, fitBbox as fitMapTo, setGroupVisible, setHighlight, setLabelLanguage, setSourceData, showDefects } from './map/map-view.js'
import { GeoJsonParcelLoader, type ParcelSource } from './map/parcel-loader.js'
import { SOURCES } from './map/sources.js'
import { formatHash, parseHash, type PanelName, type Selection, type UrlState } from './map/url-state.js'
import { CoveragePanel } from './panels/coverage.js'
import { Toasts } from './panels/errors.js'
import { Legend } from './panels/legend.js'
import { loadingView, parcelAccountabilityView, pointAccountabilityView } from './panels/popup.js'
import { SearchBox } from './panels/search.js'
import { signInOverlay } from './panels/signin.js'
import { SupervisorPanel } from './panels/supervisor.js'
import { clear, debounce, h } from './util/dom.js'

/** What end-to-end tests (and a curious developer) can reach: window.__everyinch. */
export interface DebugHandle {
  map: MapLibreMap
  /** true once the region's cells, gaps and overlaps are on the map */
  ready: boolean
  state: () => UrlState
  /** resolves when the map has rendered everything pending */
  idle: () => Promise<void>
  /** number of successful accountability lookups (popups) so far */
  popups: number
}

declare global {
  interface Window {
    __everyinch?: DebugHandle
  }
}

const PHONE = '(max-width: 700px)'

export class App {
  private readonly api: ApiClient
  private readonly toasts = new Toasts()
  private session: Session | null
  private map!: MapLibreMap
  private region: Region | null = null
  private cells: CellLoader | null = null
  private parcels: ParcelSource | null = null
  private coverage: CoveragePanel | null = null
  private supervisor: SupervisorPanel | null = null
  private readonly coverageCache = new Map<string, CoverageReport>()
  private state: UrlState
  private popup: Popup | null = null
  private popupRender: (() => HTMLElement) | null = null
  private popupController: AbortController | null = null
  private signInEl: HTMLElement | null = null
  private started = false

  // shell
  private readonly topbar = h('header', { class: 'topbar' })
  private readonly mapEl = h('div', { class: 'map', id: 'map', 'data-testid': 'map' })
  private readonly panelTitle = h('h2')
  private readonly panelBody = h('div', { class: 'panel-body' })
  private readonly sidePanel = h('aside', { class: 'side-panel', hidden: true, 'data-testid': 'side-panel' })
  private readonly workspace = h('main', { class: 'workspace' })
  private readonly legend: Legend
  private readonly search: SearchBox
  private readonly debug: DebugHandle

  constructor(
    private readonly root: HTMLElement,
    private readonly config: MapConfig,
    session: Session | null,
    api: ApiClient,
  ) {
    this.api = api
    this.session = session
    this.state = parseHash(location.hash)
    const phone = matchMedia(PHONE).matches
    this.legend = new Legend({
      basemap: Boolean(config.basemapUrl),
      collapsed: phone && this.state.panel !== 'layers',
      onToggle: (group, visible) => setGroupVisible(this.map, group, visible),
      onCollapse: (collapsed) => {
        if (matchMedia(PHONE).matches) this.setPanelState(collapsed ? (this.state.panel === 'layers' ? undefined : this.state.panel) : 'layers', false)
      },
    })
    this.search = new SearchBox(this.api, (hit) => void this.goToHit(hit))

    const grip = h('span', { class: 'panel-grip', 'aria-hidden': 'true' })
    const header = h(
      'div',
      { class: 'panel-header' },
      grip,
      this.panelTitle,
      h('button', { class: 'icon-button peek-toggle', type: 'button', 'aria-label': t('panelToggle'), onclick: () => this.sidePanel.classList.toggle('peek') }, '↕'),
      h('button', { class: 'icon-button', type: 'button', 'aria-label': t('close'), 'data-testid': 'panel-close', onclick: () => this.openPanel(undefined) }, '×'),
    )
    this.sidePanel.append(header, this.panelBody)
    this.workspace.append(this.mapEl, this.legend.el, this.sidePanel)
    clear(this.root, this.topbar, this.workspace, this.toasts.el)
    this.renderTopbar()

    this.map = createMap({ container: this.mapEl, lang: lang(), basemapUrl: config.basemapUrl, view: this.state.view })
    this.debug = {
      map: this.map,
      ready: false,
      state: () => ({ ...this.state }),
      idle: () =>
        new Promise<void>((resolve) => {
          this.map.once('idle', () => resolve())
          this.map.triggerRepaint()
        }),
      popups: 0,
    }
    window.__everyinch = this.debug
    this.map.on('error', (e) => {
      // tile/glyph hiccups are logged, not shown: everything the user asked for reports its own errors
      console.warn('map error', e.error)
    })

    onLanguageChange(() => this.rerender())
    window.addEventListener('hashchange', () => this.applyHash(parseHash(location.hash)))

    if (!session && !config.publicMap) this.showSignIn()
    else void this.start()
  }

  // ---- sign-in -------------------------------------------------------------------------------------

  private showSignIn() {
    if (this.signInEl) return
    this.signInEl = signInOverlay(this.api, this.config, (s) => {
      this.session = s
      this.signInEl?.remove()
      this.signInEl = null
      this.renderTopbar()
      if (this.started) location.reload()
      else void this.start()
    })
    this.root.append(this.signInEl)
  }

  /** The session ended under us (a 401): ask to sign in again. */
  sessionExpired() {
    if (this.config.publicMap && !this.session) return
    this.session = null
    this.renderTopbar()
    this.showSignIn()
  }

  private async signOut() {
    try {
      await this.api.signOut()
    } catch (e) {
      this.toasts.show(e)
    }
    location.reload()
  }

  // ---- start ---------------------------------------------------------------------------------------

  private async start() {
    this.started = true
    const map = this.map
    if (!map.loaded()) await new Promise<void>((resolve) => map.once('load', () => resolve()))
    try {
      const regions = await this.api.regions()
      this.region = regions[0] ?? null
    } catch (e) {
      this.toasts.show(e)
      return
    }
    const region = this.region
    if (!region) {
      this.toasts.show(new Error('no region is loaded on the server yet (import one with the CLI)'))
      return
    }
    if (!this.state.view) this.fit(region.bbox, { animate: false })
    this.renderTopbar()

    const loads: Promise<unknown>[] = []
    loads.push(this.api.contextAreas().then((fc) => setSourceData(map, SOURCES.context, fc)))
    loads.push(this.api.regionOutline(region.code).then((f) => setSourceData(map, SOURCES.region, f)))
    this.cells = new CellLoader(this.api, region.code, (e) => this.toasts.show(e))
    loads.push(this.cells.attach(map))
    loads.push(
      this.api.coverage({ region: region.code }).then((report) => {
        this.coverageCache.set(`region:${region.code}`, report)
        showDefects(map, report)
      }),
    )
    this.parcels = new GeoJsonParcelLoader(this.api)
    this.parcels.onStatus((s) => this.legend.setParcelStatus(s))
    this.parcels.attach(map)

    this.coverage = new CoveragePanel(this.api, region, {
      zoomTo: (bbox, geometry) => this.zoomToArea(bbox, geometry),
      selectCell: (code) => void this.selectCell(code),
    }, this.coverageCache)
    this.supervisor = new SupervisorPanel(this.api, this.session?.user.role === 'supervisor' ? this.session.user.personId : null, {
      showPerson: (p) => this.showPerson(p),
      selectCell: (code) => void this.selectCell(code),
      goToPoint: (lon, lat) => {
        this.map.flyTo({ center: [lon, lat], zoom: Math.max(this.map.getZoom(), 16) })
        void this.showPointPopup(lon, lat)
      },
      personChanged: (id) => this.setSelection(id === null ? undefined : { kind: 'person', id }),
    })

    map.on('click', (e: MapMouseEvent) => void this.showPointPopup(e.lngLat.lng, e.lngLat.lat))
    for (const layer of ['village-fill', 'gap-fill', 'overlap-fill', 'parcel-fill']) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'))
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''))
    }
    map.on('moveend', () => this.writeHash())

    const results = await Promise.allSettled(loads)
    for (const r of results) if (r.status === 'rejected') this.toasts.show(r.reason)

    // A supervisor opens on their own cells unless the link says otherwise.
    const own = this.session?.user.role === 'supervisor' ? this.session.user.personId : null
    const initial = { ...this.state }
    if (own !== null && !initial.selection && !initial.panel) {
      initial.selection = { kind: 'person', id: own }
      initial.panel = 'supervisor'
    }
    this.applyHash(initial, true)
    this.debug.ready = true
  }

  /** Fits the map to a bbox, keeping it clear of the legend and (on a phone) the bottom sheet. */
  private fit(bbox: number[] | null | undefined, options: { maxZoom?: number; animate?: boolean } = {}) {
    const pad = { top: 50, bottom: 50, left: 50, right: 50 }
    const mapBox = this.mapEl.getBoundingClientRect()
    const legend = this.legend.el.getBoundingClientRect()
    if (legend.width && legend.right < mapBox.left + mapBox.width / 2) pad.left = Math.max(pad.left, legend.right - mapBox.left + 20)
    if (!this.sidePanel.hidden && getComputedStyle(this.sidePanel).position === 'absolute') {
      pad.bottom = Math.max(pad.bottom, mapBox.bottom - this.sidePanel.getBoundingClientRect().top + 20)
      pad.left = 30
      pad.right = 30
    }
    fitMapTo(this.map, bbox, { ...options, padding: pad })
  }

  // ---- URL state -----------------------------------------------------------------------------------

  private readonly writeHash = debounce(() => {
    const c = this.map.getCenter()
    this.state.view = { zoom: this.map.getZoom(), lat: c.lat, lon: c.lng }
    const hash = formatHash(this.state)
    if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname + location.search)
  }, 150)

  private applyHash(next: UrlState, initial = false) {
    if (!this.region) return
    if (next.view && !initial) {
      const c = this.map.getCenter()
      const v = next.view
      if (Math.abs(c.lat - v.lat) > 1e-6 || Math.abs(c.lng - v.lon) > 1e-6 || Math.abs(this.map.getZoom() - v.zoom) > 0.01) {
        this.map.jumpTo({ center: [v.lon, v.lat], zoom: v.zoom })
      }
    }
    const fly = !next.view
    const sel = next.selection
    const same = (a?: Selection, b?: Selection) => JSON.stringify(a) === JSON.stringify(b)
    if (initial || !same(sel, this.state.selection)) {
      if (!sel) this.clearSelection()
      else if (sel.kind === 'cell') void this.selectCell(sel.code, { fly })
      else if (sel.kind === 'person') {
        next.panel = 'supervisor'
        void this.supervisor?.select(sel.id)
      } else void this.selectParcel(sel.id, null, { fly })
    }
    this.openPanel(next.panel)
    if (next.point && (initial || JSON.stringify(next.point) !== JSON.stringify(this.state.point))) void this.showPointPopup(next.point[0], next.point[1])
    this.state = { ...this.state, ...next, selection: sel, panel: next.panel, point: next.point }
    this.writeHash()
  }

  private setSelection(sel: Selection | undefined) {
    this.state.selection = sel
    this.writeHash()
  }

  private setPanelState(panel: PanelName | undefined, render = true) {
    this.state.panel = panel
    if (render) this.openPanel(panel)
    this.writeHash()
  }

  // ---- panels --------------------------------------------------------------------------------------

  openPanel(panel: PanelName | undefined) {
    this.state.panel = panel
    const side = panel === 'coverage' || panel === 'supervisor' ? panel : undefined
    this.sidePanel.hidden = !side
    this.sidePanel.classList.remove('peek')
    this.workspace.classList.toggle('with-panel', Boolean(side))
    if (matchMedia(PHONE).matches && side && !this.legend.el.classList.contains('collapsed')) this.legend.setCollapsed(true)
    if (side === 'coverage' && this.coverage) {
      this.panelTitle.textContent = t('coverageTitle')
      clear(this.panelBody, this.coverage.el)
      const sel = this.state.selection
      this.coverage.ensure(sel?.kind === 'cell' ? { cell: sel.code } : { region: this.region!.code })
    } else if (side === 'supervisor' && this.supervisor) {
      this.panelTitle.textContent = t('supervisorTitle')
      clear(this.panelBody, this.supervisor.el)
    }
    this.renderTopbar()
    this.map?.resize()
    this.writeHash()
  }

  private togglePanel(panel: PanelName) {
    this.openPanel(this.state.panel === panel ? undefined : panel)
  }

  // ---- selection -----------------------------------------------------------------------------------

  private clearSelection() {
    setHighlight(this.map, [])
    this.coverage?.setSelectedCell(null)
  }

  async selectCell(code: string, o: { fly?: boolean } = {}) {
    this.setSelection({ kind: 'cell', code })
    try {
      const cell = await this.api.cell(code)
      if (this.state.selection?.kind !== 'cell' || this.state.selection.code !== code) return
      setHighlight(this.map, [cell.geometry])
      if (o.fly !== false) this.fit(cell.bbox)
      this.coverage?.setSelectedCell({ code: cell.code, name: displayName(cell) })
    } catch (e) {
      this.toasts.show(e)
    }
  }

  private async selectParcel(id: number, bbox: number[] | null, o: { fly?: boolean } = {}) {
    this.setSelection({ kind: 'parcel', id })
    if (bbox && o.fly !== false) this.fit(bbox, { maxZoom: 17 })
    const center = bbox ? [(bbox[0]! + bbox[2]!) / 2, (bbox[1]! + bbox[3]!) / 2] : null
    try {
      const acc = await this.api.parcelAccountability(id)
      if (center) this.openPopup(center[0]!, center[1]!, () => parcelAccountabilityView(acc), false)
      // the parcel's outline: from the loaded view, or a small request around it
      let feature = this.parcels?.loaded().features.find((f) => f.properties.id === id)
      if (!feature && bbox) feature = (await this.api.parcels({ bbox: bbox as [number, number, number, number], limit: 50 })).collection.features.find((f) => f.properties.id === id)
      if (feature) setHighlight(this.map, [feature.geometry])
    } catch (e) {
      this.toasts.show(e)
    }
  }

  private showPerson(p: PersonDetail) {
    const geometries: Geometry[] = []
    const missing: string[] = []
    for (const code of new Set(p.cells.map((c) => c.cellCode))) {
      const f = this.cells?.find(code)
      if (f) geometries.push(f.geometry)
      else missing.push(code)
    }
    setHighlight(this.map, geometries)
    if (missing.length) {
      void Promise.all(missing.map((code) => this.api.cell(code).then((c) => c.geometry)))
        .then((more) => setHighlight(this.map, [...geometries, ...more]))
        .catch((e) => this.toasts.show(e))
    }
    if (p.bbox) this.fit(p.bbox)
  }

  private zoomToArea(bbox: number[], geometry?: Geometry) {
    this.fit(bbox, { maxZoom: 16.5 })
    if (geometry) setHighlight(this.map, [geometry])
  }

  private async goToHit(hit: SearchHit) {
    if (hit.type === 'cell') await this.selectCell(hit.key)
    else if (hit.type === 'person') {
      this.openPanel('supervisor')
      await this.supervisor?.select(hit.id)
    } else await this.selectParcel(hit.id, hit.bbox)
  }

  // ---- popup ---------------------------------------------------------------------------------------

  private openPopup(lon: number, lat: number, render: () => HTMLElement, track: boolean) {
    this.popupRender = render
    if (!this.popup) {
      // closeOnClick off: a click elsewhere on the map moves the popup there (our click handler)
      this.popup = new Popup({ maxWidth: '340px', focusAfterOpen: false, closeOnClick: false, className: 'acc-popup' })
      this.popup.on('close', () => {
        this.popupController?.abort()
        this.popupRender = null
        if (this.state.point) {
          this.state.point = undefined
          this.writeHash()
        }
      })
    }
    this.popup.setLngLat([lon, lat]).setDOMContent(render())
    if (!this.popup.isOpen()) this.popup.addTo(this.map)
    if (track) {
      this.state.point = [lon, lat]
    } else if (this.state.point) {
      this.state.point = undefined
    }
    this.writeHash()
  }

  async showPointPopup(lon: number, lat: number) {
    this.popupController?.abort()
    const controller = new AbortController()
    this.popupController = controller
    this.openPopup(lon, lat, loadingView, true)
    try {
      const result = await this.api.accountability(lon, lat, controller.signal)
      if (controller.signal.aborted) return
      this.openPopup(lon, lat, () => pointAccountabilityView(result), true)
      this.debug.popups++
    } catch (e) {
      if (isAbort(e)) return
      this.toasts.show(e)
      this.popup?.remove()
    }
  }

  // ---- language & chrome ---------------------------------------------------------------------------

  private rerender() {
    setLabelLanguage(this.map, lang())
    this.legend.render()
    this.search.render()
    this.coverage?.render()
    this.supervisor?.render()
    if (this.popup?.isOpen() && this.popupRender) this.popup.setDOMContent(this.popupRender())
    this.openPanel(this.state.panel)
    document.title = t('appTitle')
  }

  private renderTopbar() {
    const user = this.session?.user
    const panelButton = (panel: PanelName, label: string) =>
      h('button', { type: 'button', class: 'topbar-button', 'aria-pressed': String(this.state.panel === panel), 'data-panel': panel, onclick: () => this.togglePanel(panel) }, label)
    clear(
      this.topbar,
      h('div', { class: 'brand' }, t('appShort'), h('small', {}, this.region ? `${displayName(this.region)} ${this.region.code}` : '')),
      this.search.el,
      h('div', { class: 'spacer' }),
      panelButton('coverage', t('panelCoverage')),
      panelButton('supervisor', t('panelSupervisor')),
      h('button', { type: 'button', class: 'topbar-button', title: t('switchLanguageTitle'), 'data-testid': 'lang-switch', onclick: () => setLanguage(lang() === 'zh' ? 'en' : 'zh') }, t('switchLanguage')),
      h(
        'div',
        { class: 'user-box' },
        user
          ? [
              h('span', { class: 'who' }, t('signedInAs', { name: user.displayName, role: tKey(`role_${user.role}`, user.role) })),
              h('button', { type: 'button', class: 'topbar-button', onclick: () => void this.signOut() }, t('signOut')),
            ]
          : this.config.publicMap
            ? h('button', { type: 'button', class: 'topbar-button', onclick: () => this.showSignIn() }, t('signIn'))
            : null,
      ),
    )
  }
}
