// The duty-continuity timeline of a cell: a compact bar per role over the year (who was on duty),
// a bar of the shortfall periods (red: nobody on duty; amber: understaffed), and the periods in words.
// Loaded only when opened, so the popup costs nothing extra until someone asks.
import type { DutyTimeline, ShortfallPeriod } from '../../../../server/src/contract/continuity.js'
import type { ApiClient } from '../../api/client.js'
import { h } from '../../util/dom.js'
import { layoutTimeline, type Segment } from './layout.js'
import { s } from './strings.js'
import './continuity.css'

function bar(kind: string, label: string, segments: (Segment & { kind?: string })[], known: number): HTMLElement {
  return h(
    'div',
    { class: 'ct-row', 'data-row': kind },
    h('span', { class: 'ct-label' }, label),
    h(
      'div',
      { class: 'ct-track' },
      h('div', { class: 'ct-unknown', style: `left: ${known}%` }),
      segments.map((x) =>
        h('div', {
          class: `ct-seg ${x.kind ?? 'duty'}`,
          style: `left: ${x.left}%; width: ${x.width}%`,
          title: `${x.from} – ${x.to}`,
        }),
      ),
    ),
  )
}

function periodLine(p: ShortfallPeriod): HTMLElement {
  const what = [
    p.missing.chiefs ? s('missingChiefs', { n: p.missing.chiefs }) : null,
    p.missing.members ? s('missingMembers', { n: p.missing.members }) : null,
    p.extraChiefs ? s('extraChiefs', { n: p.extraChiefs }) : null,
  ].filter(Boolean)
  return h(
    'li',
    { 'data-testid': 'shortfall-period', 'data-from': p.from, 'data-to': p.to, 'data-kind': p.kind },
    h('span', { class: `ct-dot ${p.kind}` }),
    h('strong', {}, s(p.kind)),
    ' ',
    s('period', { from: p.from, to: p.to, days: p.days }),
    p.open ? ` (${s('stillOpen')})` : '',
    what.length ? h('div', { class: 'small muted' }, what.join('；')) : null,
  )
}

export function timelineView(tl: DutyTimeline): HTMLElement {
  const l = layoutTimeline(tl)
  const months = Array.from({ length: 12 }, (_, i) => h('span', {}, String(i + 1)))
  return h(
    'div',
    { class: 'ct', 'data-testid': 'duty-timeline', 'data-cell': tl.cell.code },
    l.roles.map((r) => bar(r.role, s(`role_${r.role}`), r.segments, l.known)),
    bar('shortfall', s('shortfalls'), l.shortfalls, l.known),
    h(
      'div',
      { class: 'ct-row' },
      h('span', { class: 'ct-label small muted' }, s('axis', { year: l.year })),
      h('div', { class: 'ct-months' }, months),
    ),
    h('div', { class: 'small muted' }, s('rule', tl.rule)),
    tl.shortfalls.length
      ? h('ul', { class: 'ct-periods' }, tl.shortfalls.map(periodLine))
      : h('div', { class: 'small muted', 'data-testid': 'no-shortfall' }, s('none', { from: tl.from })),
  )
}

/** A collapsed "duty continuity" section for a cell; the timeline is fetched when it is first opened. */
export function continuityDetails(api: ApiClient, code: string): HTMLElement {
  const body = h('div', {}, h('div', { class: 'small muted' }, s('loading')))
  const details = h(
    'details',
    { class: 'continuity', 'data-testid': 'continuity', 'data-cell': code },
    h('summary', {}, s('title')),
    body,
  )
  let loaded = false
  details.addEventListener('toggle', () => {
    if (!details.open || loaded) return
    loaded = true
    api
      .get<DutyTimeline>(`/api/cells/${encodeURIComponent(code)}/duty-timeline`)
      .then((tl) => {
        body.replaceChildren(timelineView(tl))
        // where the popup scrolls inside itself (a phone), bring the timeline into its view
        const box = details.closest('.maplibregl-popup-content')
        if (box && box.scrollHeight > box.clientHeight) box.scrollTop = details.offsetTop - 8
      })
      .catch((e: unknown) => {
        loaded = false
        body.replaceChildren(h('div', { class: 'notice' }, e instanceof Error ? e.message : String(e)))
      })
  })
  return details
}
