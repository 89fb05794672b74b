// A unit's score explained: each part of the scheme (weight, raw value, score) with the rows it was
// computed from, and the unit's trend over the year (total score and rank per month).
import type { AssessmentDetailRow, AssessmentTrend, UnitAssessment } from '../../api/types.js'
import { displayName, formatArea, lang, t, tKey } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import { formatDateTime } from '../flags/format.js'
import { formatNumber } from '../ledgers/format.js'
import { lazyChart } from './lazy-chart.js'

const yes = (b: boolean) => (b ? '✓' : '✗')

/** One row a part was computed from, as a line of text (kind by kind). */
export function detailText(r: AssessmentDetailRow): string {
  switch (r.row) {
    case 'ledger_entry':
      return t('drillEntry', {
        measure: `${r.measure} ${r.measureTitle}`,
        due: formatDateTime(r.dueAt),
        submitted: formatDateTime(r.submittedAt),
        state: tKey(`ledgerState_${r.state}`, r.state),
        onTime: yes(r.onTime),
      })
    case 'flag':
      return t('drillFlag', {
        id: r.flagId,
        due: formatDateTime(r.completeDueAt),
        completed: formatDateTime(r.completedAt),
      })
    case 'gap':
      return t('drillGap', { id: r.id, area: formatArea(r.areaM2), parent: r.parentCode })
    case 'area':
      return t('drillArea', { gap: formatArea(r.gapAreaM2), cell: formatArea(r.cellAreaM2) })
    case 'shortfall':
      return t('drillShortfall', {
        cell: r.cellCode,
        from: r.from,
        to: r.to,
        days: r.days,
        kind: tKey(`staffing_${r.kind}`, r.kind),
      })
    case 'cell_days':
      return t('drillCellDays', { cells: r.cells, days: r.daysInMonth })
    case 'patrol_cell':
      return t('drillPatrolCell', {
        cell: r.cellCode,
        made: r.visitsMade,
        required: r.requiredVisits,
        objects: r.objects,
      })
    case 'finding':
      return t('drillFinding', {
        id: r.findingId,
        campaign: r.campaign,
        severity: tKey(`severity_${r.severity}`, r.severity),
        weight: r.weight,
        due: formatDateTime(r.completeDueAt),
        completed: formatDateTime(r.completedAt),
      })
    case 'figure':
      return t('drillFigure', {
        indicator: r.indicator,
        value: formatNumber(r.value),
        target: formatNumber(r.target),
        source: r.source || '—',
      })
  }
}

export function drillDown(u: UnitAssessment): HTMLElement {
  return h(
    'div',
    { class: 'drill-down', 'data-testid': 'drill-down', 'data-unit': u.unit.code },
    h(
      'div',
      { class: 'figures' },
      h(
        'div',
        { class: 'figure' },
        h('div', { class: 'value', 'data-testid': 'unit-score' }, formatNumber(u.score)),
        h('div', { class: 'label' }, t('assessScore')),
      ),
      h(
        'div',
        { class: 'figure' },
        h('div', { class: 'value', 'data-testid': 'unit-rank' }, u.rank === null ? '—' : String(u.rank)),
        h('div', { class: 'label' }, t('assessRank')),
      ),
    ),
    h(
      'ul',
      { class: 'parts' },
      u.parts.map((p) =>
        h(
          'li',
          { 'data-part': p.indicator, 'data-score': p.score ?? '' },
          h(
            'details',
            {},
            h(
              'summary',
              {},
              h('span', { class: 'part-name' }, lang() === 'en' ? p.nameEn : p.name),
              h(
                'span',
                { class: 'small muted' },
                p.score === null
                  ? ` ${t('assessNotApplicable')}`
                  : ` ${t('assessPartLine', { score: formatNumber(p.score), weight: formatNumber(p.weight), raw: formatNumber(p.rawValue, 4) })}`,
              ),
            ),
            p.details.length
              ? h(
                  'ul',
                  { class: 'detail-rows small' },
                  p.details.map((r) => h('li', { 'data-row': r.row }, detailText(r))),
                )
              : h('p', { class: 'small muted' }, t('assessNoRows')),
          ),
        ),
      ),
    ),
  )
}

export function trendView(tr: AssessmentTrend): HTMLElement {
  const months = tr.months.map((m) => m.month.slice(5))
  return h(
    'div',
    { class: 'trend' },
    h('h4', {}, t('assessTrend', { unit: displayName(tr.unit), year: tr.year })),
    lazyChart((charts) =>
      charts.trendLineChart(t('assessTrend', { unit: displayName(tr.unit), year: tr.year }), months, [
        { label: t('assessScore'), values: tr.months.map((m) => m.score) },
      ]),
    ),
    h(
      'p',
      { class: 'small muted' },
      tr.months
        .filter((m) => m.rank !== null)
        .map((m) => t('assessTrendRank', { month: m.month, rank: m.rank!, n: m.groupSize }))
        .join(' · '),
    ),
  )
}
