// The application: builds the page, the map and the panels the signed-in role has, and wires them to
// the controllers in app/ (URL state, selection, popup, side panel, map data, editing and flags).
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { ApiClient } from './api/client.js'
import type { MapConfig, Region, Session, UserRole } from './api/types.js'
import type { AppContext, AppPanels } from './app/context.js'
import type { DebugHandle } from './app/debug-handle.js'
import { EditWiring } from './app/edit-wiring.js'
import { FlagWiring } from './app/flag-wiring.js'
import { layerToggles } from './app/layer-toggles.js'
import { MapClicks } from './app/map-clicks.js'
import { MapData } from './app/map-data.js'
import { fitClearOfChrome, type FitOptions } from './app/map-fit.js'
import { PopupController } from './app/popup-controller.js'
import { SelectionController } from './app/selection-controller.js'
import { SidePanel } from './app/side-panel.js'
import { SignIn } from './app/sign-in.js'
import { Topbar } from './app/topbar.js'
import { UrlStateController } from './app/url-state-controller.js'
import { LoopApi } from './api/loop-client.js'
import { AssessmentPanel } from './features/assessment/assessment-panel.js'
import { TownshipFigures } from './features/assessment/township-summary.js'
import { EditPanel } from './features/editing/edit-panel.js'
import { InspectionsPanel } from './features/inspections/inspections-panel.js'
import { LedgerPanel } from './features/ledgers/ledger-panel.js'
import { NotificationBell } from './features/notifications/bell.js'
import { UnitsPanel } from './features/units/units-panel.js'
import { displayName, lang, onLanguageChange, t } from './i18n/index.js'
import type { CellLoader } from './map/cell-loader.js'
import { MapDrawing } from './map/draw/drawing.js'
import { createMap, setLabelLanguage, setSourceData } from './map/map-view.js'
import type { ParcelSource } from './map/parcel-loader.js'
import { SOURCES } from './map/sources.js'
import { CoveragePanel } from './panels/coverage.js'
import { ReportPanel } from './features/flags/report-panel.js'
import { ObjectWiring } from './features/objects/object-wiring.js'
import { FieldWiring } from './features/patrols/field-wiring.js'
import { registerServiceWorker } from './offline/service-worker.js'
import { FlagsPanel } from './features/flags/flags-panel.js'
import { Toasts } from './panels/errors.js'
import type { Legend } from './panels/legend.js'
import { SearchBox } from './panels/search.js'
import { SupervisorPanel } from './panels/supervisor.js'
import { clear, h } from './util/dom.js'

export type { DebugHandle } from './app/debug-handle.js'

export class App implements AppContext {
  readonly toasts = new Toasts()
  readonly map: MapLibreMap
  readonly drawing: MapDrawing
  readonly debug: DebugHandle
  readonly legend: Legend
  readonly panels: AppPanels = {
    coverage: null,
    supervisor: null,
    edit: null,
    flags: null,
    report: null,
    ledger: null,
    assessment: null,
    units: null,
    patrol: null,
    inspections: null,
  }
  readonly loop: LoopApi
  readonly townshipFigures: TownshipFigures
  region: Region | null = null
  cells: CellLoader | null = null
  parcels: ParcelSource | null = null
  private started = false
  /** the notifications bell (signed-in users) */
  private bell: NotificationBell | null = null

  // shell
  private readonly mapEl = h('div', { class: 'map', id: 'map', 'data-testid': 'map' })
  private readonly workspace = h('main', { class: 'workspace' })
  private readonly search: SearchBox

  // controllers (each reaches the others through this app when it acts)
  readonly url: UrlStateController = new UrlStateController(this)
  readonly selection: SelectionController = new SelectionController(this)
  readonly popup: PopupController = new PopupController(this)
  readonly mapClicks: MapClicks = new MapClicks(this)
  readonly sidePanel: SidePanel = new SidePanel(this, this.workspace)
  readonly topbar: Topbar
  readonly signIn: SignIn
  readonly mapData: MapData = new MapData(this)
  readonly edits: EditWiring = new EditWiring(this)
  readonly flagWiring: FlagWiring = new FlagWiring(this)
  readonly objectWiring: ObjectWiring = new ObjectWiring(this)
  readonly field: FieldWiring = new FieldWiring(this)

