// Units and their target responsibility letters (目标责任书): every township and department with its
// letter for the year (signed on, how many targets, the signed scan), and a unit's page — head,
// liaisons, the lines it leads, the letter's targets and signatories, and progress against each
// target month by month.
import { isAbort } from '../../api/client.js'
import { LoopApi } from '../../api/loop-client.js'
import type { Letter, Unit, UnitDetail, UnitProgress } from '../../api/types.js'
import { displayName, lang, t } from '../../i18n/index.js'
import { inlineError } from '../../panels/errors.js'
import { clear, h } from '../../util/dom.js'
import { serviceToday } from '../../util/service-day.js'
import { formatNumber, previousMonth } from '../ledgers/format.js'

export interface UnitsHost {
  loop: LoopApi
  /** shows a township's cell on the map */
  showCell(code: string): void
}

interface UnitPage {
  detail: UnitDetail
  letter: Letter
  progress: UnitProgress
}

const indicatorName = (i: { name: string; nameEn: string }) => (lang() === 'en' ? i.nameEn : i.name)

export class UnitsPanel {
  readonly el = h('div', { class: 'units', 'data-testid': 'units-panel' })
  /** the year of the month whose ledgers are due now: in January, still last year's letters */
  private year = Number(previousMonth(serviceToday()).slice(0, 4))
  private units: Unit[] | null = null
  private letters: Letter[] = []
  private error: unknown = null
  private code: string | null = null
  private page: UnitPage | null = null
  private pageError: unknown = null
  private controller: AbortController | null = null

  constructor(private readonly host: UnitsHost) {
    this.render()
  }

  activate() {
    if (this.code) void this.openUnit(this.code)
    else void this.load()
  }

  private async load() {
    this.controller?.abort()
    const controller = new AbortController()
    this.controller = controller
    this.error = null
    this.render()
    try {
      const [units, letters] = await Promise.all([
        this.host.loop.units(controller.signal),
        this.host.loop.letters(this.year, controller.signal),
      ])
      this.units = units
      this.letters = letters
    } catch (e) {
      if (isAbort(e)) return
      this.error = e
    }
    this.render()
  }

  async openUnit(code: string) {
    this.code = code
    this.page = null
    this.pageError = null
    this.render()
    try {
      const [detail, letter, progress] = await Promise.all([
        this.host.loop.unit(code),
        this.host.loop.letter(code, this.year),
        this.host.loop.progress(code, this.year),
      ])
      if (this.code !== code) return
      this.page = { detail, letter, progress }
    } catch (e) {
      this.pageError = e
    }
    this.render()
  }

  render() {
    if (this.code) return clear(this.el, this.unitView())
    const yearSelect = h(
      'select',
      { id: 'units-year', 'data-testid': 'units-year' },
      yearChoices(serviceToday()).map((y) => h('option', { value: y, selected: y === this.year }, String(y))),
    )
    yearSelect.addEventListener('change', () => {
      this.year = Number(yearSelect.value)
      void this.load()
    })
    clear(
      this.el,
      h('div', { class: 'month-row' }, h('label', { for: 'units-year' }, t('year')), yearSelect),
      this.listBody(),
    )
  }

  private listBody(): HTMLElement {
    if (this.error) return inlineError(this.error, () => void this.load())
    if (!this.units) return h('p', { class: 'muted' }, t('loading'))
    const letterOf = new Map(this.letters.map((l) => [l.unit.code, l]))
    const group = (kind: 'township' | 'department') =>
      h(
        'section',
        {},
        h('h3', {}, t(`assessGroup_${kind}`)),
        h(
          'ul',
          { class: 'item-list units-list', 'data-testid': `units-${kind}` },
          this.units!.filter((u) => u.kind === kind).map((u) => {
            const l = letterOf.get(u.code)
            return h(
              'li',
              {},
              h(
                'button',
                { type: 'button', 'data-unit': u.code, onclick: () => void this.openUnit(u.code) },
                h('span', {}, displayName(u)),
                h(
                  'span',
                  { class: 'meta' },
                  l?.signedOn
                    ? t('letterSignedShort', { date: l.signedOn, n: l.targets.length })
                    : h('span', { class: 'late' }, t('letterNone')),
                  l?.scan ? ' · PDF' : '',
                ),
              ),
            )
          }),
        ),
      )
    return h('div', {}, group('township'), group('department'))
  }

