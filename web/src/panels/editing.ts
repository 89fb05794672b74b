// The admin's boundary tools for the selected cell: edit its boundary (drag vertices, snapping to the
// neighbours), draw a new cell, split it along a line, merge it with an adjacent cell, delete it,
// restore an earlier version from its history, and assign or end people's responsibilities.
//
// Every boundary change goes the same way: the tool builds an EditChange, the server previews it
// (POST /api/edits/preview runs it and rolls back), the panel shows what it would do, and only a typed
// reason and a confirmation save it (POST /api/edits) — exactly what the preview showed. Refusals show
// the server's reason and the places it names; a 409 (someone else changed the cell) shows the
// current boundary and offers a reload. Fix-a-gap and fix-an-overlap from the coverage panel arrive
// through review() and take the same path.
import type { Geometry, LineString, Polygon } from 'geojson'
import { isAbort, type ApiClient } from '../api/client.js'
import type {
  CellDetail,
  CellFeature,
  CellVersion,
  DutyPerson,
  EditChange,
  EditRequest,
  EditResult,
  PersonListItem,
  Polygonal,
  Role,
} from '../api/types.js'
import { displayName, formatArea, t, tKey } from '../i18n/index.js'
import type { MapDrawing } from '../map/draw/drawing.js'
import { editableRing, isUsableLine, selfIntersection, withRing, type EditableRing } from '../map/draw/polygon-edit.js'
import { snapTargetsOf, type SnapTargets } from '../map/draw/snapping.js'
import { clear, debounce, h } from '../util/dom.js'
import {
  editErrorView,
  previewPlaces,
  previewView,
  problemLocations,
  staleState,
  type MapPoint,
} from './edit-preview.js'
import { inlineError } from './errors.js'
import { serviceToday } from '../util/service-day.js'
import { undoButton } from './undo-edit.js'

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

type Tool = 'home' | 'reshape' | 'create' | 'split' | 'merge' | 'history' | 'people'

interface Pending {
  change: EditChange
  title: string
  /** the tool to go back to */
  tool: Tool
}

const ROLES: Role[] = ['grid_chief', 'grid_member', 'specialist']

/** Today as YYYY-MM-DD in the service time zone (as the server counts duties), not the browser's. */
export const today = (now = new Date()): string => serviceToday(now)

/** Siblings that touch the cell, most shared vertices first (the server checks adjacency itself). */
export function mergeCandidates(
  cell: { code: string; geometry: Geometry },
  siblings: CellFeature[],
): { code: string; name: string; version: number; shared: number }[] {
  const own = new Set(
    snapTargetsOf([cell.geometry as Polygonal]).vertices.map((p) => `${p[0]!.toFixed(7)},${p[1]!.toFixed(7)}`),
  )
  return siblings
    .filter((s) => s.properties.code !== cell.code)
    .map((s) => ({
      code: s.properties.code,
      name: s.properties.name,
      version: s.properties.version,
      shared: snapTargetsOf([s.geometry]).vertices.filter((p) => own.has(`${p[0]!.toFixed(7)},${p[1]!.toFixed(7)}`))
        .length,
    }))
    .filter((c) => c.shared >= 2)
    .sort((a, b) => b.shared - a.shared || a.code.localeCompare(b.code))
}

/** Responsibilities still running on `day` or starting later. */
export function currentDuties(history: DutyPerson[], day: string): DutyPerson[] {
  return history
    .filter((d) => d.endsOn === null || d.endsOn >= day)
    .sort((a, b) => a.role.localeCompare(b.role) || a.startsOn.localeCompare(b.startsOn))
}

