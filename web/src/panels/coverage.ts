// Coverage of the region or the selected cell: key figures, the children ranked by coverage (a
// plain SVG bar chart) and the gaps and overlaps, each of which zooms the map to itself.
import { isAbort, type ApiClient } from '../api/client.js'
import type { CoverageChild, CoverageReport } from '../api/types.js'
import type { Geometry } from 'geojson'
import { displayName, formatArea, formatPct, t } from '../i18n/index.js'
import { theme } from '../map/theme.js'
import { clear, h, svg } from '../util/dom.js'
import { inlineError } from './errors.js'

export type CoverageScope = { region: string } | { cell: string }

export interface CoverageActions {
  zoomTo(bbox: number[], geometry?: Geometry): void
  selectCell(code: string): void
}

/** The left end of the bar axis: a round number below the lowest coverage, so small differences show. */
export function axisStart(pcts: number[]): number {
  if (!pcts.length) return 0
  const min = Math.min(...pcts)
  // the largest round start that still leaves the lowest bar a fifth of the axis
  for (const start of [98, 95, 90, 80, 50]) if (min - start >= (100 - start) * 0.2) return start
  return 0
}

export function rankChildren(children: CoverageChild[]): CoverageChild[] {
  return [...children].sort((a, b) => b.coveredPct - a.coveredPct || a.code.localeCompare(b.code))
}

export class CoveragePanel {
  readonly el = h('div', { class: 'coverage', 'data-testid': 'coverage-panel' })
  private report: CoverageReport | null = null
  private error: unknown = null
  private scope: CoverageScope
  private selectedCell: { code: string; name: string } | null = null
  private controller: AbortController | null = null

  constructor(
    private readonly api: ApiClient,
    private readonly region: { code: string; name: string },
    private readonly actions: CoverageActions,
    private readonly cache: Map<string, CoverageReport>,
  ) {
    this.scope = { region: region.code }
  }

  /** The cell selected on the map, offered as a scope. */
  setSelectedCell(cell: { code: string; name: string } | null) {
    this.selectedCell = cell
    this.render()
  }

  currentScope() {
    return this.scope
  }

  /** Shows `scope` unless a report (or a request for one) is already there. */
  ensure(scope: CoverageScope) {
    if (!this.report && !this.error && !this.controller) void this.show(scope)
  }

  async show(scope: CoverageScope) {
    const key = 'region' in scope ? `region:${scope.region}` : `cell:${scope.cell}`
    this.scope = scope
    this.error = null
    const cached = this.cache.get(key)
    if (cached) {
      this.report = cached
      this.render()
      return
    }
    this.report = null
    this.render()
    this.controller?.abort()
    const controller = new AbortController()
    this.controller = controller
    try {
      const report = await this.api.coverage(scope, controller.signal)
      this.cache.set(key, report)
      if (this.scope !== scope) return
      this.report = report
    } catch (e) {
      if (isAbort(e)) return
      this.error = e
    } finally {
      if (this.controller === controller) this.controller = null
    }
    this.render()
  }

