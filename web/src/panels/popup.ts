// What the click popup says: the chain of responsibility at a point (cell at each level, its
// people with role and phone), the parcel there with its match status, and plainly when no village
// cell covers the point.
import type {
  ChainLevel,
  DutyPerson,
  Effective,
  ParcelAccountability,
  ParcelStatus,
  PointAccountability,
} from '../api/types.js'
import { displayName, formatArea, t, tKey } from '../i18n/index.js'
import { LEVEL } from '../map/sources.js'
import { theme } from '../map/theme.js'
import { h } from '../util/dom.js'

const levelName = (level: number) => tKey(`level_${level}`, t('levelN', { level }), { level })
const roleName = (role: string) => tKey(`role_${role}`, role)
const landUseName = (use: string) => tKey(`landUse_${use}`, use)

export function staffingBadge(staffing: string, expiring = false): HTMLElement {
  const key = expiring && staffing !== 'vacant' ? 'expiring' : staffing
  const color = (theme.staffing as Record<string, string>)[key] ?? '#ddd'
  return h('span', { class: 'badge', style: `background: ${color}` }, tKey(`staffing_${key}`, staffing))
}

export function parcelBadge(status: ParcelStatus | null): HTMLElement | null {
  if (!status) return null
  return h(
    'span',
    { class: 'badge', style: `background: ${theme.parcel[status]}; color: #fff` },
    t(`parcelStatusShort_${status}`),
  )
}

function personLine(p: DutyPerson): HTMLElement {
  return h(
    'li',
    {},
    h('span', { class: 'role' }, roleName(p.role)),
    h('span', { class: 'name' }, displayName(p)),
    p.phone ? h('a', { class: 'tel', href: `tel:${p.phone.replace(/[^\d+]/g, '')}` }, p.phone) : null,
    p.endsOn ? h('span', { class: 'small muted' }, t('ends', { date: p.endsOn })) : null,
  )
}

/**
 * `edit`: admins get a button per cell that opens the boundary tools on it. `continuity`: the finest
 * cell gets its duty-continuity timeline (features/continuity).
 */
export function chainList(
  chain: ChainLevel[],
  edit?: (code: string) => void,
  continuity?: (code: string) => HTMLElement,
): HTMLElement {
  // top level first: county → township → village reads like an address
  return h(
    'ol',
    { class: 'chain' },
    [...chain].reverse().map((l) =>
      h(
        'li',
        { class: 'level', 'data-level': l.level, 'data-code': l.cell.code },
        h(
          'div',
          {},
          h('span', { class: 'small muted' }, `${levelName(l.level)} `),
          h('span', { class: 'cellname' }, displayName(l.cell)),
          h('span', { class: 'code' }, l.cell.code),
          ' ',
          staffingBadge(l.cell.staffing),
          edit && l.level > 1
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'link edit-link',
                  'data-edit': l.cell.code,
                  onclick: () => edit(l.cell.code),
                },
                t('popupEdit'),
              )
            : null,
        ),
        l.people.length
          ? h('ul', { class: 'people' }, l.people.map(personLine))
          : h('div', { class: 'small muted' }, t('popupNoPeople')),
        continuity && l === chain[0] ? continuity(l.cell.code) : null,
      ),
    ),
  )
}

export function effectiveLine(e: Effective | null): HTMLElement | null {
  if (!e) return null
  const cell = e.cellCode ? `${e.cellName ?? ''} ${e.cellCode}`.trim() : '—'
  return h(
    'div',
    { class: 'effective', 'data-rule': e.rule },
    t('popupEffective', { cell }),
    ' · ',
    tKey(`rule_${e.rule}`, e.rule),
  )
}

export function pointAccountabilityView(
  r: PointAccountability,
  o: { edit?: (code: string) => void; continuity?: (code: string) => HTMLElement } = {},
): HTMLElement {
  const finest = r.chain[0]
  let notice: HTMLElement | null = null
  if (r.missingLevel !== null && finest) {
    const parent = `${displayName(finest.cell)} (${finest.cell.code})`
    notice = h(
      'div',
      { class: 'notice', 'data-testid': 'gap-notice' },
      r.missingLevel === LEVEL.village ? t('popupGap', { parent }) : `${t('popupGapGeneric')} ${r.message ?? ''}`,
    )
  } else if (!r.covered) {
    notice = h(
      'div',
      { class: 'notice', 'data-testid': 'gap-notice' },
      r.missingLevel ? t('popupGapGeneric') : t('popupOutside'),
    )
  } else if (finest) {
    const same = r.involvedCells.filter((c) => c.level === finest.level && !c.onBoundary)
    if (same.length > 1)
      notice = h(
        'div',
        { class: 'notice info', 'data-testid': 'overlap-notice' },
        t('popupOverlap', { n: same.length, codes: same.map((c) => c.code).join(', ') }),
      )
  }
  const sliver = r.sliverGap
  if (sliver) {
    notice = h(
      'div',
      { class: 'notice info', 'data-testid': 'sliver-notice' },
      t('popupSliverGap', {
        area: formatArea(sliver.areaM2),
        parent: sliver.parentCode,
        tolerance: formatArea(sliver.toleranceM2),
        code: sliver.cellCode,
      }),
    )
  }
  const outside =
    r.outsideRegion && r.region && finest
      ? h(
          'div',
          { class: 'notice', 'data-testid': 'outside-region-notice' },
          t('popupOutsideRegion', { region: `${r.region.name} (${r.region.code})`, code: finest.cell.code }),
        )
      : null
  const parcel = r.parcel
  return h(
    'div',
    {
      class: 'acc',
      'data-testid': 'accountability',
      'data-covered': String(r.covered),
      'data-outside-region': String(r.outsideRegion ?? false),
    },
    h('h3', {}, t('popupTitle')),
    outside,
    notice,
    r.chain.length ? chainList(r.chain, o.edit, o.continuity) : null,
    effectiveLine(r.effective),
    h(
      'div',
      { class: 'parcel', 'data-testid': 'popup-parcel' },
      parcel
        ? [
            h('strong', {}, t('popupParcel', { id: parcel.externalId })),
            ' ',
            parcelBadge(parcel.status),
            h('div', { class: 'small muted' }, t('popupLandUse', { use: landUseName(parcel.landUse) })),
          ]
        : h('span', { class: 'small muted' }, t('popupNoParcel')),
    ),
  )
}

export function parcelAccountabilityView(r: ParcelAccountability): HTMLElement {
  const p = r.parcel
  return h(
    'div',
    { class: 'acc', 'data-testid': 'accountability' },
    h('h3', {}, t('popupParcel', { id: p.externalId }), ' ', parcelBadge(p.status)),
    h(
      'div',
      { class: 'small muted' },
      t('popupLandUse', { use: landUseName(p.landUse) }),
      p.areaM2 ? ` · ${formatArea(p.areaM2)}` : '',
    ),
    r.message ? h('div', { class: `notice${p.status === 'unowned' ? '' : ' info'}` }, r.message) : null,
    r.chain.length ? chainList(r.chain) : null,
    effectiveLine(r.effective),
  )
}

export function loadingView(): HTMLElement {
  return h('div', { class: 'acc' }, h('h3', {}, t('popupTitle')), h('div', { class: 'muted' }, t('popupLoading')))
}