export class EditPanel {
  readonly el = h('div', { class: 'editing', 'data-testid': 'edit-panel' })
  private code: string | null = null
  private cell: CellDetail | null = null
  private loadError: unknown = null
  private tool: Tool = 'home'
  private toolError: unknown = null
  private toolBusy = false
  private siblings: CellFeature[] = []
  private ring: EditableRing | null = null
  private drawn: Polygon | LineString | null = null
  private history: CellVersion[] | null = null
  private outlineVersion: number | null = null
  private pending: Pending | null = null
  private preview: EditResult | null = null
  private previewError: unknown = null
  private previewing = false
  private saving = false
  private notice: string | null = null
  private controller: AbortController | null = null
  // inputs kept across renders so typed text survives
  private readonly reason = h('textarea', { rows: 2, maxlength: 2000, 'data-testid': 'edit-reason', id: 'edit-reason' })
  private readonly clip = h('input', { type: 'checkbox', 'data-testid': 'clip-to-parent' })
  private readonly trim = h('input', { type: 'checkbox', 'data-testid': 'trim-siblings' })
  private readonly newName = h('input', { type: 'text', maxlength: 100, 'data-testid': 'new-cell-name' })
  private mergeWith: string | null = null
  // responsibilities
  private personQuery = h('input', { type: 'search', autocomplete: 'off', 'data-testid': 'assign-person-input' })
  private personResults: PersonListItem[] = []
  private assignPerson: PersonListItem | null = null
  private assignRole: Role = 'grid_member'
  private readonly assignStart = h('input', { type: 'date', 'data-testid': 'assign-starts' })
  private readonly assignEnd = h('input', { type: 'date', 'data-testid': 'assign-ends' })
  private readonly dutyReason = h('input', { type: 'text', maxlength: 1000, 'data-testid': 'duty-reason' })
  private ending: DutyPerson | null = null
  private readonly endDate = h('input', { type: 'date', 'data-testid': 'end-date' })
  private dutyReview = false
  private readonly findPeople = debounce((q: string) => void this.searchPeople(q), 250)

  constructor(private readonly host: EditHost) {
    this.clip.checked = true
    this.trim.checked = true
    this.reason.addEventListener('input', () => this.updateSaveButton())
    this.personQuery.addEventListener('input', () => {
      const q = this.personQuery.value.trim()
      if (!q) {
        this.personResults = []
        this.render()
      } else this.findPeople(q)
    })
    this.render()
  }

  // ---- selection -----------------------------------------------------------------------------------

  /** The selected cell changed (or the panel opened on it). */
  async setCell(code: string | null) {
    if (code === this.code) return
    this.stopTool()
    this.code = code
    this.cell = null
    this.loadError = null
    this.notice = null
    this.history = null
    this.render()
    if (code) await this.loadCell()
  }

  private async loadCell() {
    const code = this.code
    if (!code) return
    this.loadError = null
    this.controller?.abort()
    const controller = new AbortController()
    this.controller = controller
    try {
      const cell = await this.host.api.cell(code, controller.signal)
      if (controller.signal.aborted || this.code !== code) return
      this.cell = cell
    } catch (e) {
      if (isAbort(e)) return
      this.loadError = e
    }
    this.render()
  }

  /** The panel is closed or another one opened: nothing may stay on the map. */
  deactivate() {
    this.stopTool()
    this.render()
  }

  private stopTool() {
    this.host.drawing.stop()
    this.host.mark([])
    this.host.showOutline(null)
    this.outlineVersion = null
    this.tool = 'home'
    this.toolError = null
    this.ring = null
    this.drawn = null
    this.pending = null
    this.preview = null
    this.previewError = null
    this.ending = null
    this.dutyReview = false
    this.assignPerson = null
  }

  // ---- tools ---------------------------------------------------------------------------------------