  render() {
    const scopeSwitch = h(
      'div',
      { class: 'scope-switch' },
      h('button', { type: 'button', 'aria-pressed': String('region' in this.scope), onclick: () => this.changeScope({ region: this.region.code }) }, t('coverageBackToRegion')),
      this.selectedCell
        ? h(
            'button',
            { type: 'button', 'aria-pressed': String('cell' in this.scope && this.scope.cell === this.selectedCell.code), onclick: () => this.changeScope({ cell: this.selectedCell!.code }) },
            `${t('coverageForSelected')}: ${this.selectedCell.name}`,
          )
        : null,
    )
    if (this.error) return clear(this.el, scopeSwitch, inlineError(this.error, () => void this.show(this.scope)))
    const r = this.report
    if (!r) return clear(this.el, scopeSwitch, h('p', { class: 'muted' }, t('loading')))
    const s = r.summary
    const figure = (label: string, value: string, bad: boolean, testid: string) =>
      h('div', { class: `figure${bad ? ' bad' : ''}`, 'data-testid': testid }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label))
    clear(
      this.el,
      scopeSwitch,
      h('h3', { 'data-testid': 'coverage-scope' }, r.scope.kind === 'region' ? `${t('coverageRegion')} · ${r.scope.name}` : t('coverageOf', { name: r.scope.name, code: r.scope.code })),
      h(
        'div',
        { class: 'figures' },
        figure(t('coverageCovered'), formatPct(s.coveredPct), s.coveredPct < 100, 'covered-pct'),
        figure(t('coverageGapArea'), formatArea(s.gapAreaM2), s.gapAreaM2 > 0, 'gap-area'),
        figure(t('coverageOverlapArea'), formatArea(s.overlapAreaM2), s.overlapAreaM2 > 0, 'overlap-area'),
        figure(t('coverageVacant'), String(s.vacantCells), s.vacantCells > 0, 'vacant-cells'),
        figure(t('coverageUnowned'), String(s.parcels.unowned ?? 0), (s.parcels.unowned ?? 0) > 0, 'unowned-parcels'),
      ),
      r.children.length ? [h('h3', {}, t('coverageRanking')), this.ranking(r.children)] : null,
      h('h3', {}, t('coverageGaps', { n: r.gaps.length })),
      r.gaps.length
        ? h(
            'ul',
            { class: 'item-list', 'data-testid': 'gap-list' },
            r.gaps.map((g) =>
              h(
                'li',
                {},
                h(
                  'button',
                  { type: 'button', 'data-gap': g.id, onclick: () => this.actions.zoomTo(g.bbox, g.geometry) },
                  h('span', { class: 'dot', style: `background: ${theme.gap.fill}` }),
                  h('span', {}, t('coverageGapItem', { parent: this.nameOf(g.parentCode), area: formatArea(g.areaM2) })),
                  h('span', { class: 'meta' }, g.id),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted small' }, t('coverageNoGaps')),
      h('h3', {}, t('coverageOverlaps', { n: r.overlaps.length })),
      r.overlaps.length
        ? h(
            'ul',
            { class: 'item-list', 'data-testid': 'overlap-list' },
            r.overlaps.map((o) =>
              h(
                'li',
                {},
                h(
                  'button',
                  { type: 'button', 'data-overlap': o.id, onclick: () => this.actions.zoomTo(o.bbox, o.geometry) },
                  h('span', { class: 'dot', style: `background: ${theme.overlap.fill}` }),
                  h('span', {}, t('coverageOverlapItem', { codes: o.cellCodes.join(' / '), area: formatArea(o.areaM2) })),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted small' }, t('coverageNoOverlaps')),
    )
  }

  private nameOf(code: string): string {
    const child = this.report?.children.find((c) => c.code === code)
    if (child) return `${displayName(child)} ${code}`
    if (this.report?.scope.code === code) return `${this.report.scope.name} ${code}`
    return code
  }

  private changeScope(scope: CoverageScope) {
    void this.show(scope)
  }

  private ranking(children: CoverageChild[]): HTMLElement {
    const ranked = rankChildren(children)
    const lo = axisStart(ranked.map((c) => c.coveredPct))
    const width = 100
    return h(
      'div',
      { class: 'ranking', 'data-testid': 'coverage-ranking', role: 'list' },
      ranked.map((c, i) => {
        const frac = Math.max(0.02, (c.coveredPct - lo) / (100 - lo))
        const color = c.coveredPct >= 100 ? theme.staffing.staffed : c.coveredPct >= 99 ? theme.staffing.understaffed : theme.gap.fill
        const bar = svg(
          'svg',
          { viewBox: `0 0 ${width} 10`, preserveAspectRatio: 'none', 'aria-hidden': 'true' },
          svg('rect', { x: 0, y: 0, width, height: 10, fill: '#eef0f2' }),
          svg('rect', { x: 0, y: 0, width: (width * frac).toFixed(2), height: 10, fill: color }),
        )
        return h(
          'div',
          { class: 'row', role: 'listitem', 'data-code': c.code, 'data-pct': c.coveredPct.toFixed(4) },
          h('button', { type: 'button', title: `${c.name} ${c.code}`, onclick: () => this.actions.selectCell(c.code) }, `${i + 1}. ${displayName(c)}`),
          bar,
          h('span', { class: 'pct' }, formatPct(c.coveredPct)),
        )
      }),
      h('div', { class: 'small muted' }, `${lo}% — 100%`),
    )
  }
}
