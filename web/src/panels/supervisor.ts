// Supervisor view: pick a person (a signed-in supervisor starts with their own person); the map zooms
// to their cells and highlights them, and this panel lists the cells with the parcels in them by
// match status, problem parcels first.
import { isAbort, type ApiClient } from '../api/client.js'
import type { CoverageReport, ParcelIssue, ParcelStatus, PersonDetail, PersonListItem } from '../api/types.js'
import { displayName, formatArea, t, tKey } from '../i18n/index.js'
import { PARCEL_STATUSES, theme } from '../map/theme.js'
import { clear, debounce, h } from '../util/dom.js'
import { errorMessage, inlineError } from './errors.js'
import { parcelBadge } from './popup.js'

export interface SupervisorActions {
  showPerson(person: PersonDetail): void
  selectCell(code: string): void
  goToPoint(lon: number, lat: number): void
  personChanged(id: number | null): void
}

interface CellReport {
  code: string
  report: CoverageReport | null
  error: unknown
}

const ISSUE_STATUSES: ParcelStatus[] = ['unowned', 'straddling', 'inherited']

export class SupervisorPanel {
  readonly el = h('div', { class: 'supervisor', 'data-testid': 'supervisor-panel' })
  private input = h('input', { type: 'search', autocomplete: 'off', 'data-testid': 'person-input' })
  private results = h('ul', { class: 'item-list', 'data-testid': 'person-results' })
  private person: PersonDetail | null = null
  private personId: number | null = null
  private cellReports: CellReport[] = []
  private error: unknown = null
  private loading = false
  private controller: AbortController | null = null
  private searchController: AbortController | null = null
  private readonly searchPeople = debounce((q: string) => void this.findPeople(q), 250)

  constructor(
    private readonly api: ApiClient,
    private readonly ownPersonId: number | null,
    private readonly actions: SupervisorActions,
  ) {
    this.input.addEventListener('input', () => {
      const q = this.input.value.trim()
      if (!q) return clear(this.results)
      this.searchPeople(q)
    })
    this.render()
  }

  current() {
    return this.personId
  }

  private async findPeople(q: string) {
    this.searchController?.abort()
    const controller = new AbortController()
    this.searchController = controller
    try {
      const people = await this.api.people(q, controller.signal)
      clear(
        this.results,
        people.length
          ? people.map((p: PersonListItem) =>
              h(
                'li',
                {},
                h(
                  'button',
                  { type: 'button', 'data-person': p.id, onclick: () => void this.select(p.id) },
                  h('span', {}, displayName(p)),
                  h('span', { class: 'meta' }, p.organisation ?? ''),
                ),
              ),
            )
          : h('li', { class: 'muted small' }, t('searchNoResults', { q })),
      )
    } catch (e) {
      if (!isAbort(e)) clear(this.results, h('li', { class: 'inline-error' }, errorMessage(e).message))
    }
  }

  async select(personId: number | null) {
    this.personId = personId
    this.person = null
    this.cellReports = []
    this.error = null
    clear(this.results)
    this.input.value = ''
    this.actions.personChanged(personId)
    if (personId === null) return this.render()
    this.controller?.abort()
    const controller = new AbortController()
    this.controller = controller
    this.loading = true
    this.render()
    try {
      const person = await this.api.person(personId, controller.signal)
      if (controller.signal.aborted) return
      this.person = person
      this.actions.showPerson(person)
      const codes = [...new Set(person.cells.map((c) => c.cellCode))]
      this.cellReports = codes.map((code) => ({ code, report: null, error: null }))
      this.loading = false
      this.render()
      await Promise.all(
        this.cellReports.map(async (entry) => {
          try {
            entry.report = await this.api.coverage({ cell: entry.code }, controller.signal)
          } catch (e) {
            if (isAbort(e)) return
            entry.error = e
          }
          if (!controller.signal.aborted) this.render()
        }),
      )
    } catch (e) {
      if (isAbort(e)) return
      this.loading = false
      this.error = e
      this.render()
    }
  }