  private async startTool(tool: Tool) {
    this.stopTool()
    this.notice = null
    this.tool = tool
    const cell = this.cell
    if (!cell) return this.render()
    this.toolBusy = tool !== 'home' && tool !== 'people'
    this.render()
    try {
      if (tool === 'reshape') {
        const fresh = await this.host.api.cell(cell.code)
        this.cell = fresh
        await this.loadNeighbours(fresh.parentCode, fresh.code)
        this.ring = editableRing(fresh.geometry as Polygonal)
        this.host.fit(fresh.bbox)
        await this.host.drawing.editRing(this.ring.ring)
      } else if (tool === 'create') {
        const parent = this.createParent()
        if (parent) await this.loadNeighbours(parent.code, null)
        this.newName.value = ''
        await this.host.drawing.drawNew('polygon', (g) => {
          this.drawn = g
          this.render()
        })
      } else if (tool === 'split') {
        this.newName.value = ''
        this.host.fit(cell.bbox)
        await this.host.drawing.drawNew('line', (g) => {
          this.drawn = g
          this.render()
        })
      } else if (tool === 'merge') {
        await this.loadNeighbours(cell.parentCode, cell.code)
        this.mergeWith = mergeCandidates(cell, this.siblings)[0]?.code ?? null
      } else if (tool === 'history') {
        this.history = await this.host.api.cellHistory(cell.code)
      } else if (tool === 'people') {
        this.assignStart.value = today()
        this.assignEnd.value = ''
        this.dutyReason.value = ''
      }
    } catch (e) {
      this.toolError = e
      this.host.drawing.stop()
    }
    this.toolBusy = false
    this.render()
  }

  /** Siblings (exact boundaries) and the parent: what vertices snap to. */
  private async loadNeighbours(parentCode: string | null, ownCode: string | null) {
    if (!parentCode) {
      this.siblings = []
      this.host.setSnapTargets({ vertices: [], segments: [] })
      return
    }
    const [siblings, parent] = await Promise.all([
      this.host.api.cells({ parent: parentCode, limit: 5000 }),
      this.host.api.cell(parentCode),
    ])
    this.siblings = siblings.features
    const others = siblings.features.filter((f) => f.properties.code !== ownCode).map((f) => f.geometry)
    const targets = snapTargetsOf([...others, parent.geometry as Polygonal])
    // GET /api/cells features carry no bbox (the contract says so), so the narrowing to targets near the
    // cell being edited (targetsNear) never applied; every sibling and the parent stay snap targets
    this.host.setSnapTargets(targets)
  }

  /** Where a new cell goes: inside the selected cell, or beside a village (in its township). */
  private createParent(): { code: string; name: string } | null {
    const c = this.cell
    if (!c) return null
    if (c.level < 3 || c.children.length > 0) return { code: c.code, name: displayName(c) }
    return c.parentCode ? { code: c.parentCode, name: c.parentName ?? c.parentCode } : null
  }

  // ---- the change under review ---------------------------------------------------------------------

  /** Builds the current tool's change, or says what is missing. */
  private buildChange(): Pending | string {
    const c = this.cell!
    switch (this.tool) {
      case 'reshape': {
        const g = this.host.drawing.geometry()
        if (!this.ring || !g || g.type !== 'Polygon') return t('editNothingDrawn')
        const ring = g.coordinates[0]!
        const crossing = selfIntersection(ring)
        if (crossing) {
          this.host.mark([{ point: [crossing[0]!, crossing[1]!], label: t('editSelfIntersection') }])
          return t('editSelfIntersection')
        }
        return {
          tool: 'reshape',
          title: t('toolReshape'),
          change: {
            operation: 'reshape',
            cellCode: c.code,
            version: c.version,
            geometry: withRing(this.ring, ring),
            clipToParent: this.clip.checked,
            trimSiblings: this.trim.checked,
          },
        }
      }
      case 'create': {
        const parent = this.createParent()
        const g = this.host.drawing.geometry()
        if (!parent) return t('editNoParent')
        if (!g || g.type !== 'Polygon') return t('editDrawPolygonFirst')
        const name = this.newName.value.trim()
        if (!name) return t('editNameRequired')
        return {
          tool: 'create',
          title: t('toolCreate'),
          change: {
            operation: 'create',
            parentCode: parent.code,
            name,
            geometry: g,
            clipToParent: this.clip.checked,
            trimSiblings: this.trim.checked,
          },
        }
      }
      case 'split': {
        const g = this.host.drawing.geometry()
        if (!g || g.type !== 'LineString' || !isUsableLine(g)) return t('editDrawLineFirst')
        const name = this.newName.value.trim()
        return {
          tool: 'split',
          title: t('toolSplit'),
          change: {
            operation: 'split',
            cellCode: c.code,
            version: c.version,
            line: g,
            ...(name ? { names: [name] } : {}),
          },
        }
      }
      case 'merge': {
        const other = this.siblings.find((s) => s.properties.code === this.mergeWith)
        if (!other) return t('editChooseMerge')
        return {
          tool: 'merge',
          title: t('toolMerge'),
          change: {
            operation: 'merge',
            keepCode: c.code,
            keepVersion: c.version,
            mergeCode: other.properties.code,
            mergeVersion: other.properties.version,
          },
        }
      }
      default:
        return t('editNothingDrawn')
    }
  }

