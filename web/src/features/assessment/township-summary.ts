// What a tap on a township says about its accountability (in the map popup): the month's score and
// rank among townships, its ledger (entries handed in, overdue) and its vacancy-days. The month is the
// one whose ledgers are due now; the three answers are asked once per month and reused.
import type { LoopApi } from '../../api/loop-client.js'
import type { LedgerSummary, MonthAssessment, VacancyDays } from '../../api/types.js'
import { t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import { serviceToday } from '../../util/service-day.js'
import { formatNumber, previousMonth } from '../ledgers/format.js'

/** each is null when its source could not answer (the others are still shown) */
interface MonthFigures {
  assessment: MonthAssessment | null
  ledgers: LedgerSummary | null
  vacancy: VacancyDays | null
}

export class TownshipFigures {
  private cache = new Map<string, Promise<MonthFigures>>()

  constructor(private readonly loop: LoopApi) {}

  /** Ledgers or scores changed: ask again next time. */
  invalidate() {
    this.cache.clear()
  }

  private figures(month: string): Promise<MonthFigures> {
    let p = this.cache.get(month)
    if (!p) {
      const orNull = <T>(q: Promise<T>) => q.catch(() => null)
      p = Promise.all([
        orNull(this.loop.assessment(month)),
        orNull(this.loop.ledgerSummary(month)),
        orNull(this.loop.vacancyDays(month)),
      ]).then(([assessment, ledgers, vacancy]) => {
        // nothing answered: ask again next time
        if (!assessment && !ledgers && !vacancy) throw new Error('no figures')
        return { assessment, ledgers, vacancy }
      })
      p.catch(() => this.cache.delete(month))
      this.cache.set(month, p)
    }
    return p
  }

  /** A block for the popup, filled in when the figures arrive (nothing when the township has no unit). */
  view(townshipCode: string, month = previousMonth(serviceToday())): HTMLElement {
    const el = h(
      'div',
      { class: 'township-figures', 'data-testid': 'township-figures', 'data-township': townshipCode },
      h('div', { class: 'small muted' }, t('loading')),
    )
    void this.figures(month)
      .then((f) => el.replaceChildren(...township(f, townshipCode, month)))
      .catch(() => el.replaceChildren(h('div', { class: 'small muted' }, t('townshipFiguresUnavailable'))))
    return el
  }
}

function township(f: MonthFigures, code: string, month: string): HTMLElement[] {
  const rows = f.assessment?.groups.township ?? []
  const row = rows.find((r) => r.unit.code === code)
  const ledger = f.ledgers?.units.find((u) => u.unit.code === code)
  const vacancy = f.vacancy?.townships.find((v) => v.township.code === code)
  const ranked = rows.filter((r) => r.rank !== null).length
  const item = (label: string, value: string, testid: string, bad = false) =>
    h(
      'li',
      {},
      h('span', { class: 'muted' }, `${label} `),
      h('strong', { class: bad ? 'late' : '', 'data-testid': testid }, value),
    )
  return [
    h(
      'div',
      { class: 'fig-title' },
      t('townshipFiguresTitle', { month }),
      ' ',
      !f.assessment
        ? null
        : f.assessment.closed
          ? h('span', { class: 'badge closed' }, t('assessClosed'))
          : h('span', { class: 'badge provisional' }, t('assessProvisional')),
    ),
    h(
      'ul',
      { class: 'fig-list' },
      item(t('assessScore'), formatNumber(row?.score), 'township-score'),
      item(t('assessRank'), row?.rank ? t('rankOf', { rank: row.rank, n: ranked }) : '—', 'township-rank'),
      item(
        t('townshipLedger'),
        ledger
          ? t('townshipLedgerValue', { submitted: ledger.submitted, entries: ledger.entries, overdue: ledger.overdue })
          : '—',
        'township-ledger',
        (ledger?.overdue ?? 0) > 0,
      ),
      item(
        t('townshipVacancyDays'),
        vacancy
          ? t('townshipVacancyValue', { vacant: vacancy.vacantDays, understaffed: vacancy.understaffedDays })
          : '—',
        'township-vacancy',
        (vacancy?.vacantDays ?? 0) > 0,
      ),
    ),
  ]
}
