// The flag lists: a supervisor's inbox (counts by state, chips to filter), the county officers' and
// inspectors' list with its filters (the "open" choice is the server's openStates), and the rows.
import type { FlagCategory, FlagFilters, FlagInbox, FlagList, FlagState, UserRole } from '../../api/types.js'
import { lang, t, tKey } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import { inlineError } from '../../panels/errors.js'
import { categoryLabel, stateBadge, stateColor, urgencyBadges } from './badges.js'
import { exportLinks } from './export-links.js'
import { formatDateTime } from './format.js'
import { isOpenFilter, type FlagRules } from './rules.js'

export interface ListViewState {
  role: UserRole | null
  rules: FlagRules
  filters: FlagFilters
  list: FlagList | FlagInbox | null
  listError: unknown
  categories: FlagCategory[]
  /** the townships to filter by (read when the list header is drawn) */
  townships(): { code: string; name: string }[]
  setFilter(patch: Partial<FlagFilters>): void
  reload(): void
  open(id: number): void
}

const ALL_STATES = ['reported', 'registered', 'dispatched', 'in_progress', 'feedback', 'closed', 'rejected'] as const
const INBOX_STATES = ['dispatched', 'in_progress', 'feedback', 'closed'] as const

function checkbox(checked: boolean, onChange: (v: boolean) => void, testid: string) {
  const box = h('input', { type: 'checkbox', 'data-testid': testid })
  box.checked = checked
  box.addEventListener('change', () => onChange(box.checked))
  return box
}

export function inboxHeader(s: ListViewState): HTMLElement {
  const inbox = s.list && 'counts' in s.list ? s.list : null
  const chip = (state: FlagState | 'open', label: string, n: number | null) => {
    const active = state === 'open' ? !s.filters.state : s.filters.state?.length === 1 && s.filters.state[0] === state
    return h(
      'button',
      {
        type: 'button',
        class: 'chip',
        'aria-pressed': String(active),
        'data-state': state,
        onclick: () => s.setFilter({ state: state === 'open' ? undefined : [state] }),
      },
      state === 'open' ? null : h('span', { class: 'dot', style: `background:${stateColor(state)}` }),
      `${label}${n === null ? '' : ` ${n}`}`,
    )
  }
  return h(
    'div',
    { class: 'flag-filters', 'data-testid': 'inbox-counts' },
    h('p', { class: 'small muted' }, t('inboxIntro')),
    h(
      'div',
      { class: 'chips' },
      chip('open', t('inboxOpen'), null),
      INBOX_STATES.map((st) => chip(st, tKey(`flagState_${st}`, st), inbox?.counts[st] ?? null)),
    ),
    h(
      'label',
      { class: 'small' },
      checkbox(Boolean(s.filters.overdue), (v) => s.setFilter({ overdue: v || undefined }), 'filter-overdue'),
      ' ',
      t('filterOverdue'),
      inbox ? h('span', { class: 'badge overdue', 'data-testid': 'inbox-overdue' }, String(inbox.overdue)) : null,
    ),
  )
}

export function listHeader(s: ListViewState): HTMLElement {
  const f = s.filters
  const stateValue = !f.state ? '' : isOpenFilter(s.rules, f.state) ? 'open' : f.state[0]!
  const states = h(
    'select',
    { 'data-testid': 'filter-state' },
    h('option', { value: '' }, t('filterAllStates')),
    h('option', { value: 'open', selected: stateValue === 'open' }, t('inboxOpen')),
    ALL_STATES.map((st) => h('option', { value: st, selected: stateValue === st }, tKey(`flagState_${st}`, st))),
  )
  states.addEventListener('change', () =>
    s.setFilter({
      state:
        states.value === ''
          ? undefined
          : states.value === 'open'
            ? [...s.rules.openStates]
            : [states.value as FlagState],
    }),
  )
  const categories = h(
    'select',
    { 'data-testid': 'filter-category' },
    h('option', { value: '' }, t('filterAllCategories')),
    s.categories.map((c) =>
      h('option', { value: c.code, selected: f.category === c.code }, lang() === 'en' ? c.name.en : c.name.zh),
    ),
  )
  categories.addEventListener('change', () => s.setFilter({ category: categories.value || undefined }))
  const townships = h(
    'select',
    { 'data-testid': 'filter-township' },
    h('option', { value: '' }, t('filterAllTownships')),
    s
      .townships()
      .map((tw) => h('option', { value: tw.code, selected: f.township === tw.code }, `${tw.name} ${tw.code}`)),
  )
  townships.addEventListener('change', () => s.setFilter({ township: townships.value || undefined }))
  const officer = s.role === 'admin' || s.role === 'viewer' || s.role === 'unit_officer'
  return h(
    'div',
    { class: 'flag-filters', 'data-testid': 'flag-filters' },
    h('div', { class: 'filter-grid' }, states, categories, townships),
    h(
      'div',
      { class: 'filter-row' },
      h(
        'label',
        { class: 'small' },
        checkbox(Boolean(f.overdue), (v) => s.setFilter({ overdue: v || undefined }), 'filter-overdue'),
        ' ',
        t('filterOverdue'),
      ),
      s.role === 'inspector'
        ? h(
            'label',
            { class: 'small' },
            checkbox(Boolean(f.mine), (v) => s.setFilter({ mine: v || undefined }), 'filter-mine'),
            ' ',
            t('filterMine'),
          )
        : null,
      officer ? exportLinks(f) : null,
    ),
  )
}

export function listView(s: ListViewState): HTMLElement {
  if (s.listError) return inlineError(s.listError, () => s.reload())
  const l = s.list
  if (!l) return h('p', { class: 'muted' }, t('loading'))
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'small muted', 'data-testid': 'flag-total' },
      t('flagTotal', { n: l.total, shown: l.flags.length }),
    ),
    l.flags.length
      ? h(
          'ul',
          { class: 'item-list flag-list', 'data-testid': 'flag-list' },
          l.flags.map((f) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', 'data-flag': f.id, onclick: () => s.open(f.id) },
                h('span', { class: 'dot', style: `background:${stateColor(f.state)}` }),
                h(
                  'span',
                  { class: 'flag-line' },
                  h('span', {}, `#${f.id} ${categoryLabel(f)}`),
                  h(
                    'span',
                    { class: 'small muted' },
                    `${f.routing.accountableCellName ?? f.routing.cellName ?? '—'} · ${formatDateTime(f.createdAt)}`,
                  ),
                ),
                h('span', { class: 'meta' }, stateBadge(f.state), ...urgencyBadges(f)),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('flagNone')),
  )
}