  private requestPreview() {
    const built = this.buildChange()
    if (typeof built === 'string') {
      this.toolError = new Error(built)
      return this.render()
    }
    this.toolError = null
    void this.review(built.change, built.title, built.tool)
  }

  /** Previews a change (from a tool here, or from the coverage panel's fix-a-gap helpers). */
  async review(change: EditChange, title: string, tool: Tool = this.tool) {
    this.pending = { change, title, tool }
    this.preview = null
    this.previewError = null
    this.previewing = true
    this.notice = null
    this.host.mark([])
    this.render()
    try {
      // the server wants a reason with the preview too; it is not kept (nothing is written)
      const result = await this.host.api.previewEdit({
        ...change,
        reason: this.reason.value.trim() || 'preview',
      } as EditRequest)
      if (this.pending?.change !== change) return
      this.preview = result
      this.host.mark(previewPlaces(result))
    } catch (e) {
      if (this.pending?.change !== change) return
      this.previewError = e
      this.host.mark(problemLocations(e))
      const stale = staleState(e)
      if (stale?.geometry) this.host.showOutline(stale.geometry as Geometry)
    } finally {
      this.previewing = false
    }
    this.render()
    // the first place the preview or the error names is where the user should look
    this.el
      .querySelector<HTMLElement>('[data-testid=edit-preview], [data-testid=edit-error]')
      ?.scrollIntoView({ block: 'nearest' })
  }

  private async save() {
    const pending = this.pending
    const reason = this.reason.value.trim()
    if (!pending || !this.preview || !reason) return
    this.saving = true
    this.render()
    try {
      const result = await this.host.api.applyEdit({ ...pending.change, reason } as EditRequest)
      this.reason.value = ''
      const retired = result.cells.some((c) => c.code === this.code && c.change === 'retired')
      const created = result.cells.find((c) => c.change === 'created')
      this.stopTool()
      const notice = t('editSaved', { n: result.cells.length, parcels: result.parcels.length })
      await this.host.saved(result)
      // a new cell is what the user wants to look at next; after a merge or delete the cell is gone
      const change = pending.change
      const makesCell =
        change.operation === 'create' || (change.operation === 'fix_gap' && change.action === 'new_cell')
      const next = makesCell && created ? created.code : retired ? (created?.code ?? null) : this.code
      this.code = next
      this.cell = null
      this.notice = notice
      this.host.selectCell(next)
      await this.loadCell()
    } catch (e) {
      this.previewError = e
      this.preview = null
      this.host.mark(problemLocations(e))
      const stale = staleState(e)
      if (stale?.geometry) this.host.showOutline(stale.geometry as Geometry)
    } finally {
      this.saving = false
    }
    this.render()
  }

  /** After a 409: load the cell as it is now and start the tool again (the edit is discarded). */
  private async reloadAfterStale() {
    const tool = this.pending?.tool ?? 'home'
    this.stopTool()
    await this.loadCell()
    if (tool !== 'home') await this.startTool(tool)
  }

  private backToTool() {
    this.pending = null
    this.preview = null
    this.previewError = null
    this.host.mark([])
    this.host.showOutline(null)
    this.render()
  }

  private updateSaveButton() {
    const button = this.el.querySelector<HTMLButtonElement>('[data-testid=edit-save]')
    if (button) button.disabled = this.saving || !this.preview || !this.reason.value.trim()
  }

  // ---- responsibilities ----------------------------------------------------------------------------

  private async searchPeople(q: string) {
    try {
      this.personResults = await this.host.api.people(q)
    } catch (e) {
      this.toolError = e
    }
    this.render()
  }

