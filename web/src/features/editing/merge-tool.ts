// The merge tool: the cell takes in one adjacent sibling (the server checks adjacency itself; the list
// offers those that share an edge).
import type { Geometry } from 'geojson'
import type { CellDetail, CellFeature, Polygonal } from '../../api/types.js'
import { displayName, t } from '../../i18n/index.js'
import { snapTargetsOf } from '../../map/draw/snapping.js'
import { h } from '../../util/dom.js'
import type { EditTool, PendingChange, ToolContext } from './edit-tool.js'

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

export class MergeTool implements EditTool {
  private mergeWith: string | null = null

  constructor(private readonly ctx: ToolContext) {}

  async start(cell: CellDetail) {
    await this.ctx.neighbours.load(cell.parentCode, cell.code)
    this.mergeWith = mergeCandidates(cell, this.ctx.neighbours.siblings)[0]?.code ?? null
  }

  reset() {}

  buildChange(c: CellDetail): PendingChange | string {
    const other = this.ctx.neighbours.siblings.find((s) => s.properties.code === this.mergeWith)
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

  view(c: CellDetail): HTMLElement {
    const candidates = mergeCandidates(c, this.ctx.neighbours.siblings)
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
      h('div', { class: 'actions' }, this.ctx.previewButton(candidates.length > 0), this.ctx.cancelButton()),
    )
  }
}
