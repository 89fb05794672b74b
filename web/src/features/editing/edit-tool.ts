// What the edit panel and its tools share: the host (the app's map and API), the tool names, the change
// a tool hands to the review, and what a tool may ask of the panel while it works.
import type { Geometry } from 'geojson'
import type { ApiClient } from '../../api/client.js'
import type { CellDetail, EditChange, EditResult } from '../../api/types.js'
import type { MapDrawing } from '../../map/draw/drawing.js'
import type { SnapTargets } from '../../map/draw/snapping.js'
import type { MapPoint } from '../../panels/edit-preview.js'
import type { EditOptions } from './edit-options.js'
import type { Neighbours } from './neighbours.js'

export interface EditHost {
  api: ApiClient
  drawing: MapDrawing
  setSnapTargets(targets: SnapTargets): void
  fit(bbox: number[]): void
  flyTo(point: [number, number]): void
  /** marks places on the map (problems, defects a preview creates or closes); [] clears */
  mark(points: MapPoint[]): void
  /** an outline from the history (or a 409's current boundary); null clears */
  showOutline(geometry: Geometry | null): void
  /** after a saved change or responsibility: reload what the map shows */
  saved(result: EditResult | null): Promise<void>
  selectCell(code: string | null): void
}

export type ToolName = 'home' | 'reshape' | 'create' | 'split' | 'merge' | 'history' | 'people'

/** A change under review, and the tool to go back to. */
export interface PendingChange {
  change: EditChange
  title: string
  tool: ToolName
}

/** What a tool may ask of the edit panel. */
export interface ToolContext {
  readonly host: EditHost
  /** the siblings of the cell (what vertices snap to, what a merge may take) */
  readonly neighbours: Neighbours
  /** "clip to the parent" and "trim the siblings", shared by the reshape and create tools */
  readonly options: EditOptions
  render(): void
  /** previews a change; "back" returns to `tool` */
  review(change: EditChange, title: string, tool: ToolName): void
  /** an error shown above the tool from the next render on */
  showError(error: unknown): void
  setBusy(busy: boolean): void
  setNotice(notice: string): void
  /** the cell being edited */
  cell(): CellDetail | null
  /** the cell as the server has it now (after a tool reloaded it) */
  replaceCell(cell: CellDetail): void
  previewButton(enabled?: boolean): HTMLElement
  cancelButton(): HTMLElement
}

export interface EditTool {
  /** loads what the tool needs and starts drawing; throws when it cannot */
  start(cell: CellDetail): Promise<void>
  /** forgets what the tool holds for the change in progress (the panel stops the tool) */
  reset(): void
  /** the change to preview, or what is missing; tools whose changes come from buttons have none */
  buildChange?(cell: CellDetail): PendingChange | string
  view(cell: CellDetail): HTMLElement
}
