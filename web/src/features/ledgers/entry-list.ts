// Ledger entries as a list (a phone-sized card per entry) and the per-unit summary of a month.
import type { LedgerEntry, LedgerSummary } from '../../api/types.js'
import { displayName, lang, t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import { entryTone, formatNumber } from './format.js'

export function entryBadges(e: LedgerEntry): HTMLElement[] {
  const badges = [
    h('span', { class: `badge ledger-${e.state}`, 'data-testid': 'entry-state' }, t(`ledgerState_${e.state}`)),
  ]
  if (e.overdue) badges.push(h('span', { class: 'badge overdue', 'data-testid': 'entry-overdue' }, t('ledgerOverdue')))
  if (e.escalationLevel > 0)
    badges.push(h('span', { class: 'badge escalated' }, t('ledgerEscalated', { level: e.escalationLevel })))
  return badges
}

export function entryList(entries: LedgerEntry[], open: (id: number) => void, showUnit: boolean): HTMLElement {
  if (!entries.length) return h('p', { class: 'muted', 'data-testid': 'ledger-empty' }, t('ledgerNone'))
  return h(
    'ul',
    { class: 'entry-list', 'data-testid': 'ledger-list' },
    entries.map((e) => {
      const title = lang() === 'en' && e.measure.titleEn ? e.measure.titleEn : e.measure.title
      const uom = e.measure.indicator.unitOfMeasure
      return h(
        'li',
        { class: `tone-${entryTone(e)}` },
        h(
          'button',
          {
            type: 'button',
            'data-entry': e.id,
            'data-state': e.state,
            'data-measure': e.measure.code,
            onclick: () => open(e.id),
          },
          h(
            'span',
            { class: 'entry-head' },
            h('strong', {}, `${e.measure.code} ${title}`),
            h('span', { class: 'meta' }, ...entryBadges(e)),
          ),
          showUnit ? h('span', { class: 'small muted' }, `${displayName(e.unit)} · ${e.month}`) : null,
          h('span', { class: 'small' }, `${t('ledgerMilestone')}: ${e.milestone || '—'}`),
          e.withheld || e.progress === null || e.evidenceCount === null
            ? null
            : h(
                'span',
                { class: 'small muted' },
                `${t('ledgerDoneValue')}: ${formatNumber(e.doneValue)}${uom && e.doneValue !== null ? ` ${uom}` : ''} · ${t(`ledgerProgress_${e.progress}`)} · ${t('ledgerEvidenceCount', { n: e.evidenceCount })}`,
              ),
          e.state === 'returned' && e.returnReason
            ? h(
                'span',
                { class: 'small returned-reason', 'data-testid': 'entry-return-reason' },
                `${t('ledgerReturnedBecause')} ${e.returnReason}`,
              )
            : null,
        ),
      )
    }),
  )
}

/** The month per unit: entries, handed in, on time, accepted, returned, overdue. */
export function summaryTable(s: LedgerSummary, open: (unitCode: string) => void): HTMLElement {
  const cols = [
    'ledgerEntries',
    'ledgerSubmittedN',
    'ledgerOnTimeN',
    'ledgerAcceptedN',
    'ledgerReturnedN',
    'ledgerOverdueN',
  ] as const
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'loop-table', 'data-testid': 'ledger-summary' },
      h('caption', { class: 'small muted' }, t('ledgerSummaryCaption', { month: s.month })),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('ledgerUnit')),
          cols.map((c) => h('th', { scope: 'col' }, t(c))),
        ),
      ),
      h(
        'tbody',
        {},
        s.units.map((u) =>
          h(
            'tr',
            { 'data-unit': u.unit.code },
            h(
              'th',
              { scope: 'row' },
              h('button', { type: 'button', class: 'link', onclick: () => open(u.unit.code) }, displayName(u.unit)),
            ),
            [u.entries, u.submitted, u.onTime, u.accepted, u.returned, u.overdue].map((n, i) =>
              h('td', { class: i === 5 && n > 0 ? 'num late' : 'num' }, String(n)),
            ),
          ),
        ),
      ),
    ),
  )
}
