// After a report: which flag it made (or joined), where the server routed it and why, and the way on.
import type { FlagReportResult } from '../../api/types.js'
import { t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import { stateBadge } from './badges.js'

export interface ReportResultActions {
  view(id: number): void
  another(): void
}

function routingExplanation(routing: FlagReportResult['flag']['routing']): string {
  const cell = `${routing.accountableCellName ?? ''} ${routing.accountableCellCode ?? ''}`.trim()
  if (routing.rule === 'fallback_gap') return t('reportRoutedGap', { cell })
  if (routing.rule === 'fallback_vacant') return t('reportRoutedVacant', { cell })
  if (routing.rule === 'direct') return t('reportRoutedDirect', { cell })
  return t('reportRoutedNobody')
}

export function reportResultView(r: FlagReportResult, actions: ReportResultActions): HTMLElement {
  const f = r.flag
  return h(
    'section',
    { class: 'report-done', role: 'status', 'data-testid': 'report-result', 'data-flag': f.id, 'data-kind': r.kind },
    h(
      'h3',
      {},
      r.kind === 'same_as' ? t('reportAddedTo', { id: f.id }) : t('reportCreated', { id: f.id }),
      ' ',
      stateBadge(f.state),
    ),
    f.unowned ? h('p', { class: 'notice-box', 'data-testid': 'report-unowned' }, t('reportUnowned')) : null,
    h('p', { 'data-testid': 'report-routing', 'data-rule': f.routing.rule ?? '' }, routingExplanation(f.routing)),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'button primary', 'data-testid': 'report-view', onclick: () => actions.view(f.id) },
        t('reportViewFlag'),
      ),
      h(
        'button',
        { type: 'button', class: 'button', 'data-testid': 'report-another', onclick: () => actions.another() },
        t('reportAnother'),
      ),
    ),
  )
}