  constructor(
    private readonly root: HTMLElement,
    readonly config: MapConfig,
    public session: Session | null,
    readonly api: ApiClient,
  ) {
    this.loop = new LoopApi(api)
    this.townshipFigures = new TownshipFigures(this.loop)
    this.legend = layerToggles(this, config, session)
    this.search = new SearchBox(this.api, (hit) => void this.selection.goToHit(hit))
    this.topbar = new Topbar(this, this.search.el)
    this.signIn = new SignIn(this, root, () => {
      if (this.started) location.reload()
      else void this.start()
    })

    this.workspace.append(this.field.banner.el, this.mapEl, this.legend.el, this.sidePanel.fab, this.sidePanel.el)
    clear(this.root, this.topbar.el, this.workspace, this.toasts.el)
    this.topbar.render()

    this.map = createMap({
      container: this.mapEl,
      lang: lang(),
      basemapUrl: config.basemapUrl,
      view: this.url.state.view,
    })
    this.drawing = new MapDrawing(this.map, {
      snapTargets: () => this.edits.snapTargets,
      // drawing needs the whole map: the legend folds away (its button brings it back)
      onStart: () => {
        if (!this.legend.el.classList.contains('collapsed')) this.legend.setCollapsed(true)
      },
    })
    this.debug = {
      map: this.map,
      ready: false,
      state: () => ({ ...this.url.state }),
      idle: () =>
        new Promise<void>((resolve) => {
          this.map.once('idle', () => resolve())
          this.map.triggerRepaint()
        }),
      popups: 0,
      drawing: this.drawing,
      flagLoads: 0,
      objectLoads: 0,
      parcelMode: null,
      field: { queued: 0, conflicts: 0, others: 0, sent: 0, recorded: 0 },
      offlineReady: false,
    }
    window.__everyinch = this.debug
    this.map.on('error', (e) => {
      // tile/glyph hiccups are logged, not shown: everything the user asked for reports its own errors
      console.warn('map error', e.error)
    })

    onLanguageChange(() => this.rerender())
    this.url.listen()

    if (!session && !config.publicMap) this.signIn.show()
    else void this.start()
  }

  role(): UserRole | null {
    return this.session?.user.role ?? null
  }

  fit(bbox: number[] | null | undefined, options: FitOptions = {}) {
    fitClearOfChrome(
      { map: this.map, mapEl: this.mapEl, legend: this.legend.el, sidePanel: this.sidePanel.el },
      bbox,
      options,
    )
  }

  /** The session ended under us (a 401): ask to sign in again. */
  sessionExpired() {
    this.signIn.expired()
  }

  private async start() {
    this.started = true
    const map = this.map
    if (!map.loaded()) await new Promise<void>((resolve) => map.once('load', () => resolve()))
    // a patrol being walked goes on, and what waits is sent, whatever the map's data does next
    void this.field.start()
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
    if (!this.url.state.view) this.fit(region.bbox, { animate: false })
    this.topbar.render()

    const loads = this.mapData.load(region)
    this.createPanels(region, loads)

    this.mapClicks.attach()
    map.on('moveend', () => this.url.writeHash())

    this.topbar.render()
    const results = await Promise.allSettled(loads)
    for (const r of results) if (r.status === 'rejected') this.toasts.show(r.reason)

    // A supervisor opens on their own cells unless the link says otherwise.
    const own = this.session?.user.role === 'supervisor' ? this.session.user.personId : null
    const initial = { ...this.url.state }
    if (own !== null && !initial.selection && !initial.panel) {
      initial.selection = { kind: 'person', id: own }
      initial.panel = 'supervisor'
    }
    this.url.applyHash(initial, true)
    this.debug.ready = true
    registerServiceWorker(
      () => [...this.api.reads],
      this.field.walks() ? ['/api/object-types', '/api/flags/categories'] : [],
      () => {
        this.debug.offlineReady = true
      },
    )
  }

