// The history tool: every version of the cell (who, when, why), an old outline shown on the map, and
// "restore this version" or "undo this change" through the same preview and confirmation.
import type { CellDetail, CellVersion } from '../../api/types.js'
import { formatArea, t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import type { EditTool, ToolContext } from './edit-tool.js'
import { undoButton } from './undo-edit.js'

export class HistoryTool implements EditTool {
  private versions: CellVersion[] | null = null
  /** the version whose outline is on the map */
  private outlineVersion: number | null = null

  constructor(private readonly ctx: ToolContext) {}

  async start(cell: CellDetail) {
    this.versions = await this.ctx.host.api.cellHistory(cell.code)
  }

  reset() {
    this.outlineVersion = null
  }

  /** Another cell was selected: its history is not this one. */
  forgetVersions() {
    this.versions = null
  }

  view(c: CellDetail): HTMLElement {
    const versions = this.versions ?? []
    const fmt = (iso: string) => iso.replace('T', ' ').slice(0, 16)
    return h(
      'section',
      { class: 'tool', 'data-testid': 'tool-history' },
      h(
        'ol',
        { class: 'history-list', reversed: true },
        [...versions]
          .reverse()
          .map((v) =>
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
              h('div', { class: 'actions' }, this.outlineButton(v), this.restoreButton(c, v), this.undo(v)),
            ),
          ),
      ),
    )
  }

  private outlineButton(v: CellVersion): HTMLElement | null {
    if (!v.geometry) return null
    return h(
      'button',
      {
        type: 'button',
        class: 'button',
        'aria-pressed': String(this.outlineVersion === v.version),
        'data-testid': 'history-outline',
        onclick: () => {
          const show = this.outlineVersion !== v.version
          this.outlineVersion = show ? v.version : null
          this.ctx.host.showOutline(show ? v.geometry : null)
          this.ctx.render()
        },
      },
      t('historyShowOutline'),
    )
  }

  private restoreButton(c: CellDetail, v: CellVersion): HTMLElement | null {
    if (v.version === c.version || !v.geometry || v.retired) return null
    return h(
      'button',
      {
        type: 'button',
        class: 'button',
        'data-testid': 'history-restore',
        onclick: () =>
          this.ctx.review(
            { operation: 'restore', cellCode: c.code, version: c.version, toVersion: v.version, trimSiblings: true },
            t('historyRestoreTitle', { v: v.version }),
            'history',
          ),
      },
      t('historyRestore'),
    )
  }

  private undo(v: CellVersion) {
    return undoButton(v, (change, title) => this.ctx.review(change, title, 'history'))
  }
}
