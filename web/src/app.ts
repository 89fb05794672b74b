// The application: wires the API client, the map and the panels, and keeps the URL hash in step with
// the view and the selection.
import { Popup, type Map as MapLibreMap, type MapMouseEvent } from 'maplibre-gl'
import type { Geometry } from 'geojson'
import { ApiClient, isAbort } from './api/client.js'
import type {
  CoverageGap,
  CoverageOverlap,
  CoverageReport,
  EditChange,
  EditResult,
  Flag,
  FlagCategory,
  MapConfig,
  PersonDetail,
  Region,
  SearchHit,
  Session,
  UserRole,
} from './api/types.js'
import { displayName, lang, onLanguageChange, setLanguage, t, tKey } from './i18n/index.js'
import { CellLoader } from './map/cell-loader.js'
import {
  createMap,
  fitBbox as fitMapTo,
  setGroupVisible,
  setHighlight,
  setLabelLanguage,
  setSourceData,
  showDefects,
} from './map/map-view.js'
import { MapDrawing } from './map/draw/drawing.js'
import type { SnapTargets } from './map/draw/snapping.js'
import { flagFeatures } from './map/flag-features.js'
import { FLAG_LAYERS } from './map/layers/index.js'
import { GeoJsonParcelLoader, type ParcelSource } from './map/parcel-loader.js'
import { SOURCES } from './map/sources.js'
import { formatHash, parseHash, type PanelName, type Selection, type UrlState } from './map/url-state.js'
import { CoveragePanel } from './panels/coverage.js'
import { EditPanel } from './panels/editing.js'
import type { MapPoint } from './panels/edit-preview.js'
import { ReportPanel } from './features/flags/report-panel.js'
import { FlagsPanel } from './features/flags/flags-panel.js'
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
  /** the drawing tool (vertex editing, new shapes): tests read its last snap */
  drawing: MapDrawing
  /** number of times the flags layer was (re)loaded */
  flagLoads: number
  /** pins the parcel rendering ('tiles' or 'geojson') from the next settled view; null: by count */
  parcelMode: 'geojson' | 'tiles' | null
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
  private drawing!: MapDrawing
  private snapTargets: SnapTargets = { vertices: [], segments: [] }
  private edit: EditPanel | null = null
  private flags: FlagsPanel | null = null
  private report: ReportPanel | null = null
  /** a panel that waits for a map tap (the report form) takes clicks away from the popup */
  private mapClickOverride: ((lon: number, lat: number) => void) | null = null
  private categoriesPromise: Promise<FlagCategory[]> | null = null
  private readonly fab = h('button', { type: 'button', class: 'fab', 'data-testid': 'report-fab', hidden: true })

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
      flags: Boolean(session),
      collapsed: phone && this.state.panel !== 'layers',
      onToggle: (group, visible) => setGroupVisible(this.map, group, visible),
      onCollapse: (collapsed) => {
        if (matchMedia(PHONE).matches)
          this.setPanelState(
            collapsed ? (this.state.panel === 'layers' ? undefined : this.state.panel) : 'layers',
            false,
          )
      },
    })
    this.search = new SearchBox(this.api, (hit) => void this.goToHit(hit))

    const grip = h('span', { class: 'panel-grip', 'aria-hidden': 'true' })
    const header = h(
      'div',
      { class: 'panel-header' },
      grip,
      this.panelTitle,
      h(
        'button',
        {
          class: 'icon-button peek-toggle',
          type: 'button',
          'aria-label': t('panelToggle'),
          onclick: () => this.sidePanel.classList.toggle('peek'),
        },
        '↕',
      ),
      h(
        'button',
        {
          class: 'icon-button',
          type: 'button',
          'aria-label': t('close'),
          'data-testid': 'panel-close',
          onclick: () => this.openPanel(undefined),
        },
        '×',
      ),
    )
    this.sidePanel.append(header, this.panelBody)
    this.workspace.append(this.mapEl, this.legend.el, this.fab, this.sidePanel)
    this.fab.addEventListener('click', () => this.openPanel('report'))
    this.fab.textContent = `＋ ${t('reportButton')}`
    clear(this.root, this.topbar, this.workspace, this.toasts.el)
    this.renderTopbar()

    this.map = createMap({ container: this.mapEl, lang: lang(), basemapUrl: config.basemapUrl, view: this.state.view })
    this.drawing = new MapDrawing(this.map, {
      snapTargets: () => this.snapTargets,
      // drawing needs the whole map: the legend folds away (its button brings it back)
      onStart: () => {
        if (!this.legend.el.classList.contains('collapsed')) this.legend.setCollapsed(true)
      },
    })
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
      drawing: this.drawing,
      flagLoads: 0,
      parcelMode: null,
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
    this.parcels = new GeoJsonParcelLoader(this.api, { forceMode: () => this.debug.parcelMode })
    this.parcels.onStatus((s) => this.legend.setParcelStatus(s))
    this.parcels.attach(map)

    const admin = this.role() === 'admin'
    this.coverage = new CoveragePanel(
      this.api,
      region,
      {
        zoomTo: (bbox, geometry) => this.zoomToArea(bbox, geometry),
        selectCell: (code) => void this.selectCell(code),
        fixGap: admin ? (gap, how) => void this.fixGap(gap, how) : undefined,
        fixOverlap: admin ? (overlap, giveTo) => void this.fixOverlap(overlap, giveTo) : undefined,
        openFlag: this.session ? (id) => void this.openFlag(id) : undefined,
        categoryName: (code) => this.categoryName(code),
      },
      this.coverageCache,
    )
    if (admin) this.edit = new EditPanel(this.editHost())
    if (this.session) {
      this.flags = new FlagsPanel({
        api: this.api,
        role: this.role(),
        categories: () => this.categories(),
        townships: () =>
          (this.cells?.cells(2) ?? [])
            .map((f) => ({ code: f.properties.code, name: displayName(f.properties) }))
            .sort((a, b) => a.code.localeCompare(b.code)),
        showOnMap: (flag) => this.showFlagOnMap(flag),
        flagsChanged: () => void this.loadFlags(),
        selected: (id) => this.setSelection(id === null ? undefined : { kind: 'flag', id }),
      })
      loads.push(this.loadFlags())
      void this.categories().catch(() => {})
    }
    if (this.role() === 'inspector' || admin) {
      this.report = new ReportPanel({
        api: this.api,
        drawing: this.drawing,
        categories: () => this.categories(),
        takeMapClicks: (handler) => (this.mapClickOverride = handler),
        setDraft: (point) =>
          setSourceData(map, SOURCES.draft, {
            type: 'FeatureCollection',
            features: point
              ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: {} }]
              : [],
          }),
        flyTo: (point, zoom) => this.map.flyTo({ center: point, zoom: Math.max(this.map.getZoom(), zoom ?? 15) }),
        flagsChanged: () => {
          this.flags?.invalidate()
          void this.loadFlags()
        },
        openFlag: (id) => void this.openFlag(id),
      })
    }
    this.supervisor = new SupervisorPanel(
      this.api,
      this.session?.user.role === 'supervisor' ? this.session.user.personId : null,
      {
        showPerson: (p) => this.showPerson(p),
        selectCell: (code) => void this.selectCell(code),
        goToPoint: (lon, lat) => {
          this.map.flyTo({ center: [lon, lat], zoom: Math.max(this.map.getZoom(), 16) })
          void this.showPointPopup(lon, lat)
        },
        personChanged: (id) => this.setSelection(id === null ? undefined : { kind: 'person', id }),
      },
    )

    map.on('click', (e: MapMouseEvent) => this.onMapClick(e))
    for (const layer of FLAG_LAYERS) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'))
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''))
    }
    for (const layer of ['village-fill', 'gap-fill', 'overlap-fill', 'parcel-fill', 'parcel-tile-fill']) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'))
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''))
    }
    map.on('moveend', () => this.writeHash())

    this.renderTopbar()
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
    if (legend.width && legend.right < mapBox.left + mapBox.width / 2)
      pad.left = Math.max(pad.left, legend.right - mapBox.left + 20)
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
      if (
        Math.abs(c.lat - v.lat) > 1e-6 ||
        Math.abs(c.lng - v.lon) > 1e-6 ||
        Math.abs(this.map.getZoom() - v.zoom) > 0.01
      ) {
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
      } else if (sel.kind === 'flag') {
        next.panel = 'flags'
        void this.flags?.showFlag(sel.id)
      } else void this.selectParcel(sel.id, null, { fly })
    }
    this.openPanel(next.panel)
    if (next.point && (initial || JSON.stringify(next.point) !== JSON.stringify(this.state.point)))
      void this.showPointPopup(next.point[0], next.point[1])
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
    const previous = this.state.panel
    // panels the signed-in role cannot use are not opened (a shared link may name one)
    if ((panel === 'edit' && !this.edit) || (panel === 'flags' && !this.flags) || (panel === 'report' && !this.report))
      panel = undefined
    this.state.panel = panel
    if (previous !== panel) {
      if (previous === 'edit') this.edit?.deactivate()
      if (previous === 'report') this.report?.deactivate()
    }
    const side = panel && panel !== 'layers' ? panel : undefined
    this.sidePanel.hidden = !side
    this.fab.hidden = !this.report || side === 'report'
    this.sidePanel.classList.remove('peek')
    this.workspace.classList.toggle('with-panel', Boolean(side))
    if (matchMedia(PHONE).matches && side && !this.legend.el.classList.contains('collapsed'))
      this.legend.setCollapsed(true)
    if (side === 'coverage' && this.coverage) {
      this.panelTitle.textContent = t('coverageTitle')
      clear(this.panelBody, this.coverage.el)
      const sel = this.state.selection
      this.coverage.ensure(sel?.kind === 'cell' ? { cell: sel.code } : { region: this.region!.code })
    } else if (side === 'supervisor' && this.supervisor) {
      this.panelTitle.textContent = t('supervisorTitle')
      clear(this.panelBody, this.supervisor.el)
    } else if (side === 'edit' && this.edit) {
      this.panelTitle.textContent = t('editTitle')
      clear(this.panelBody, this.edit.el)
      const sel = this.state.selection
      void this.edit.setCell(sel?.kind === 'cell' ? sel.code : null)
    } else if (side === 'flags' && this.flags) {
      this.panelTitle.textContent = this.role() === 'supervisor' ? t('inboxTitle') : t('flagsTitle')
      clear(this.panelBody, this.flags.el)
      if (this.state.selection?.kind !== 'flag' && this.flags.currentFlag() === null) void this.flags.showList()
    } else if (side === 'report' && this.report) {
      this.panelTitle.textContent = t('reportTitle')
      clear(this.panelBody, this.report.el)
      if (previous !== 'report') this.report.activate()
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
    if (this.state.panel === 'edit') void this.edit?.setCell(null)
  }

  async selectCell(code: string, o: { fly?: boolean } = {}) {
    this.setSelection({ kind: 'cell', code })
    try {
      const cell = await this.api.cell(code)
      if (this.state.selection?.kind !== 'cell' || this.state.selection.code !== code) return
      setHighlight(this.map, [cell.geometry])
      if (o.fly !== false) this.fit(cell.bbox)
      this.coverage?.setSelectedCell({ code: cell.code, name: displayName(cell) })
      if (this.state.panel === 'edit') void this.edit?.setCell(code)
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
      if (!feature && bbox)
        feature = (
          await this.api.parcels({ bbox: bbox as [number, number, number, number], limit: 50 })
        ).collection.features.find((f) => f.properties.id === id)
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
      const edit = this.edit ? (code: string) => this.editCell(code) : undefined
      this.openPopup(lon, lat, () => pointAccountabilityView(result, { edit }), true)
      this.debug.popups++
    } catch (e) {
      if (isAbort(e)) return
      this.toasts.show(e)
      this.popup?.remove()
    }
  }

  // ---- map clicks ----------------------------------------------------------------------------------

  private onMapClick(e: MapMouseEvent) {
    // a drawing tool owns the map: its clicks place vertices
    if (this.drawing.active) return
    if (this.mapClickOverride) return this.mapClickOverride(e.lngLat.lng, e.lngLat.lat)
    if (this.flags) {
      const box: [[number, number], [number, number]] = [
        [e.point.x - 6, e.point.y - 6],
        [e.point.x + 6, e.point.y + 6],
      ]
      const hit = this.map.queryRenderedFeatures(box, { layers: [...FLAG_LAYERS] })[0]
      const id = Number(hit?.properties?.id)
      if (hit && Number.isInteger(id)) return void this.openFlag(id)
    }
    void this.showPointPopup(e.lngLat.lng, e.lngLat.lat)
  }

  // ---- boundary editing ----------------------------------------------------------------------------

  private role(): UserRole | null {
    return this.session?.user.role ?? null
  }

  /** From a popup: select the cell and open the edit tools on it. */
  private editCell(code: string) {
    this.popup?.remove()
    void this.selectCell(code, { fly: false })
    this.openPanel('edit')
    void this.edit?.setCell(code)
  }

  private editHost(): ConstructorParameters<typeof EditPanel>[0] {
    return {
      api: this.api,
      drawing: this.drawing,
      setSnapTargets: (targets) => (this.snapTargets = targets),
      fit: (bbox) => this.fit(bbox, { maxZoom: 17 }),
      flyTo: (point) => this.map.flyTo({ center: point, zoom: Math.max(this.map.getZoom(), 16) }),
      mark: (points: MapPoint[]) =>
        setSourceData(this.map, SOURCES.editMarks, {
          type: 'FeatureCollection',
          features: points.map((p) => ({
            type: 'Feature',
            geometry: { type: 'Point', coordinates: p.point },
            properties: { label: p.label },
          })),
        }),
      showOutline: (geometry) =>
        setSourceData(this.map, SOURCES.history, {
          type: 'FeatureCollection',
          features: geometry ? [{ type: 'Feature', geometry, properties: {} }] : [],
        }),
      saved: (result) => this.afterEdit(result),
      selectCell: (code) => {
        if (code) void this.selectCell(code, { fly: false })
        else {
          this.setSelection(undefined)
          this.clearSelection()
        }
      },
    }
  }

  /** A saved change: everything drawn from the grid is reloaded. */
  private async afterEdit(_result: EditResult | null) {
    const region = this.region!
    this.coverageCache.clear()
    const loads: Promise<unknown>[] = [
      this.cells?.refresh() ?? Promise.resolve(),
      this.api.coverage({ region: region.code }).then((report) => {
        this.coverageCache.set(`region:${region.code}`, report)
        showDefects(this.map, report)
      }),
    ]
    this.parcels?.refresh()
    this.coverage?.refresh()
    const results = await Promise.allSettled(loads)
    for (const r of results) if (r.status === 'rejected') this.toasts.show(r.reason)
  }

  /** Fix-a-gap from the coverage panel: build the change (with current versions) and preview it. */
  private async fixGap(gap: CoverageGap, how: { giveTo: string } | { newCell: string }) {
    const point: [number, number] = [gap.point[0]!, gap.point[1]!]
    try {
      let change: EditChange
      let title: string
      if ('giveTo' in how) {
        const cell = await this.api.cell(how.giveTo)
        change = {
          operation: 'fix_gap',
          parentCode: gap.parentCode,
          point,
          action: 'give_to',
          cellCode: cell.code,
          cellVersion: cell.version,
        }
        title = t('fixGiveToTitle', { code: cell.code })
      } else {
        change = { operation: 'fix_gap', parentCode: gap.parentCode, point, action: 'new_cell', name: how.newCell }
        title = t('fixNewCellTitle', { name: how.newCell })
      }
      await this.reviewChange(change, title, 'giveTo' in how ? how.giveTo : gap.parentCode)
    } catch (e) {
      this.toasts.show(e)
    }
  }

  private async fixOverlap(overlap: CoverageOverlap, giveTo: string) {
    try {
      const [a, b] = await Promise.all(overlap.cellCodes.slice(0, 2).map((code) => this.api.cell(code)))
      const change: EditChange = {
        operation: 'fix_overlap',
        cellCodes: [a!.code, b!.code],
        versions: [a!.version, b!.version],
        point: [overlap.point[0]!, overlap.point[1]!],
        giveTo,
      }
      await this.reviewChange(change, t('fixGiveToTitle', { code: giveTo }), giveTo)
    } catch (e) {
      this.toasts.show(e)
    }
  }

  private async reviewChange(change: EditChange, title: string, cellCode: string) {
    if (!this.edit) return
    await this.selectCell(cellCode, { fly: false })
    this.openPanel('edit')
    await this.edit.setCell(cellCode)
    await this.edit.review(change, title, 'home')
  }

  // ---- flags ---------------------------------------------------------------------------------------

  private categories(): Promise<FlagCategory[]> {
    if (!this.categoriesPromise) {
      this.categoriesPromise = this.api.flagCategories()
      this.categoriesPromise
        .then((c) => {
          this.categoryList = c
          this.coverage?.render()
        })
        .catch(() => (this.categoriesPromise = null))
    }
    return this.categoriesPromise
  }

  private categoryList: FlagCategory[] = []
  private categoryName(code: string): string {
    const c = this.categoryList.find((x) => x.code === code)
    return c ? (lang() === 'en' ? c.name.en : c.name.zh) : code
  }

  private async loadFlags() {
    try {
      const fc = await this.api.flagsGeojson()
      setSourceData(this.map, SOURCES.flags, flagFeatures(fc))
      this.debug.flagLoads++
    } catch (e) {
      this.toasts.show(e)
    }
  }

  private async openFlag(id: number) {
    if (!this.flags) return
    this.popup?.remove()
    this.openPanel('flags')
    await this.flags.showFlag(id)
  }

  /** Outlines an area flag; brings a point flag into view (clear of the legend and the bottom sheet). */
  private showFlagOnMap(flag: Flag) {
    const g = flag.geometry
    const [lon, lat] = [flag.point[0]!, flag.point[1]!]
    if (g.type === 'Polygon') {
      setHighlight(this.map, [g])
      const xs = g.coordinates[0]!.map((p) => p[0]!)
      const ys = g.coordinates[0]!.map((p) => p[1]!)
      this.fit([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], { maxZoom: 17 })
    } else {
      setHighlight(this.map, [])
      this.fit([lon - 0.003, lat - 0.002, lon + 0.003, lat + 0.002], { maxZoom: 16 })
    }
  }

  // ---- language & chrome ---------------------------------------------------------------------------

  private rerender() {
    setLabelLanguage(this.map, lang())
    this.legend.render()
    this.search.render()
    this.coverage?.render()
    this.supervisor?.render()
    this.edit?.render()
    this.flags?.render()
    this.report?.render()
    this.fab.textContent = `＋ ${t('reportButton')}`
    if (this.popup?.isOpen() && this.popupRender) this.popup.setDOMContent(this.popupRender())
    this.openPanel(this.state.panel)
    document.title = t('appTitle')
  }

  private renderTopbar() {
    const user = this.session?.user
    const panelButton = (panel: PanelName, label: string) =>
      h(
        'button',
        {
          type: 'button',
          class: 'topbar-button',
          'aria-pressed': String(this.state.panel === panel),
          'data-panel': panel,
          onclick: () => this.togglePanel(panel),
        },
        label,
      )
    clear(
      this.topbar,
      h(
        'div',
        { class: 'brand' },
        t('appShort'),
        h('small', {}, this.region ? `${displayName(this.region)} ${this.region.code}` : ''),
      ),
      this.search.el,
      h('div', { class: 'spacer' }),
      panelButton('coverage', t('panelCoverage')),
      this.role() !== 'inspector' ? panelButton('supervisor', t('panelSupervisor')) : null,
      this.flags ? panelButton('flags', this.role() === 'supervisor' ? t('panelInbox') : t('panelFlags')) : null,
      this.edit ? panelButton('edit', t('panelEdit')) : null,
      h(
        'button',
        {
          type: 'button',
          class: 'topbar-button',
          title: t('switchLanguageTitle'),
          'data-testid': 'lang-switch',
          onclick: () => setLanguage(lang() === 'zh' ? 'en' : 'zh'),
        },
        t('switchLanguage'),
      ),
      h(
        'div',
        { class: 'user-box' },
        user
          ? [
              h(
                'span',
                { class: 'who' },
                t('signedInAs', { name: user.displayName, role: tKey(`role_${user.role}`, user.role) }),
              ),
              h('button', { type: 'button', class: 'topbar-button', onclick: () => void this.signOut() }, t('signOut')),
            ]
          : this.config.publicMap
            ? h('button', { type: 'button', class: 'topbar-button', onclick: () => this.showSignIn() }, t('signIn'))
            : null,
      ),
    )
  }
}