  private async saveDuty() {
    const cell = this.cell
    if (!cell) return
    this.toolBusy = true
    this.render()
    try {
      if (this.ending) {
        await this.host.api.endResponsibility(
          this.ending.responsibilityId,
          this.endDate.value,
          this.dutyReason.value.trim() || undefined,
        )
        this.notice = t('dutyEnded', { name: displayName(this.ending), date: this.endDate.value })
      } else if (this.assignPerson) {
        await this.host.api.assignResponsibility({
          personId: this.assignPerson.id,
          cellCode: cell.code,
          role: this.assignRole,
          startsOn: this.assignStart.value,
          endsOn: this.assignEnd.value || null,
          reason: this.dutyReason.value.trim() || undefined,
        })
        this.notice = t('dutyAssigned', {
          name: displayName(this.assignPerson),
          role: tKey(`role_${this.assignRole}`, this.assignRole),
          cell: displayName(cell),
        })
      }
      this.ending = null
      this.assignPerson = null
      this.dutyReview = false
      this.personQuery.value = ''
      this.personResults = []
      this.dutyReason.value = ''
      this.toolError = null
      await this.host.saved(null)
      const fresh = await this.host.api.cell(cell.code)
      this.cell = fresh
    } catch (e) {
      this.toolError = e
    }
    this.toolBusy = false
    this.render()
  }

  // ---- rendering -----------------------------------------------------------------------------------

