// The admin's boundary tools for the selected cell: edit its boundary (drag vertices, snapping to the
// neighbours), draw a new cell, split it along a line, merge it with an adjacent cell, delete it,
// restore an earlier version from its history, and assign or end people's responsibilities.
//
// This panel holds the cell being edited and which tool is open; each tool lives in its own file
// (*-tool.ts) and builds an EditChange, which goes through the same review (edit-review.ts): a preview,
// a typed reason and a confirmation. Fix-a-gap and fix-an-overlap from the coverage panel arrive
// through review() and take the same path.
import { isAbort } from '../../api/client.js'
import type { CellDetail, EditChange, EditResult } from '../../api/types.js'
import { displayName, formatArea, t, tKey } from '../../i18n/index.js'
import { editErrorView } from '../../panels/edit-preview.js'
import { inlineError } from '../../panels/errors.js'
import { clear, h } from '../../util/dom.js'
import { CreateTool, createParent } from './create-tool.js'
import { EditOptions } from './edit-options.js'
import { EditReview } from './edit-review.js'
import type { EditHost, EditTool, ToolContext, ToolName } from './edit-tool.js'
import { HistoryTool } from './history-tool.js'
import { MergeTool } from './merge-tool.js'
import { Neighbours } from './neighbours.js'
import { PeopleTool } from './people-tool.js'
import { ReshapeTool } from './reshape-tool.js'
import { SplitTool } from './split-tool.js'

export type { EditHost } from './edit-tool.js'

export class EditPanel {
  readonly el = h('div', { class: 'editing', 'data-testid': 'edit-panel' })
  private code: string | null = null
  private cell: CellDetail | null = null
  private loadError: unknown = null
  private tool: ToolName = 'home'
  private toolError: unknown = null
  private toolBusy = false
  private notice: string | null = null
  private controller: AbortController | null = null
  private readonly changeReview: EditReview
  private readonly history: HistoryTool
  private readonly tools: Record<Exclude<ToolName, 'home'>, EditTool>

  constructor(private readonly host: EditHost) {
    this.changeReview = new EditReview({
      host,
      el: this.el,
      render: () => this.render(),
      clearNotice: () => (this.notice = null),
      saved: (result, change) => this.saved(result, change),
      reload: (tool) => this.reloadAfterStale(tool),
    })
    const ctx: ToolContext = {
      host,
      neighbours: new Neighbours(host),
      options: new EditOptions(),
      render: () => this.render(),
      review: (change, title, tool) => void this.changeReview.review(change, title, tool),
      showError: (error) => (this.toolError = error),
      setBusy: (busy) => (this.toolBusy = busy),
      setNotice: (notice) => (this.notice = notice),
      cell: () => this.cell,
      replaceCell: (cell) => (this.cell = cell),
      previewButton: (enabled) => this.previewButton(enabled),
      cancelButton: () => this.cancelButton(),
    }
    this.history = new HistoryTool(ctx)
    this.tools = {
      reshape: new ReshapeTool(ctx),
      create: new CreateTool(ctx),
      split: new SplitTool(ctx),
      merge: new MergeTool(ctx),
      history: this.history,
      people: new PeopleTool(ctx),
    }
    this.render()
  }

  // ---- the cell ------------------------------------------------------------------------------------

  /** The selected cell changed (or the panel opened on it). */
  async setCell(code: string | null) {
    if (code === this.code) return
    this.stopTool()
    this.code = code
    this.cell = null
    this.loadError = null
    this.notice = null
    this.history.forgetVersions()
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

  // ---- tools ---------------------------------------------------------------------------------------

  private stopTool() {
    this.host.drawing.stop()
    this.host.mark([])
    this.host.showOutline(null)
    this.tool = 'home'
    this.toolError = null
    for (const tool of Object.values(this.tools)) tool.reset()
    this.changeReview.clear()
  }

  private async startTool(name: ToolName) {
    this.stopTool()
    this.notice = null
    this.tool = name
    const cell = this.cell
    if (!cell) return this.render()
    this.toolBusy = name !== 'home' && name !== 'people'
    this.render()
    try {
      if (name !== 'home') await this.tools[name].start(cell)
    } catch (e) {
      this.toolError = e
      this.host.drawing.stop()
    }
    this.toolBusy = false
    this.render()
  }

  private requestPreview() {
    const tool = this.tool === 'home' ? null : this.tools[this.tool]
    const built = tool?.buildChange ? tool.buildChange(this.cell!) : t('editNothingDrawn')
    if (typeof built === 'string') {
      this.toolError = new Error(built)
      return this.render()
    }
    this.toolError = null
    void this.changeReview.review(built.change, built.title, built.tool)
  }

  /** Previews a change (from a tool here, or from the coverage panel's fix-a-gap helpers). */
  review(change: EditChange, title: string, tool: ToolName = this.tool) {
    return this.changeReview.review(change, title, tool)
  }

  /** A saved change: a new cell is what the user wants to look at next; after a merge or delete the cell is gone. */
  private async saved(result: EditResult, change: EditChange) {
    const retired = result.cells.some((c) => c.code === this.code && c.change === 'retired')
    const created = result.cells.find((c) => c.change === 'created')
    this.stopTool()
    const notice = t('editSaved', { n: result.cells.length, parcels: result.parcels.length })
    await this.host.saved(result)
    const makesCell = change.operation === 'create' || (change.operation === 'fix_gap' && change.action === 'new_cell')
    const next = makesCell && created ? created.code : retired ? (created?.code ?? null) : this.code
    this.code = next
    this.cell = null
    this.notice = notice
    this.host.selectCell(next)
    await this.loadCell()
  }

  /** After a 409: load the cell as it is now and start the tool again (the edit is discarded). */
  private async reloadAfterStale(tool: ToolName) {
    this.stopTool()
    await this.loadCell()
    if (tool !== 'home') await this.startTool(tool)
  }

  private deleteCell() {
    const c = this.cell
    if (!c) return
    this.stopTool()
    this.tool = 'home'
    void this.changeReview.review(
      { operation: 'delete', cellCode: c.code, version: c.version },
      t('toolDelete'),
      'home',
    )
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
    const toolButton = (tool: ToolName, label: string, enabled = true) =>
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          'data-tool': tool,
          'aria-pressed': String(this.tool === tool),
          disabled: !enabled || this.changeReview.saving,
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
        toolButton('create', t('toolCreate'), createParent(c) !== null),
        toolButton('split', t('toolSplit'), leaf && hasParent),
        toolButton('merge', t('toolMerge'), leaf && hasParent),
        h(
          'button',
          {
            type: 'button',
            class: 'button danger',
            'data-tool': 'delete',
            disabled: !(leaf && hasParent) || this.changeReview.saving,
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
      this.changeReview.view(),
    )
    this.changeReview.updateSaveButton()
  }

  private toolView(c: CellDetail): HTMLElement | null {
    if (this.toolBusy) return null
    if (this.tool === 'home') return h('p', { class: 'muted small' }, t('editHomeHint'))
    return this.tools[this.tool].view(c)
  }

  private previewButton(enabled = true) {
    return h(
      'button',
      {
        type: 'button',
        class: 'button primary',
        'data-testid': 'edit-preview-button',
        disabled: !enabled || this.changeReview.previewing || this.changeReview.saving,
        onclick: () => this.requestPreview(),
      },
      t('editPreview'),
    )
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
}