  render() {
    this.input.placeholder = t('supervisorSearch')
    const picker = h(
      'div',
      { class: 'person-picker' },
      h('label', { class: 'small muted', for: 'person-input' }, t('supervisorChoose')),
      this.input,
      this.results,
      this.ownPersonId !== null && this.personId !== this.ownPersonId
        ? h(
            'div',
            { style: 'margin-top:6px' },
            h(
              'button',
              { type: 'button', class: 'button', onclick: () => void this.select(this.ownPersonId) },
              t('supervisorMine'),
            ),
          )
        : null,
    )
    this.input.id = 'person-input'
    if (this.error)
      return clear(
        this.el,
        picker,
        inlineError(this.error, () => void this.select(this.personId)),
      )
    if (this.loading) return clear(this.el, picker, h('p', { class: 'muted' }, t('loading')))
    const p = this.person
    if (!p) return clear(this.el, picker)
    clear(
      this.el,
      picker,
      h(
        'h3',
        { 'data-testid': 'supervisor-person' },
        displayName(p),
        p.phone ? h('span', { class: 'small muted' }, ` · ${p.phone}`) : null,
      ),
      p.cells.length === 0
        ? h('p', { class: 'muted' }, t('supervisorNoCells', { name: displayName(p) }))
        : [
            h('h3', {}, t('supervisorCells', { n: this.cellReports.length })),
            h(
              'div',
              { 'data-testid': 'supervisor-cells' },
              this.cellReports.map((entry) => this.cellCard(p, entry)),
            ),
          ],
    )
  }

  private cellCard(p: PersonDetail, entry: CellReport): HTMLElement {
    const duties = p.cells.filter((c) => c.cellCode === entry.code)
    const first = duties[0]
    const r = entry.report
    const counts = r?.summary.parcels ?? {}
    const issues: (ParcelIssue & { status: ParcelStatus })[] = r
      ? ISSUE_STATUSES.flatMap((s) => r.parcels[s as 'unowned'].map((i) => ({ ...i, status: s })))
      : []
    return h(
      'section',
      { class: 'cell-card', 'data-cell': entry.code },
      h(
        'header',
        {},
        h(
          'button',
          { type: 'button', onclick: () => this.actions.selectCell(entry.code) },
          first ? first.cellName : entry.code,
        ),
        h('span', { class: 'code' }, entry.code),
        h('span', { class: 'small muted' }, duties.map((d) => tKey(`role_${d.role}`, d.role)).join(', ')),
      ),
      entry.error
        ? inlineError(entry.error)
        : !r
          ? h('div', { class: 'small muted' }, t('loading'))
          : [
              h(
                'div',
                { class: 'chips', 'data-testid': 'parcel-counts' },
                PARCEL_STATUSES.map((s) =>
                  h(
                    'span',
                    { class: 'chip', 'data-status': s },
                    h('span', {
                      class: 'dot',
                      style: `display:inline-block;width:9px;height:9px;border-radius:50%;background:${theme.parcel[s]}`,
                    }),
                    `${t(`parcelStatusShort_${s}`)} ${counts[s] ?? 0}`,
                  ),
                ),
              ),
              issues.length
                ? h(
                    'ul',
                    { class: 'item-list' },
                    issues.slice(0, 50).map((i) =>
                      h(
                        'li',
                        {},
                        h(
                          'button',
                          {
                            type: 'button',
                            'data-parcel': i.externalId,
                            onclick: () => i.point.length >= 2 && this.actions.goToPoint(i.point[0]!, i.point[1]!),
                          },
                          parcelBadge(i.status),
                          h('span', {}, i.externalId),
                          h('span', { class: 'meta' }, formatArea(i.areaM2)),
                        ),
                      ),
                    ),
                  )
                : h('div', { class: 'small muted' }, t('supervisorNoIssues')),
            ],
    )
  }
}
