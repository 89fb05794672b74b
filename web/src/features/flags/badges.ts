// The small labels a flag carries wherever it is shown: its state, its category, and whether it is
// unowned, escalated or overdue.
import type { Flag } from '../../api/types.js'
import { lang, t, tKey } from '../../i18n/index.js'
import { theme } from '../../map/theme.js'
import { h } from '../../util/dom.js'
import { urgency } from './format.js'

export const stateColor = (s: string) => (theme.flag as Record<string, string>)[s] ?? theme.flag.rejected

export function stateBadge(state: string): HTMLElement {
  const dark = state !== 'feedback'
  return h(
    'span',
    {
      class: 'badge state',
      'data-state': state,
      style: `background:${stateColor(state)};color:${dark ? '#fff' : '#1f1f1f'}`,
    },
    tKey(`flagState_${state}`, state),
  )
}

export function categoryLabel(f: Pick<Flag, 'categoryName' | 'category'>): string {
  return lang() === 'en' ? f.categoryName.en : f.categoryName.zh
}

export function urgencyBadges(f: Flag): (HTMLElement | null)[] {
  const u = urgency(f)
  return [
    f.unowned ? h('span', { class: 'badge unowned', 'data-testid': 'badge-unowned' }, t('flagUnowned')) : null,
    u === 'escalated'
      ? h(
          'span',
          { class: 'badge escalated', 'data-testid': 'badge-escalated' },
          t('flagEscalatedBadge', { n: f.escalationLevel }),
        )
      : null,
    f.overdue.any ? h('span', { class: 'badge overdue', 'data-testid': 'badge-overdue' }, t('flagOverdue')) : null,
  ]
}
