// The split tool: a line drawn across the cell cuts it in two; the new part may be given a name.
import type { CellDetail } from '../../api/types.js'
import { t } from '../../i18n/index.js'
import { isUsableLine } from '../../map/draw/polygon-edit.js'
import { h } from '../../util/dom.js'
import type { EditTool, PendingChange, ToolContext } from './edit-tool.js'

export class SplitTool implements EditTool {
  private readonly newName = h('input', { type: 'text', maxlength: 100, 'data-testid': 'new-cell-name' })

  constructor(private readonly ctx: ToolContext) {}

  async start(cell: CellDetail) {
    this.newName.value = ''
    this.ctx.host.fit(cell.bbox)
    await this.ctx.host.drawing.drawNew('line', () => this.ctx.render())
  }

  reset() {}

  buildChange(c: CellDetail): PendingChange | string {
    const g = this.ctx.host.drawing.geometry()
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

  view(): HTMLElement {
    return h(
      'section',
      { class: 'tool', 'data-testid': 'tool-split' },
      h('p', { class: 'hint' }, t('hintSplit')),
      h('label', { class: 'field' }, t('splitNewName'), this.newName),
      h('div', { class: 'actions' }, this.ctx.previewButton(), this.ctx.cancelButton()),
    )
  }
}
