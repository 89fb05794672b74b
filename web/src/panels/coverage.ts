// Coverage of the region or the selected cell: key figures, its direct children ranked by coverage (a
// plain SVG bar chart; the gaps between them said underneath) and the gaps and overlaps, each of which
// zooms the map to itself.
import { isAbort, type ApiClient } from '../api/client.js'
import type { CoverageChild, CoverageGap, CoverageOverlap, CoverageReport, UnownedFlag } from '../api/types.js'
import type { Geometry } from 'geojson'
import { displayName, formatArea, formatPct, t, tKey } from '../i18n/index.js'
import { theme } from '../map/theme.js'
import { clear, h, svg } from '../util/dom.js'
import { inlineError } from './errors.js'

export type CoverageScope = { region: string } | { cell: string }

export interface CoverageActions {
  zoomTo(bbox: number[], geometry?: Geometry): void
  selectCell(code: string): void
  /** admins only: fix a gap or an overlap (through the edit preview) */
  fixGap?(gap: CoverageGap, how: { giveTo: string } | { newCell: string }): void
  fixOverlap?(overlap: CoverageOverlap, giveTo: string): void
  openFlag?(id: number): void
  categoryName?(code: string): string
}

/** Which fix form is open under a gap or overlap. */
type OpenFix = { id: string; kind: 'give' | 'new' } | null

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
  private openFix: OpenFix = null
  private readonly fixName = h('input', { type: 'text', maxlength: 100, 'data-testid': 'gap-new-name' })
  private fixTarget: string | null = null

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

  /** Forgets every report (after an edit) and shows the current scope again. */
  refresh() {
    this.cache.clear()
    this.report = null
    this.openFix = null
    void this.show(this.scope)
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
      h(
        'button',
        {
          type: 'button',
          'aria-pressed': String('region' in this.scope),
          onclick: () => this.changeScope({ region: this.region.code }),
        },
        t('coverageBackToRegion'),
      ),
      this.selectedCell
        ? h(
            'button',
            {
              type: 'button',
              'aria-pressed': String('cell' in this.scope && this.scope.cell === this.selectedCell.code),
              onclick: () => this.changeScope({ cell: this.selectedCell!.code }),
            },
            `${t('coverageForSelected')}: ${this.selectedCell.name}`,
          )
        : null,
    )
    if (this.error)
      return clear(
        this.el,
        scopeSwitch,
        inlineError(this.error, () => void this.show(this.scope)),
      )
    const r = this.report
    if (!r) return clear(this.el, scopeSwitch, h('p', { class: 'muted' }, t('loading')))
    const s = r.summary
    const figure = (label: string, value: string, bad: boolean, testid: string) =>
      h(
        'div',
        { class: `figure${bad ? ' bad' : ''}`, 'data-testid': testid },
        h('div', { class: 'value' }, value),
        h('div', { class: 'label' }, label),
      )
    clear(
      this.el,
      scopeSwitch,
      h(
        'h3',
        { 'data-testid': 'coverage-scope' },
        r.scope.kind === 'region'
          ? `${t('coverageRegion')} · ${r.scope.name}`
          : t('coverageOf', { name: r.scope.name, code: r.scope.code }),
      ),
      h(
        'div',
        { class: 'figures' },
        figure(t('coverageCovered'), formatPct(s.coveredPct), s.coveredPct < 100, 'covered-pct'),
        figure(t('coverageGapArea'), formatArea(s.gapAreaM2), s.gapAreaM2 > 0, 'gap-area'),
        figure(t('coverageOverlapArea'), formatArea(s.overlapAreaM2), s.overlapAreaM2 > 0, 'overlap-area'),
        figure(t('coverageVacant'), String(s.vacantCells), s.vacantCells > 0, 'vacant-cells'),
        figure(t('coverageUnowned'), String(s.parcels.unowned ?? 0), (s.parcels.unowned ?? 0) > 0, 'unowned-parcels'),
      ),
      r.children.length ? [h('h3', {}, t('coverageRanking')), this.ranking(r.children), this.outsideChildren(r)] : null,
      h(
        'h3',
        {},
        r.gaps.length < s.gaps
          ? t('coverageGapsListed', { n: r.gaps.length, total: s.gaps })
          : t('coverageGaps', { n: r.gaps.length }),
      ),
      r.gaps.length
        ? h(
            'ul',
            { class: 'item-list', 'data-testid': 'gap-list' },
            r.gaps.map((g) =>
              h(
                'li',
                { 'data-gap-item': g.id },
                h(
                  'button',
                  { type: 'button', 'data-gap': g.id, onclick: () => this.actions.zoomTo(g.bbox, g.geometry) },
                  h('span', { class: 'dot', style: `background: ${theme.gap.fill}` }),
                  h(
                    'span',
                    {},
                    t('coverageGapItem', { parent: this.nameOf(g.parentCode), area: formatArea(g.areaM2) }),
                  ),
                  h('span', { class: 'meta' }, g.id),
                ),
                this.actions.fixGap ? this.gapFix(g) : null,
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
                { 'data-overlap-item': o.id },
                h(
                  'button',
                  { type: 'button', 'data-overlap': o.id, onclick: () => this.actions.zoomTo(o.bbox, o.geometry) },
                  h('span', { class: 'dot', style: `background: ${theme.overlap.fill}` }),
                  h(
                    'span',
                    {},
                    t('coverageOverlapItem', { codes: o.cellCodes.join(' / '), area: formatArea(o.areaM2) }),
                  ),
                ),
                this.actions.fixOverlap && o.cellCodes.length === 2
                  ? h(
                      'div',
                      { class: 'fix-row' },
                      o.cellCodes.map((code) =>
                        h(
                          'button',
                          {
                            type: 'button',
                            class: 'button small-button',
                            'data-give-to': code,
                            onclick: () => this.actions.fixOverlap!(o, code),
                          },
                          t('fixGiveTo', { code }),
                        ),
                      ),
                    )
                  : null,
              ),
            ),
          )
        : h('p', { class: 'muted small' }, t('coverageNoOverlaps')),
      r.flags ? this.unownedFlags(r.flags.unowned) : null,
    )
  }

  /** The fix-a-gap helpers under a gap: give it to a neighbour, or make it a new cell. */
  private gapFix(g: CoverageGap): HTMLElement {
    const open = this.openFix?.id === g.id ? this.openFix.kind : null
    const toggle = (kind: 'give' | 'new') => {
      this.openFix = open === kind ? null : { id: g.id, kind }
      this.fixTarget = g.neighbourCodes[0] ?? null
      this.fixName.value = ''
      this.render()
    }
    let form: HTMLElement | null = null
    if (open === 'give') {
      const select = h(
        'select',
        { 'data-testid': 'gap-give-select' },
        g.neighbourCodes.map((code) =>
          h('option', { value: code, selected: code === this.fixTarget }, this.nameOf(code)),
        ),
      )
      select.addEventListener('change', () => (this.fixTarget = select.value))
      form = h(
        'div',
        { class: 'inline-form' },
        g.neighbourCodes.length
          ? [
              select,
              h(
                'button',
                {
                  type: 'button',
                  class: 'button primary small-button',
                  'data-testid': 'gap-give-preview',
                  onclick: () => this.fixTarget && this.actions.fixGap!(g, { giveTo: this.fixTarget }),
                },
                t('editPreview'),
              ),
            ]
          : h('span', { class: 'small muted' }, t('fixNoNeighbours')),
      )
    } else if (open === 'new') {
      this.fixName.placeholder = t('newCellName')
      form = h(
        'div',
        { class: 'inline-form' },
        this.fixName,
        h(
          'button',
          {
            type: 'button',
            class: 'button primary small-button',
            'data-testid': 'gap-new-preview',
            onclick: () => {
              const name = this.fixName.value.trim()
              if (name) this.actions.fixGap!(g, { newCell: name })
              else this.fixName.focus()
            },
          },
          t('editPreview'),
        ),
      )
    }
    return h(
      'div',
      { class: 'fix-row' },
      h(
        'button',
        {
          type: 'button',
          class: 'button small-button',
          'aria-pressed': String(open === 'give'),
          'data-testid': 'gap-give',
          onclick: () => toggle('give'),
        },
        t('fixGiveToNeighbour'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'button small-button',
          'aria-pressed': String(open === 'new'),
          'data-testid': 'gap-new',
          onclick: () => toggle('new'),
        },
        t('fixNewCell'),
      ),
      form,
    )
  }

  /** Open flags nobody answers for directly: defects like gaps. */
  private unownedFlags(flags: UnownedFlag[]): HTMLElement[] {
    return [
      h('h3', {}, t('coverageUnownedFlags', { n: flags.length })),
      flags.length
        ? h(
            'ul',
            { class: 'item-list', 'data-testid': 'unowned-flags' },
            flags.map((f) =>
              h(
                'li',
                {},
                h(
                  'button',
                  { type: 'button', 'data-flag': f.id, onclick: () => this.actions.openFlag?.(f.id) },
                  h('span', {
                    class: 'dot',
                    style: `background: ${(theme.flag as Record<string, string>)[f.state] ?? theme.flag.dispatched}`,
                  }),
                  h('span', {}, `#${f.id} ${this.actions.categoryName?.(f.category) ?? f.category}`),
                  h(
                    'span',
                    { class: 'meta' },
                    f.gapId
                      ? t('flagInGap', { gap: f.gapId })
                      : f.vacantCellCode
                        ? t('flagInVacant', { code: f.vacantCellCode })
                        : tKey(`rule_${f.rule ?? 'nobody'}`, f.rule ?? ''),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted small' }, t('coverageNoUnownedFlags')),
    ]
  }

  /** Gaps between the children (and overlaps of two of them) belong to no row: said under the rows. */
  private outsideChildren(r: CoverageReport): HTMLElement | null {
    const o = r.outsideChildren
    if (!o || (o.gaps === 0 && o.overlaps === 0)) return null
    return h(
      'p',
      { class: 'small muted', 'data-testid': 'outside-children' },
      t('coverageOutsideChildren', {
        gaps: o.gaps,
        gapArea: formatArea(o.gapAreaM2),
        overlaps: o.overlaps,
        overlapArea: formatArea(o.overlapAreaM2),
      }),
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
        const color =
          c.coveredPct >= 100
            ? theme.staffing.staffed
            : c.coveredPct >= 99
              ? theme.staffing.understaffed
              : theme.gap.fill
        const bar = svg(
          'svg',
          { viewBox: `0 0 ${width} 10`, preserveAspectRatio: 'none', 'aria-hidden': 'true' },
          svg('rect', { x: 0, y: 0, width, height: 10, fill: '#eef0f2' }),
          svg('rect', { x: 0, y: 0, width: (width * frac).toFixed(2), height: 10, fill: color }),
        )
        return h(
          'div',
          { class: 'row', role: 'listitem', 'data-code': c.code, 'data-pct': c.coveredPct.toFixed(4) },
          h(
            'button',
            { type: 'button', title: `${c.name} ${c.code}`, onclick: () => this.actions.selectCell(c.code) },
            `${i + 1}. ${displayName(c)}`,
          ),
          bar,
          h('span', { class: 'pct' }, formatPct(c.coveredPct)),
        )
      }),
      h('div', { class: 'small muted' }, `${lo}% — 100%`),
    )
  }
}
