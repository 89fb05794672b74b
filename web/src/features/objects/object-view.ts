// A supervised object's popup: what it is (type, risk, patrol frequency, review status), its match
// status in the parcel colours, and the chain of people answering for it — or plainly nobody.
import type { ObjectDetail } from '../../api/types.js'
import { formatArea, t, tKey } from '../../i18n/index.js'
import { chainList, effectiveLine, parcelBadge } from '../../panels/popup.js'
import { h } from '../../util/dom.js'

export function objectAccountabilityView(r: ObjectDetail): HTMLElement {
  const p = r.object.properties
  return h(
    'div',
    { class: 'acc', 'data-testid': 'object-popup', 'data-code': p.code },
    h('h3', {}, p.name, ' ', parcelBadge(p.matchStatus)),
    h(
      'div',
      { class: 'small muted' },
      `${p.typeName} · ${p.code} · ${tKey(`objectRisk_${p.riskLevel}`, p.riskLevel)} · `,
      t('objectVisits', { n: p.visitsPerMonth }),
      p.areaM2 ? ` · ${formatArea(p.areaM2)}` : '',
    ),
    h(
      'div',
      { class: 'small', 'data-testid': 'object-review' },
      tKey(`objectReview_${p.status}`, p.status),
      p.returnReason ? `: ${p.returnReason}` : '',
    ),
    r.chain.length === 0
      ? h('div', { class: 'notice', 'data-testid': 'object-nobody' }, t('objectNobody'))
      : r.message
        ? h('div', { class: `notice${p.matchStatus === 'unowned' ? '' : ' info'}` }, r.message)
        : null,
    r.chain.length ? chainList(r.chain) : null,
    effectiveLine(r.effective),
  )
}
