// When an open flag of the same kind is near, the server refuses a report with 409 possible_duplicate
// and names the candidates; the report form then offers "same as #N" (the report and its photos are
// added to that flag) or "it's different, submit anyway".
import { ApiError } from '../../api/client.js'
import type { DuplicateCandidate } from '../../api/types.js'
import { t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import { stateBadge } from './badges.js'
import { formatDateTime } from './format.js'

/** The open flags a 409 possible_duplicate names, or null for any other error. */
export function duplicateCandidates(e: unknown): DuplicateCandidate[] | null {
  if (!(e instanceof ApiError) || e.status !== 409 || e.code !== 'possible_duplicate') return null
  const c = (e.details as { candidates?: unknown } | undefined)?.candidates
  return Array.isArray(c) ? (c as DuplicateCandidate[]) : []
}

export interface DuplicateChoice {
  /** a submission is under way: the choices wait */
  submitting: boolean
  sameAs(id: number): void
  different(): void
}

export function duplicatesView(candidates: DuplicateCandidate[], choice: DuplicateChoice): HTMLElement {
  return h(
    'section',
    { class: 'duplicates', role: 'alert', 'data-testid': 'report-duplicates' },
    h('strong', {}, t('reportDuplicateTitle', { n: candidates.length })),
    h('p', { class: 'small' }, t('reportDuplicateIntro')),
    h(
      'ul',
      { class: 'item-list' },
      candidates.map((c) =>
        h(
          'li',
          { 'data-candidate': c.id },
          h(
            'div',
            { class: 'row' },
            h('strong', {}, `#${c.id}`),
            ' ',
            stateBadge(c.state),
            h(
              'span',
              { class: 'small muted' },
              ` ${t('reportDistance', { m: Math.round(c.distanceM) })} · ${formatDateTime(c.createdAt)}`,
            ),
          ),
          c.description ? h('div', { class: 'small' }, c.description) : null,
          h(
            'button',
            {
              type: 'button',
              class: 'button primary',
              'data-testid': 'report-same-as',
              disabled: choice.submitting,
              onclick: () => choice.sameAs(c.id),
            },
            t('reportSameAs', { id: c.id }),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          'data-testid': 'report-different',
          disabled: choice.submitting,
          onclick: () => choice.different(),
        },
        t('reportDifferent'),
      ),
    ),
  )
}
