// The assessment dashboard (考核): for a month, the ranking of each peer group with its red and black
// lists and a bar chart of the scores, whether the month is closed (its figures frozen), the bulletin
// to download (XLSX, PDF), and a unit's drill-down with its trend. An admin closes a month here.
import { isAbort } from '../../api/client.js'
import { LoopApi } from '../../api/loop-client.js'
import type { AssessmentTrend, MonthAssessment, UnitAssessment, UserRole } from '../../api/types.js'
import { displayName, lang, t } from '../../i18n/index.js'
import { inlineError } from '../../panels/errors.js'
import { clear, h } from '../../util/dom.js'
import { serviceToday } from '../../util/service-day.js'
import { formatDateTime } from '../flags/format.js'
import { isMonth, previousMonth } from '../ledgers/format.js'
import { GROUPS, groupSection } from './ranking-view.js'
import { drillDown, trendView } from './unit-view.js'

export interface AssessmentHost {
  loop: LoopApi
  role: UserRole | null
  toast(e: unknown): void
}

export class AssessmentPanel {
  readonly el = h('div', { class: 'assessment', 'data-testid': 'assessment-panel' })
  private month = previousMonth(serviceToday())
  private data: MonthAssessment | null = null
  private error: unknown = null
  private unitCode: string | null = null
  private unit: UnitAssessment | null = null
  private trend: AssessmentTrend | null = null
  private unitError: unknown = null
  private closing = false
  /** the admin asked to close the month: the confirmation is showing */
  private confirmClose = false
  private controller: AbortController | null = null

  constructor(private readonly host: AssessmentHost) {
    this.render()
  }

  activate() {
    void this.load()
  }

  setMonth(month: string) {
    if (!isMonth(month)) return
    this.month = month
    this.unitCode = null
    void this.load()
  }

  private async load() {
    this.controller?.abort()
    const controller = new AbortController()
    this.controller = controller
    this.error = null
    this.data = null
    this.render()
    try {
      this.data = await this.host.loop.assessment(this.month, controller.signal)
      if (this.unitCode) await this.loadUnit(this.unitCode, controller.signal)
    } catch (e) {
      if (isAbort(e)) return
      this.error = e
    }
    this.render()
    this.el.dataset.loadedMonth = this.month
  }

  async openUnit(code: string) {
    this.unitCode = code
    this.unit = null
    this.trend = null
    this.unitError = null
    this.render()
    await this.loadUnit(code)
    this.render()
  }

  private async loadUnit(code: string, signal?: AbortSignal) {
    try {
      const [unit, trend] = await Promise.all([
        this.host.loop.unitAssessment(this.month, code, signal),
        this.host.loop.trend(Number(this.month.slice(0, 4)), code, signal),
      ])
      if (this.unitCode !== code) return
      this.unit = unit
      this.trend = trend
    } catch (e) {
      if (isAbort(e)) throw e
      this.unitError = e
    }
  }

  private async close() {
    this.confirmClose = false
    this.closing = true
    this.render()
    try {
      this.data = await this.host.loop.closeMonth(this.month)
    } catch (e) {
      this.host.toast(e)
    }
    this.closing = false
    this.render()
  }

  render() {
    const monthInput = h('input', {
      id: 'assess-month',
      type: 'month',
      value: this.month,
      'data-testid': 'assess-month',
    })
    monthInput.addEventListener('change', () => this.setMonth(monthInput.value))
    const d = this.data
    const head = h(
      'div',
      { class: 'assess-head' },
      h('div', { class: 'month-row' }, h('label', { for: 'assess-month' }, t('month')), monthInput),
      d
        ? d.closed
          ? h(
              'span',
              { class: 'badge closed', 'data-testid': 'assess-closed', title: formatDateTime(d.closedAt) },
              t('assessClosed'),
            )
          : h('span', { class: 'badge provisional', 'data-testid': 'assess-provisional' }, t('assessProvisional'))
        : null,
      d && !d.closed && this.host.role === 'admin' && !this.confirmClose
        ? h(
            'button',
            {
              type: 'button',
              class: 'button',
              disabled: this.closing,
              'data-testid': 'assess-close',
              onclick: () => ((this.confirmClose = true), this.render()),
            },
            t('assessClose'),
          )
        : null,
      d && !d.closed && this.confirmClose
        ? h(
            'div',
            { class: 'confirm', role: 'alertdialog', 'aria-label': t('assessClose') },
            h('p', { class: 'small' }, t('assessCloseConfirm', { month: this.month })),
            h(
              'button',
              {
                type: 'button',
                class: 'button primary',
                'data-testid': 'assess-close-confirm',
                onclick: () => void this.close(),
              },
              t('assessClose'),
            ),
            ' ',
            h(
              'button',
              { type: 'button', class: 'button', onclick: () => ((this.confirmClose = false), this.render()) },
              t('cancel'),
            ),
          )
        : null,
      h(
        'div',
        { class: 'downloads', role: 'group', 'aria-label': t('assessBulletin') },
        h('span', { class: 'small muted' }, `${t('assessBulletin')}:`),
        (['xlsx', 'pdf'] as const).map((f) =>
          h(
            'a',
            {
              class: 'button',
              href: LoopApi.bulletinUrl(this.month, f, lang()),
              download: `bulletin-${this.month}.${f}`,
              'data-testid': `bulletin-${f}`,
            },
            f.toUpperCase(),
          ),
        ),
      ),
    )
    clear(this.el, head, this.body())
  }

  private body(): HTMLElement {
    if (this.error) return inlineError(this.error, () => void this.load())
    const d = this.data
    if (!d) return h('p', { class: 'muted' }, t('loading'))
    if (this.unitCode) {
      const back = h(
        'button',
        {
          type: 'button',
          class: 'button',
          'data-testid': 'assess-back',
          onclick: () => ((this.unitCode = null), this.render()),
        },
        `← ${t('assessBackToRanking')}`,
      )
      if (this.unitError)
        return h(
          'div',
          {},
          back,
          inlineError(this.unitError, () => void this.openUnit(this.unitCode!)),
        )
      if (!this.unit) return h('div', {}, back, h('p', { class: 'muted' }, t('loading')))
      return h(
        'div',
        {},
        back,
        h('h3', {}, `${displayName(this.unit.unit)} · ${this.month}`),
        drillDown(this.unit),
        this.trend ? trendView(this.trend) : null,
      )
    }
    return h(
      'div',
      { 'data-testid': 'assess-ranking', 'data-month': d.month, 'data-closed': String(d.closed) },
      GROUPS.map((g) => groupSection(d, g, (code) => void this.openUnit(code))),
    )
  }
}