  private unitView(): HTMLElement {
    const back = h(
      'button',
      {
        type: 'button',
        class: 'button',
        'data-testid': 'units-back',
        onclick: () => ((this.code = null), void this.load()),
      },
      `← ${t('unitsBack')}`,
    )
    if (this.pageError)
      return h(
        'div',
        {},
        back,
        inlineError(this.pageError, () => void this.openUnit(this.code!)),
      )
    const p = this.page
    if (!p) return h('div', {}, back, h('p', { class: 'muted' }, t('loading')))
    const { detail: u, letter: l, progress } = p
    const dl = (label: string, value: Node | string) => [h('dt', {}, label), h('dd', {}, value)]
    return h(
      'div',
      { class: 'unit-page', 'data-testid': 'unit-page', 'data-unit': u.code },
      back,
      h('h3', { class: 'entry-title' }, displayName(u), ' ', h('span', { class: 'badge' }, t(`unitKind_${u.kind}`))),
      h(
        'dl',
        { class: 'facts' },
        dl(t('unitHead'), u.head?.name ?? '—'),
        dl(t('unitLiaisons'), u.liaisons.map((p) => p.name).join('、') || '—'),
        u.leads.length ? dl(t('unitLeads'), u.leads.join(', ')) : [],
        u.cellCode
          ? dl(
              t('unitCell'),
              h(
                'button',
                { type: 'button', class: 'link', onclick: () => this.host.showCell(u.cellCode!) },
                u.cellCode,
              ),
            )
          : [],
      ),
      h('h3', {}, t('letterTitle', { year: this.year })),
      h(
        'dl',
        { class: 'facts', 'data-testid': 'letter' },
        dl(t('letterSignedOn'), l.signedOn ?? t('letterNone')),
        dl(t('letterUnitSignatory'), l.unitSignatory?.name ?? '—'),
        dl(t('letterCountySignatory'), l.countySignatory?.name ?? '—'),
        dl(
          t('letterScan'),
          l.scan
            ? h(
                'a',
                {
                  href: LoopApi.letterScanUrl(u.code, this.year),
                  target: '_blank',
                  rel: 'noopener',
                  'data-testid': 'letter-scan',
                },
                t('letterScanOpen'),
              )
            : t('letterNoScan'),
        ),
      ),
      l.targets.length
        ? h(
            'ul',
            { class: 'small', 'data-testid': 'letter-targets' },
            l.targets.map((x) =>
              h('li', {}, `${indicatorName(x.indicator)}: ${formatNumber(x.targetValue)} ${x.indicator.unitOfMeasure}`),
            ),
          )
        : null,
      h('h3', {}, t('progressTitle')),
      progressTable(progress),
      u.measures.length
        ? [
            h('h3', {}, t('unitMeasures', { year: u.year })),
            h(
              'ul',
              { class: 'small' },
              u.measures.map((m) => h('li', {}, `${m.code} ${lang() === 'en' && m.titleEn ? m.titleEn : m.title}`)),
            ),
          ]
        : null,
    )
  }
}

/** This year, the year of the month due now, and the year before that (newest first, no repeats). */
export function yearChoices(today: string): number[] {
  const due = Number(previousMonth(today).slice(0, 4))
  return [...new Set([Number(today.slice(0, 4)), due, due - 1])]
}

/** Progress against each target, a column per month: value (met ✓ / not met ✗). */
export function progressTable(p: UnitProgress): HTMLElement {
  if (!p.rows.length) return h('p', { class: 'small muted' }, t('progressNone'))
  const months = p.rows[0]!.months.map((m) => m.month)
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'loop-table progress-table', 'data-testid': 'progress-table' },
      h('caption', { class: 'visually-hidden' }, t('progressTitle')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('progressIndicator')),
          h('th', { scope: 'col' }, t('progressTarget')),
          months.map((m) => h('th', { scope: 'col' }, m.slice(5))),
        ),
      ),
      h(
        'tbody',
        {},
        p.rows.map((r) =>
          h(
            'tr',
            { 'data-indicator': r.indicator.code },
            h(
              'th',
              { scope: 'row' },
              `${indicatorName(r.indicator)}${r.indicator.unitOfMeasure ? ` (${r.indicator.unitOfMeasure})` : ''}`,
            ),
            h('td', { class: 'num' }, formatNumber(r.target)),
            r.months.map((c) =>
              h(
                'td',
                {
                  class: `num ${c.met === true ? 'met' : c.met === false ? 'not-met' : ''}`,
                  title: c.met === null ? '' : t(c.met ? 'progressMet' : 'progressNotMet'),
                },
                formatNumber(c.value),
                c.met === null ? '' : c.met ? ' ✓' : ' ✗',
              ),
            ),
          ),
        ),
      ),
    ),
  )
}