  render() {
    if (!this.code)
      return clear(
        this.el,
        this.notice ? h('div', { class: 'success', role: 'status', 'data-testid': 'edit-notice' }, this.notice) : null,
        h('p', { class: 'muted' }, t('editPickCell')),
      )
    if (this.loadError)
      return clear(
        this.el,
        inlineError(this.loadError, () => void this.loadCell()),
      )
    const c = this.cell
    if (!c) return clear(this.el, h('p', { class: 'muted' }, t('loading')))
    const leaf = c.children.length === 0
    const hasParent = c.parentCode !== null
    const toolButton = (tool: Tool, label: string, enabled = true) =>
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          'data-tool': tool,
          'aria-pressed': String(this.tool === tool),
          disabled: !enabled || this.saving,
          onclick: () => void this.startTool(this.tool === tool ? 'home' : tool),
        },
        label,
      )
    clear(
      this.el,
      h(
        'div',
        { class: 'cell-head', 'data-testid': 'edit-cell' },
        h('div', { class: 'title' }, displayName(c), h('span', { class: 'code' }, ` ${c.code}`)),
        h(
          'div',
          { class: 'small muted' },
          `${tKey(`level_${c.level}`, t('levelN', { level: c.level }))} · v${c.version} · ${formatArea(c.areaM2)}${c.parentName ? ` · ${c.parentName}` : ''}`,
        ),
      ),
      this.notice ? h('div', { class: 'success', role: 'status', 'data-testid': 'edit-notice' }, this.notice) : null,
      h(
        'div',
        { class: 'tool-buttons' },
        toolButton('reshape', t('toolReshape'), hasParent),
        toolButton('create', t('toolCreate'), this.createParent() !== null),
        toolButton('split', t('toolSplit'), leaf && hasParent),
        toolButton('merge', t('toolMerge'), leaf && hasParent),
        h(
          'button',
          {
            type: 'button',
            class: 'button danger',
            'data-tool': 'delete',
            disabled: !(leaf && hasParent) || this.saving,
            onclick: () => this.deleteCell(),
          },
          t('toolDelete'),
        ),
        toolButton('history', t('toolHistory')),
        toolButton('people', t('toolPeople')),
      ),
      this.toolBusy ? h('p', { class: 'muted small' }, t('loading')) : null,
      this.toolError ? editErrorView(this.toolError, { flyTo: (p) => this.host.flyTo(p) }) : null,
      this.toolView(c),
      this.pending ? this.reviewView() : null,
    )
    this.updateSaveButton()
  }

  private deleteCell() {
    const c = this.cell
    if (!c) return
    this.stopTool()
    this.tool = 'home'
    void this.review({ operation: 'delete', cellCode: c.code, version: c.version }, t('toolDelete'), 'home')
  }

  private options() {
    return h(
      'div',
      { class: 'edit-options' },
      h('label', {}, this.clip, ' ', t('optClipToParent')),
      h('label', {}, this.trim, ' ', t('optTrimSiblings')),
    )
  }

  private previewButton(enabled = true) {
    return h(
      'button',
      {
        type: 'button',
        class: 'button primary',
        'data-testid': 'edit-preview-button',
        disabled: !enabled || this.previewing || this.saving,
        onclick: () => this.requestPreview(),
      },
      t('editPreview'),
    )
  }

  private toolView(c: CellDetail): HTMLElement | null {
    if (this.toolBusy) return null
    switch (this.tool) {
      case 'home':
        return h('p', { class: 'muted small' }, t('editHomeHint'))
      case 'reshape':
        return h(
          'section',
          { class: 'tool', 'data-testid': 'tool-reshape' },
          h('p', { class: 'hint' }, t('hintReshape')),
          this.options(),
          h('div', { class: 'actions' }, this.previewButton(), this.cancelButton()),
        )
      case 'create': {
        const parent = this.createParent()
        return h(
          'section',
          { class: 'tool', 'data-testid': 'tool-create' },
          h('p', { class: 'hint' }, t('hintCreate', { parent: parent ? `${parent.name} ${parent.code}` : '—' })),
          h('label', { class: 'field' }, t('newCellName'), this.newName),
          this.options(),
          h('div', { class: 'actions' }, this.previewButton(), this.cancelButton()),
        )
      }
      case 'split':
        return h(
          'section',
          { class: 'tool', 'data-testid': 'tool-split' },
          h('p', { class: 'hint' }, t('hintSplit')),
          h('label', { class: 'field' }, t('splitNewName'), this.newName),
          h('div', { class: 'actions' }, this.previewButton(), this.cancelButton()),
        )
      case 'merge': {
        const candidates = mergeCandidates(c, this.siblings)
        return h(
          'section',
          { class: 'tool', 'data-testid': 'tool-merge' },
          h('p', { class: 'hint' }, t('hintMerge', { name: displayName(c) })),
          candidates.length
            ? h(
                'div',
                { class: 'choices' },
                candidates.map((m) => {
                  const radio = h('input', { type: 'radio', name: 'merge-with', value: m.code })
                  radio.checked = this.mergeWith === m.code
                  radio.addEventListener('change', () => (this.mergeWith = m.code))
                  return h('label', { 'data-code': m.code }, radio, ` ${m.name} `, h('span', { class: 'code' }, m.code))
                }),
              )
            : h('p', { class: 'muted small' }, t('mergeNoNeighbours')),
          h('div', { class: 'actions' }, this.previewButton(candidates.length > 0), this.cancelButton()),
        )
      }
      case 'history':
        return this.historyView(c)
      case 'people':
        return this.peopleView(c)
    }
  }

  private cancelButton() {
    return h(
      'button',
      {
        type: 'button',
        class: 'button',
        'data-testid': 'edit-cancel',
        onclick: () => {
          this.stopTool()
          this.render()
        },
      },
      t('cancel'),
    )
  }

  private historyView(c: CellDetail): HTMLElement {
    const versions = this.history ?? []
    const fmt = (iso: string) => iso.replace('T', ' ').slice(0, 16)
    return h(
      'section',
      { class: 'tool', 'data-testid': 'tool-history' },
      h(
        'ol',
        { class: 'history-list', reversed: true },
        [...versions].reverse().map((v) =>
          h(
            'li',
            { 'data-version': v.version, class: v.version === c.version ? 'current' : '' },
            h(
              'div',
              { class: 'row' },
              h('strong', {}, `v${v.version}`),
              ' ',
              h('span', { class: 'small' }, fmt(v.validFrom)),
              ' · ',
              h('span', { class: 'small' }, v.changedBy ?? '—'),
              v.version === c.version ? h('span', { class: 'badge' }, t('historyCurrent')) : null,
              v.retired ? h('span', { class: 'badge' }, t('historyRetired')) : null,
            ),
            h('div', { class: 'small' }, v.reason ?? '—'),
            h('div', { class: 'small muted' }, `${v.name}${v.areaM2 !== null ? ` · ${formatArea(v.areaM2)}` : ''}`),
            h(
              'div',
              { class: 'actions' },
              v.geometry
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'button',
                      'aria-pressed': String(this.outlineVersion === v.version),
                      'data-testid': 'history-outline',
                      onclick: () => {
                        const show = this.outlineVersion !== v.version
                        this.outlineVersion = show ? v.version : null
                        this.host.showOutline(show ? v.geometry : null)
                        this.render()
                      },
                    },
                    t('historyShowOutline'),
                  )
                : null,
              v.version !== c.version && v.geometry && !v.retired
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'button',
                      'data-testid': 'history-restore',
                      onclick: () =>
                        void this.review(
                          {
                            operation: 'restore',
                            cellCode: c.code,
                            version: c.version,
                            toVersion: v.version,
                            trimSiblings: true,
                          },
                          t('historyRestoreTitle', { v: v.version }),
                          'history',
                        ),
                    },
                    t('historyRestore'),
                  )
                : null,
              undoButton(v, (change, title) => void this.review(change, title, 'history')),
            ),
          ),
        ),
      ),
    )
  }

  private peopleView(c: CellDetail): HTMLElement {
    const duties = currentDuties(c.history ?? c.people, today())
    const roleSelect = h(
      'select',
      { 'data-testid': 'assign-role' },
      ROLES.map((r) => h('option', { value: r, selected: r === this.assignRole }, tKey(`role_${r}`, r))),
    )
    roleSelect.addEventListener('change', () => (this.assignRole = roleSelect.value as Role))
    this.personQuery.placeholder = t('supervisorSearch')
    const review = this.dutyReview
      ? h(
          'div',
          { class: 'review-box', 'data-testid': 'duty-review' },
          h(
            'p',
            {},
            this.ending
              ? t('dutyEndReview', {
                  name: displayName(this.ending),
                  role: tKey(`role_${this.ending.role}`, this.ending.role),
                  cell: displayName(c),
                  date: this.endDate.value,
                })
              : this.assignPerson
                ? t('dutyAssignReview', {
                    name: displayName(this.assignPerson),
                    role: tKey(`role_${this.assignRole}`, this.assignRole),
                    cell: displayName(c),
                    from: this.assignStart.value,
                    until: this.assignEnd.value || t('dutyOpenEnded'),
                  })
                : '',
          ),
          h('p', { class: 'small muted' }, t('dutyReviewNote')),
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'button primary',
                'data-testid': 'duty-confirm',
                onclick: () => void this.saveDuty(),
              },
              t('confirm'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'button',
                onclick: () => {
                  this.dutyReview = false
                  this.render()
                },
              },
              t('back'),
            ),
          ),
        )
      : null
    return h(
      'section',
      { class: 'tool', 'data-testid': 'tool-people' },
      h('h3', {}, t('dutiesNow')),
      duties.length
        ? h(
            'ul',
            { class: 'item-list duties' },
            duties.map((d) =>
              h(
                'li',
                { 'data-responsibility': d.responsibilityId },
                h(
                  'div',
                  { class: 'row' },
                  h('span', { class: 'role' }, tKey(`role_${d.role}`, d.role)),
                  ' ',
                  h('strong', {}, displayName(d)),
                  h('span', { class: 'small muted' }, ` ${d.startsOn} – ${d.endsOn ?? ''}`),
                ),
                this.ending?.responsibilityId === d.responsibilityId
                  ? h(
                      'div',
                      { class: 'inline-form' },
                      h('label', {}, t('dutyEndsOn'), ' ', this.endDate),
                      h('label', {}, t('dutyReason'), ' ', this.dutyReason),
                      h(
                        'div',
                        { class: 'actions' },
                        h(
                          'button',
                          {
                            type: 'button',
                            class: 'button primary',
                            disabled: !this.endDate.value,
                            onclick: () => {
                              this.dutyReview = true
                              this.render()
                            },
                          },
                          t('dutyReviewButton'),
                        ),
                        h(
                          'button',
                          {
                            type: 'button',
                            class: 'button',
                            onclick: () => {
                              this.ending = null
                              this.dutyReview = false
                              this.render()
                            },
                          },
                          t('cancel'),
                        ),
                      ),
                    )
                  : h(
                      'div',
                      { class: 'actions' },
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'button small-button',
                          'data-testid': 'duty-end',
                          onclick: () => {
                            this.ending = d
                            this.assignPerson = null
                            this.endDate.value = today()
                            this.dutyReview = false
                            this.render()
                          },
                        },
                        t('dutyEnd'),
                      ),
                    ),
              ),
            ),
          )
        : h('p', { class: 'muted small' }, t('popupNoPeople')),
      this.ending && this.dutyReview ? review : null,
      h('h3', {}, t('dutyAssign')),
      h(
        'div',
        { class: 'inline-form' },
        h('label', {}, t('dutyPerson'), ' ', this.personQuery),
        this.personResults.length && !this.assignPerson
          ? h(
              'ul',
              { class: 'item-list', 'data-testid': 'assign-person-results' },
              this.personResults.map((p) =>
                h(
                  'li',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      'data-person': p.id,
                      onclick: () => {
                        this.assignPerson = p
                        this.ending = null
                        this.render()
                      },
                    },
                    h('span', {}, displayName(p)),
                    h('span', { class: 'meta' }, p.organisation ?? ''),
                  ),
                ),
              ),
            )
          : null,
        this.assignPerson
          ? h(
              'div',
              { class: 'chosen' },
              h('strong', {}, displayName(this.assignPerson)),
              ' ',
              h(
                'button',
                {
                  type: 'button',
                  class: 'icon-button',
                  'aria-label': t('cancel'),
                  onclick: () => {
                    this.assignPerson = null
                    this.dutyReview = false
                    this.render()
                  },
                },
                '×',
              ),
            )
          : null,
        h('label', {}, t('dutyRole'), ' ', roleSelect),
        h('label', {}, t('dutyStartsOn'), ' ', this.assignStart),
        h('label', {}, t('dutyEndsOnOptional'), ' ', this.assignEnd),
        this.ending ? null : h('label', {}, t('dutyReason'), ' ', this.dutyReason),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'button primary',
              'data-testid': 'assign-review',
              disabled: !this.assignPerson || !this.assignStart.value,
              onclick: () => {
                this.dutyReview = true
                this.render()
              },
            },
            t('dutyReviewButton'),
          ),
        ),
      ),
      !this.ending && this.dutyReview ? review : null,
    )
  }

  private reviewView(): HTMLElement {
    const p = this.pending!
    const save = h(
      'button',
      { type: 'button', class: 'button primary', 'data-testid': 'edit-save', onclick: () => void this.save() },
      this.saving ? t('saving') : t('editSave'),
    )
    return h(
      'section',
      { class: 'review', 'data-testid': 'edit-review', 'aria-live': 'polite' },
      h('h3', {}, t('previewTitle', { what: p.title })),
      this.previewing ? h('p', { class: 'muted' }, t('previewLoading')) : null,
      this.previewError
        ? editErrorView(this.previewError, {
            flyTo: (pt) => this.host.flyTo(pt),
            reload: () => void this.reloadAfterStale(),
          })
        : null,
      this.preview ? previewView(this.preview, { flyTo: (pt) => this.host.flyTo(pt) }) : null,
      this.preview
        ? h(
            'div',
            { class: 'confirm' },
            h('label', { for: 'edit-reason' }, t('editReason')),
            this.reason,
            h(
              'div',
              { class: 'actions' },
              save,
              h(
                'button',
                { type: 'button', class: 'button', 'data-testid': 'edit-back', onclick: () => this.backToTool() },
                t('back'),
              ),
            ),
          )
        : !this.previewing
          ? h(
              'div',
              { class: 'actions' },
              h(
                'button',
                { type: 'button', class: 'button', 'data-testid': 'edit-back', onclick: () => this.backToTool() },
                t('back'),
              ),
            )
          : null,
    )
  }
}