  /** The panels this role has, wired to the controllers; the flags layer joins `loads`. */
  private createPanels(region: Region, loads: Promise<unknown>[]) {
    const { selection, edits, flagWiring, url, panels, map } = this
    const admin = this.role() === 'admin'
    panels.coverage = new CoveragePanel(
      this.api,
      region,
      {
        zoomTo: (bbox, geometry) => selection.zoomToArea(bbox, geometry),
        selectCell: (code) => void selection.selectCell(code),
        fixGap: admin ? (gap, how) => void edits.fixGap(gap, how) : undefined,
        fixOverlap: admin ? (overlap, giveTo) => void edits.fixOverlap(overlap, giveTo) : undefined,
        openFlag: this.session ? (id) => void flagWiring.openFlag(id) : undefined,
        categoryName: (code) => flagWiring.categoryName(code),
      },
      this.mapData.coverageCache,
    )
    if (admin) panels.edit = new EditPanel(edits.host())
    if (this.session) {
      panels.flags = new FlagsPanel({
        api: this.api,
        role: this.role(),
        categories: () => flagWiring.categories(),
        townships: () =>
          (this.cells?.cells(2) ?? [])
            .map((f) => ({ code: f.properties.code, name: displayName(f.properties) }))
            .sort((a, b) => a.code.localeCompare(b.code)),
        showOnMap: (flag) => flagWiring.showFlagOnMap(flag),
        flagsChanged: () => void flagWiring.loadFlags(),
        selected: (id) => url.setSelection(id === null ? undefined : { kind: 'flag', id }),
      })
      loads.push(flagWiring.loadFlags())
      loads.push(this.objectWiring.load())
      void flagWiring.categories().catch(() => {})
    }
    // a form that waits for a place on the map: it takes the map's taps and shows a marker there
    const placing = {
      takeMapClicks: (handler: ((lon: number, lat: number) => void) | null) => (this.mapClicks.override = handler),
      setDraft: (point: [number, number] | null) =>
        setSourceData(map, SOURCES.draft, {
          type: 'FeatureCollection',
          features: point ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: {} }] : [],
        }),
      flyTo: (point: [number, number], zoom?: number) =>
        map.flyTo({ center: point, zoom: Math.max(map.getZoom(), zoom ?? 15) }),
      openFlag: (id: number) => void flagWiring.openFlag(id),
    }
    const flagsChanged = () => {
      panels.flags?.invalidate()
      void flagWiring.loadFlags()
    }
    if (this.role() === 'inspector' || admin) {
      panels.report = new ReportPanel({
        ...placing,
        api: this.api,
        drawing: this.drawing,
        categories: () => flagWiring.categories(),
        flagsChanged,
        queueOffline: (report, label) => this.field.queueReport(report, label),
        queueView: this.field.queueView(),
      })
    }
    if (this.session)
      panels.inspections = new InspectionsPanel({
        ...placing,
        loop: this.loop,
        mayRecord: this.role() === 'inspector' || admin,
        categories: () => flagWiring.categories(),
        recorded: flagsChanged,
        queueOffline: (campaign, body, key, label) => this.field.queueFinding(campaign, body, key, label),
        queueView: this.field.queueView(),
      })
    if (this.session) this.createLoopPanels()
    panels.patrol = this.field.createPanel()
    panels.supervisor = new SupervisorPanel(
      this.api,
      this.session?.user.role === 'supervisor' ? this.session.user.personId : null,
      {
        showPerson: (p) => selection.showPerson(p),
        selectCell: (code) => void selection.selectCell(code),
        goToPoint: (lon, lat) => {
          map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 16) })
          void this.popup.showPointPopup(lon, lat)
        },
        personChanged: (id) => url.setSelection(id === null ? undefined : { kind: 'person', id }),
      },
    )
  }

  /** The accountability loop: every signed-in role reads it; the panels offer what the role may do. */
  private createLoopPanels() {
    const { panels, loop } = this
    const role = this.role()
    const ledger = new LedgerPanel({
      loop,
      role,
      changed: () => this.townshipFigures.invalidate(),
      queueOffline: (entry, body, submit) => this.field.queueLedger(entry, body, submit),
      queueView: this.field.queueView(),
    })
    panels.ledger = ledger
    this.bell = new NotificationBell({
      api: this.api,
      timeZone: this.config.timeZone,
      categoryName: (code) => this.flagWiring.categoryName(code),
      openFlag: (id) => void this.flagWiring.openFlag(id),
      openLedgerEntry: (id) => {
        this.sidePanel.open('ledger')
        void ledger.openEntry(id)
      },
      toast: (e) => this.toasts.show(e),
    })
    this.topbar.bell = this.bell.start()
    panels.assessment = new AssessmentPanel({ loop, role, toast: (e) => this.toasts.show(e) })
    panels.units = new UnitsPanel({ loop, showCell: (code) => void this.selection.selectCell(code) })
  }

  private rerender() {
    const { panels } = this
    setLabelLanguage(this.map, lang())
    this.legend.render()
    this.search.render()
    panels.coverage?.render()
    panels.supervisor?.render()
    panels.edit?.render()
    panels.flags?.render()
    panels.report?.render()
    panels.ledger?.render()
    panels.assessment?.render()
    panels.units?.render()
    panels.patrol?.render()
    panels.inspections?.render()
    this.field.banner.render()
    this.bell?.render()
    this.sidePanel.renderFab()
    this.popup.rerender()
    this.sidePanel.open(this.url.state.panel)
    document.title = t('appTitle')
  }
}
