// The month's ranking per peer group: a table (rank, unit, score, change since last month with an
// arrow, last month's rank), the red and black lists, and a bar chart of the scores.
import type { AssessmentRow, MonthAssessment } from '../../api/types.js'
import { displayName, t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import { formatNumber } from '../ledgers/format.js'
import { lazyChart } from './lazy-chart.js'

export type Group = 'township' | 'department'
export const GROUPS: Group[] = ['township', 'department']

/** ▲ up, ▼ down, = unchanged, nothing when there is no previous month to compare with. */
export function changeArrow(change: number | null): { arrow: string; tone: 'up' | 'down' | 'same' | 'none' } {
  if (change === null) return { arrow: '', tone: 'none' }
  if (change > 0) return { arrow: '▲', tone: 'up' }
  if (change < 0) return { arrow: '▼', tone: 'down' }
  return { arrow: '=', tone: 'same' }
}

function changeCell(r: AssessmentRow): HTMLElement {
  const { arrow, tone } = changeArrow(r.change)
  const label = r.change === null ? t('assessNoPrevious') : `${r.change > 0 ? '+' : ''}${formatNumber(r.change)}`
  return h(
    'td',
    { class: `num change-${tone}`, 'data-change': r.change === null ? '' : String(r.change) },
    arrow ? h('span', { 'aria-hidden': 'true' }, `${arrow} `) : null,
    label,
  )
}

export function rankingTable(group: Group, rows: AssessmentRow[], open: (code: string) => void): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'loop-table ranking-table', 'data-testid': `ranking-${group}` },
      h('caption', { class: 'visually-hidden' }, t(`assessGroup_${group}`)),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['assessRank', 'assessUnit', 'assessScore', 'assessChange', 'assessPreviousRank'].map((k) =>
            h('th', { scope: 'col' }, t(k as 'assessRank')),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            { 'data-unit': r.unit.code, 'data-rank': r.rank ?? '', 'data-score': r.score ?? '' },
            h('td', { class: 'num' }, r.rank === null ? '—' : String(r.rank)),
            h(
              'th',
              { scope: 'row' },
              h(
                'button',
                { type: 'button', class: 'link', 'data-open-unit': r.unit.code, onclick: () => open(r.unit.code) },
                displayName(r.unit),
              ),
            ),
            h('td', { class: 'num' }, formatNumber(r.score)),
            changeCell(r),
            h('td', { class: 'num' }, r.previousRank === null ? '—' : String(r.previousRank)),
          ),
        ),
      ),
    ),
  )
}

function listBlock(kind: 'red' | 'black', items: MonthAssessment['redList']['township'], open: (code: string) => void) {
  return h(
    'div',
    { class: `list-block ${kind}-list`, 'data-testid': `${kind}-list` },
    h('h4', {}, t(kind === 'red' ? 'assessRedList' : 'assessBlackList')),
    items.length
      ? h(
          'ol',
          {},
          items.map((i) =>
            h(
              'li',
              // numbered by rank: ties share one (1, 2, 2, 2)
              { 'data-unit': i.unit.code, value: i.rank },
              h('button', { type: 'button', class: 'link', onclick: () => open(i.unit.code) }, displayName(i.unit)),
              ` ${formatNumber(i.score)}`,
            ),
          ),
        )
      : h('p', { class: 'small muted' }, '—'),
  )
}

export function groupSection(m: MonthAssessment, group: Group, open: (code: string) => void): HTMLElement {
  const rows = m.groups[group]
  return h(
    'section',
    { class: 'group', 'data-group': group },
    h('h3', {}, t(`assessGroup_${group}`)),
    rows.length ? rankingTable(group, rows, open) : h('p', { class: 'muted' }, t('assessNoUnits')),
    h(
      'div',
      { class: 'lists' },
      listBlock('red', m.redList[group], open),
      listBlock('black', m.blackList[group], open),
    ),
    rows.some((r) => r.score !== null)
      ? lazyChart((charts) =>
          charts.scoreBarChart(
            t('assessChartScores', { group: t(`assessGroup_${group}`) }),
            rows.map((r) => ({ name: displayName(r.unit), score: r.score })),
            group,
          ),
        )
      : null,
  )
}
