// The create tool: a new cell drawn as a polygon, inside the selected cell or, from a village, beside it
// in its township; it gets a name and the same clip/trim options as a reshape.
import type { CellDetail } from '../../api/types.js'
import { displayName, t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import type { EditTool, PendingChange, ToolContext } from './edit-tool.js'

/** Where a new cell goes: inside the selected cell, or beside a village (in its township). */
export function createParent(c: CellDetail | null): { code: string; name: string } | null {
  if (!c) return null
  if (c.level < 3 || c.children.length > 0) return { code: c.code, name: displayName(c) }
  return c.parentCode ? { code: c.parentCode, name: c.parentName ?? c.parentCode } : null
}

export class CreateTool implements EditTool {
  private readonly newName = h('input', { type: 'text', maxlength: 100, 'data-testid': 'new-cell-name' })

  constructor(private readonly ctx: ToolContext) {}

  async start(cell: CellDetail) {
    const parent = createParent(cell)
    if (parent) await this.ctx.neighbours.load(parent.code, null)
    this.newName.value = ''
    await this.ctx.host.drawing.drawNew('polygon', () => this.ctx.render())
  }

  reset() {}

  buildChange(c: CellDetail): PendingChange | string {
    const parent = createParent(c)
    const g = this.ctx.host.drawing.geometry()
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
        clipToParent: this.ctx.options.clip.checked,
        trimSiblings: this.ctx.options.trim.checked,
      },
    }
  }

  view(c: CellDetail): HTMLElement {
    const parent = createParent(c)
    return h(
      'section',
      { class: 'tool', 'data-testid': 'tool-create' },
      h('p', { class: 'hint' }, t('hintCreate', { parent: parent ? `${parent.name} ${parent.code}` : '—' })),
      h('label', { class: 'field' }, t('newCellName'), this.newName),
      this.ctx.options.view(),
      h('div', { class: 'actions' }, this.ctx.previewButton(), this.ctx.cancelButton()),
    )
  }
}
