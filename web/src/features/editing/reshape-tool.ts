// The reshape tool: the cell's boundary as draggable vertices that snap to the neighbours; the change
// keeps the cell's holes and other parts (withRing) and replaces the ring that was edited.
import type { CellDetail, Polygonal } from '../../api/types.js'
import { t } from '../../i18n/index.js'
import { editableRing, selfIntersection, withRing, type EditableRing } from '../../map/draw/polygon-edit.js'
import { h } from '../../util/dom.js'
import type { EditTool, PendingChange, ToolContext } from './edit-tool.js'

export class ReshapeTool implements EditTool {
  private ring: EditableRing | null = null

  constructor(private readonly ctx: ToolContext) {}

  async start(cell: CellDetail) {
    const { host } = this.ctx
    // the boundary as the server has it now: the change carries its version
    const fresh = await host.api.cell(cell.code)
    this.ctx.replaceCell(fresh)
    await this.ctx.neighbours.load(fresh.parentCode, fresh.code)
    this.ring = editableRing(fresh.geometry as Polygonal)
    host.fit(fresh.bbox)
    await host.drawing.editRing(this.ring.ring)
  }

  reset() {
    this.ring = null
  }

  buildChange(c: CellDetail): PendingChange | string {
    const { host, options } = this.ctx
    const g = host.drawing.geometry()
    if (!this.ring || !g || g.type !== 'Polygon') return t('editNothingDrawn')
    const ring = g.coordinates[0]!
    const crossing = selfIntersection(ring)
    if (crossing) {
      host.mark([{ point: [crossing[0]!, crossing[1]!], label: t('editSelfIntersection') }])
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
        clipToParent: options.clip.checked,
        trimSiblings: options.trim.checked,
      },
    }
  }

  view(): HTMLElement {
    return h(
      'section',
      { class: 'tool', 'data-testid': 'tool-reshape' },
      h('p', { class: 'hint' }, t('hintReshape')),
      this.ctx.options.view(),
      h('div', { class: 'actions' }, this.ctx.previewButton(), this.ctx.cancelButton()),
    )
  }
}
