// A flag's detail: where it is and who it went to, its deadlines and escalation, photos, the workflow
// (action-form.ts) and the timeline.
import type { FlagDetail } from '../../api/types.js'
import { displayName, t, tKey } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import { inlineError } from '../../panels/errors.js'
import { categoryLabel, stateBadge, urgencyBadges } from './badges.js'
import { formatDateTime } from './format.js'

export interface DetailViewState {
  /** back to the inbox or the list */
  backLabel: string
  back(): void
  flag: FlagDetail | null
  flagError: unknown
  reload(): void
  showOnMap(flag: FlagDetail): void
  /** the workflow buttons and form, or null */
  actions(flag: FlagDetail): HTMLElement | null
}

export function detailView(d: DetailViewState): HTMLElement {
  const back = h(
    'button',
    { type: 'button', class: 'button', 'data-testid': 'flag-back', onclick: () => d.back() },
    `← ${d.backLabel}`,
  )
  if (d.flagError)
    return h(
      'div',
      {},
      back,
      inlineError(d.flagError, () => d.reload()),
    )
  const f = d.flag
  if (!f) return h('div', {}, back, h('p', { class: 'muted' }, t('loading')))
  const r = f.routing
  const dl = (label: string, value: string | HTMLElement | (HTMLElement | string | null)[]) => [
    h('dt', {}, label),
    h('dd', {}, value),
  ]
  const escalation =
    f.escalationLevel > 0
      ? h(
          'div',
          { class: 'escalation', role: 'alert', 'data-testid': 'flag-escalation' },
          h('strong', {}, t('flagEscalatedTitle', { n: f.escalationLevel })),
          h(
            'div',
            {},
            t('flagEscalatedTo', {
              cell: f.escalatedTo ? `${f.escalatedTo.name ?? ''} ${f.escalatedTo.code}`.trim() : '—',
            }),
          ),
          f.ackEscalatedAt
            ? h(
                'div',
                { class: 'small' },
                t('flagAckMissed', { due: formatDateTime(f.ackDueAt), at: formatDateTime(f.ackEscalatedAt) }),
              )
            : null,
          f.completeEscalatedAt
            ? h(
                'div',
                { class: 'small' },
                t('flagCompleteMissed', {
                  due: formatDateTime(f.completeDueAt),
                  at: formatDateTime(f.completeEscalatedAt),
                }),
              )
            : null,
        )
      : null
  const where =
    r.missingLevel !== null
      ? t('flagWhereGap', { parent: `${r.cellName ?? ''} ${r.gapParentCode ?? r.cellCode ?? ''}`.trim() })
      : r.cellCode
        ? `${r.cellName ?? ''} ${r.cellCode}`
        : t('popupGapGeneric')
  return h(
    'article',
    { class: 'flag-detail', 'data-testid': 'flag-detail', 'data-flag': f.id, 'data-state': f.state },
    back,
    h('h3', { class: 'flag-title' }, `#${f.id} ${categoryLabel(f)} `, stateBadge(f.state), ...urgencyBadges(f)),
    escalation,
    f.description ? h('p', { class: 'description' }, f.description) : null,
    h(
      'dl',
      { class: 'facts' },
      dl(t('flagWhere'), h('button', { type: 'button', class: 'link', onclick: () => d.showOnMap(f) }, where)),
      dl(t('flagDispatchedTo'), [
        r.accountableCellCode ? `${r.accountableCellName ?? ''} ${r.accountableCellCode}` : '—',
        ' · ',
        tKey(`rule_${r.rule ?? 'nobody'}`, r.rule ?? ''),
      ]),
      r.townshipCode ? dl(t('flagTownship'), `${r.townshipName ?? ''} ${r.townshipCode}`) : [],
      dl(
        t('flagReportedBy'),
        `${f.reportedBy?.displayName ?? f.reportedBy?.login ?? '—'} · ${formatDateTime(f.createdAt)}`,
      ),
      f.dispatchedAt
        ? dl(t('flagAckDue'), h('span', { class: f.overdue.ack ? 'late' : '' }, formatDateTime(f.ackDueAt)))
        : [],
      f.dispatchedAt
        ? dl(
            t('flagCompleteDue'),
            h('span', { class: f.overdue.completion ? 'late' : '' }, formatDateTime(f.completeDueAt)),
          )
        : [],
      f.sameAsReports ? dl(t('flagSameAs'), String(f.sameAsReports)) : [],
    ),
    f.assignees.length
      ? [
          h('h3', {}, t('flagAssignees')),
          h(
            'ul',
            { class: 'assignees' },
            f.assignees.map((a) =>
              h(
                'li',
                { 'data-reason': a.reason },
                h('span', { class: 'role' }, tKey(`role_${a.role}`, a.role)),
                ' ',
                h('strong', {}, displayName(a)),
                a.phone
                  ? [' ', h('a', { class: 'tel', href: `tel:${a.phone.replace(/[^\d+]/g, '')}` }, a.phone)]
                  : null,
                h(
                  'span',
                  { class: 'small muted' },
                  ` ${a.cellName} ${a.cellCode} · ${tKey(`assignReason_${a.reason}`, a.reason)}`,
                ),
              ),
            ),
          ),
        ]
      : null,
    f.photos.length
      ? [
          h('h3', {}, t('flagPhotos', { n: f.photos.length })),
          h(
            'div',
            { class: 'photos', 'data-testid': 'flag-photos' },
            f.photos.map((p) =>
              h(
                'a',
                { href: p.url, target: '_blank', rel: 'noopener' },
                h('img', { src: p.url, alt: p.filename ?? `#${p.id}`, loading: 'lazy' }),
              ),
            ),
          ),
        ]
      : null,
    d.actions(f),
    h('h3', {}, t('flagTimeline')),
    h(
      'ol',
      { class: 'timeline', 'data-testid': 'flag-timeline' },
      f.timeline.map((e) =>
        h(
          'li',
          { 'data-action': e.action, class: e.action === 'escalate' ? 'escalate' : '' },
          h(
            'div',
            { class: 'row' },
            h('strong', {}, tKey(`flagEvent_${e.action}`, e.action)),
            h('span', { class: 'small muted' }, ` ${formatDateTime(e.at)} · ${e.actor.login}`),
          ),
          e.fromState !== e.toState && e.toState
            ? h(
                'div',
                { class: 'small' },
                `${e.fromState ? tKey(`flagState_${e.fromState}`, e.fromState) : '—'} → ${tKey(`flagState_${e.toState}`, e.toState)}`,
              )
            : null,
          e.comment ? h('div', { class: 'comment' }, e.comment) : null,
          e.photoIds.length ? h('div', { class: 'small muted' }, t('flagPhotos', { n: e.photoIds.length })) : null,
        ),
      ),
    ),
  )
}
