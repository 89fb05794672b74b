// What the app's controllers share. The App builds one of each and hands itself to them as this
// context; a controller reaches the others through it when it acts, never while it is being built.
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { ApiClient } from '../api/client.js'
import type { LoopApi } from '../api/loop-client.js'
import type { TownshipFigures } from '../features/assessment/township-summary.js'
import type { MapConfig, Region, Session, UserRole } from '../api/types.js'
import type { EditPanel } from '../features/editing/edit-panel.js'
import type { CellLoader } from '../map/cell-loader.js'
import type { MapDrawing } from '../map/draw/drawing.js'
import type { ParcelSource } from '../map/parcel-loader.js'
import type { CoveragePanel } from '../panels/coverage.js'
import type { Toasts } from '../panels/errors.js'
import type { Legend } from '../panels/legend.js'
import type { SupervisorPanel } from '../panels/supervisor.js'
import type { DebugHandle } from './debug-handle.js'
import type { EditWiring } from './edit-wiring.js'
import type { FlagWiring } from './flag-wiring.js'
import type { ObjectWiring } from '../features/objects/object-wiring.js'
import type { MapClicks } from './map-clicks.js'
import type { MapData } from './map-data.js'
import type { FitOptions } from './map-fit.js'
import type { PopupController } from './popup-controller.js'
import type { SelectionController } from './selection-controller.js'
import type { SidePanel } from './side-panel.js'
import type { SignIn } from './sign-in.js'
import type { Topbar } from './topbar.js'
import type { UrlStateController } from './url-state-controller.js'

/** The flags list and detail panel, as the app drives it. */
export interface FlagsView {
  readonly el: HTMLElement
  render(): void
  showFlag(id: number): Promise<void>
  showList(): Promise<void>
  currentFlag(): number | null
  invalidate(): void
}

/** The report-a-flag form, as the app drives it. */
export interface ReportView {
  readonly el: HTMLElement
  render(): void
  activate(): void
  deactivate(): void
}

/** A panel of the accountability loop (ledgers, assessment, units), as the side panel drives it. */
export interface LoopView {
  readonly el: HTMLElement
  render(): void
  /** the panel was opened: load what it shows (again) */
  activate(): void
}

/** The panels the signed-in role has (null: not for this role, or not started yet). */
export interface AppPanels {
  coverage: CoveragePanel | null
  supervisor: SupervisorPanel | null
  edit: EditPanel | null
  flags: FlagsView | null
  report: ReportView | null
  ledger: LoopView | null
  assessment: LoopView | null
  units: LoopView | null
  patrol: LoopView | null
  inspections: (LoopView & { deactivate(): void }) | null
}

export interface AppContext {
  readonly api: ApiClient
  /** the accountability loop's endpoints (units, ledgers, assessment, continuity, bulletin) */
  readonly loop: LoopApi
  readonly townshipFigures: TownshipFigures
  readonly config: MapConfig
  readonly toasts: Toasts
  readonly map: MapLibreMap
  readonly drawing: MapDrawing
  readonly debug: DebugHandle
  readonly legend: Legend
  readonly panels: AppPanels
  session: Session | null
  region: Region | null
  cells: CellLoader | null
  parcels: ParcelSource | null
  role(): UserRole | null
  /** fits the map to a bbox, clear of the legend and (on a phone) the bottom sheet */
  fit(bbox: number[] | null | undefined, options?: FitOptions): void

  readonly url: UrlStateController
  readonly selection: SelectionController
  readonly popup: PopupController
  readonly mapClicks: MapClicks
  readonly sidePanel: SidePanel
  readonly topbar: Topbar
  readonly signIn: SignIn
  readonly mapData: MapData
  readonly edits: EditWiring
  readonly flagWiring: FlagWiring
  readonly objectWiring: ObjectWiring
}
