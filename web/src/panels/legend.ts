// The legend explains every colour on the map, and each group's checkbox shows or hides its layers.
import { t, type MessageKey } from '../i18n/index.js'
import { LAYER_GROUP_NAMES, type LayerGroup } from '../map/layers/index.js'
import { PARCEL_MIN_ZOOM } from '../map/layers/parcels.js'
import type { ParcelLoadStatus } from '../map/parcel-loader.js'
import { FLAG_STATES, PARCEL_STATUSES, STAFFING_STATUSES, theme } from '../map/theme.js'
import { h, clear } from '../util/dom.js'
import { errorMessage } from './errors.js'

type Swatch =
  | { kind: 'fill'; color: string; opacity?: number }
  | { kind: 'line'; color: string; width: number; dash?: boolean }
  | { kind: 'hatch'; color: string }
  | { kind: 'dot'; color: string; ring?: string }

function swatch(s: Swatch): HTMLElement {
  if (s.kind === 'dot') {
    return h('span', {
      class: 'swatch dot',
      style: `background: ${s.color}; border: 2px solid ${s.ring ?? '#ffffff'}; box-shadow: 0 0 0 1px rgba(0,0,0,.3)`,
    })
  }
  if (s.kind === 'line') {
    return h('span', {
      class: 'swatch line',
      style: `border-top: ${s.width}px ${s.dash ? 'dashed' : 'solid'} ${s.color}`,
    })
  }
  if (s.kind === 'hatch') {
    return h('span', {
      class: 'swatch hatch',
      style: `background-color: ${s.color}2e; background-image: repeating-linear-gradient(135deg, ${s.color} 0 2px, transparent 2px 5px); border-color: ${s.color}`,
    })
  }
  return h('span', { class: 'swatch', style: `background: ${s.color}; opacity: ${s.opacity ?? 1}` })
}

interface GroupSpec {
  label: () => string
  items: { swatch: Swatch; label: () => string }[]
}

const GROUPS: Record<LayerGroup, GroupSpec> = {
  staffing: {
    label: () => t('layer_staffing'),
    items: STAFFING_STATUSES.map((s) => ({
      swatch: { kind: 'fill', color: theme.staffing[s], opacity: 0.8 },
      label: () => t(`staffing_${s}` as MessageKey),
    })),
  },
  gaps: {
    label: () => t('layer_gaps'),
    items: [{ swatch: { kind: 'hatch', color: theme.gap.hatch }, label: () => t('layer_gaps') }],
  },
  overlaps: {
    label: () => t('layer_overlaps'),
    items: [{ swatch: { kind: 'fill', color: theme.overlap.fill, opacity: 0.75 }, label: () => t('layer_overlaps') }],
  },
  townships: {
    label: () => t('layer_townships'),
    items: [{ swatch: { kind: 'line', color: theme.township.line, width: 3 }, label: () => t('layer_townships') }],
  },
  villages: {
    label: () => t('layer_villages'),
    items: [{ swatch: { kind: 'line', color: theme.village.line, width: 1 }, label: () => t('layer_villages') }],
  },
  parcels: {
    label: () => t('layer_parcels', { zoom: PARCEL_MIN_ZOOM }),
    items: PARCEL_STATUSES.map((s) => ({
      swatch: { kind: 'fill', color: theme.parcel[s], opacity: 0.7 },
      label: () => t(`parcel_${s}` as MessageKey),
    })),
  },
  labels: { label: () => t('layer_labels'), items: [] },
  context: {
    label: () => t('layer_context'),
    items: [
      { swatch: { kind: 'line', color: theme.context.line, width: 1, dash: true }, label: () => t('layer_context') },
    ],
  },
  basemap: { label: () => t('layer_basemap'), items: [] },
  objects: {
    label: () => t('layer_objects'),
    items: PARCEL_STATUSES.map((s) => ({
      swatch: { kind: 'dot', color: theme.parcel[s], ring: theme.object.ring } as Swatch,
      label: () => t(`objectMatch_${s}` as MessageKey),
    })),
  },
  flags: {
    label: () => t('layer_flags'),
    items: [
      ...FLAG_STATES.map((s) => ({
        swatch: { kind: 'dot', color: theme.flag[s] } as Swatch,
        label: () => t(`flagState_${s}` as MessageKey),
      })),
      {
        swatch: { kind: 'dot', color: theme.flag.dispatched, ring: theme.flag.escalated },
        label: () => t('legendFlagOverdue'),
      },
      {
        swatch: { kind: 'dot', color: `${theme.flag.escalated}40`, ring: theme.flag.escalated },
        label: () => t('legendFlagEscalated'),
      },
    ],
  },
}

/** The order the legend lists groups in (the most telling first). */
const LEGEND_ORDER: LayerGroup[] = [
  'flags',
  'objects',
  'staffing',
  'gaps',
  'overlaps',
  'parcels',
  'townships',
  'villages',
  'labels',
  'context',
  'basemap',
]

export class Legend {
  readonly el: HTMLElement
  private body = h('div', { class: 'legend-body', id: 'legend-body' })
  private toggle = h('button', { class: 'icon-button', type: 'button', 'aria-controls': 'legend-body' })
  private title = h('h2')
  private visible = new Map<LayerGroup, boolean>(LAYER_GROUP_NAMES.map((g) => [g, true]))
  private parcelStatus: ParcelLoadStatus = { state: 'zoomed-out', minZoom: PARCEL_MIN_ZOOM }
  private statusEl = h('div', { class: 'legend-status', 'data-testid': 'parcel-status' })

  constructor(
    private readonly o: {
      basemap: boolean
      flags?: boolean
      /** the supervision inventory: signed-in users only */
      objects?: boolean
      collapsed: boolean
      onToggle: (group: LayerGroup, visible: boolean) => void
      onCollapse?: (collapsed: boolean) => void
    },
  ) {
    this.el = h(
      'section',
      { class: `legend${o.collapsed ? ' collapsed' : ''}`, 'data-testid': 'legend' },
      h('div', { class: 'legend-header' }, this.title, this.toggle),
      this.body,
    )
    this.toggle.addEventListener('click', () => this.setCollapsed(!this.el.classList.contains('collapsed')))
    this.render()
  }

  setCollapsed(collapsed: boolean) {
    this.el.classList.toggle('collapsed', collapsed)
    this.o.onCollapse?.(collapsed)
    this.render()
  }

  isVisible(group: LayerGroup) {
    return this.visible.get(group) ?? true
  }

  setParcelStatus(s: ParcelLoadStatus) {
    this.parcelStatus = s
    this.renderStatus()
  }

  private renderStatus() {
    const s = this.parcelStatus
    this.statusEl.textContent =
      s.state === 'zoomed-out'
        ? t('parcelsZoomIn', { zoom: s.minZoom })
        : s.state === 'loading'
          ? t('parcelsLoading')
          : s.state === 'loaded'
            ? s.total > s.shown
              ? t('parcelsTruncated', { shown: s.shown, total: s.total })
              : t('parcelsShown', { shown: s.shown })
            : errorMessage(s.error).message
  }

  render() {
    const collapsed = this.el.classList.contains('collapsed')
    this.title.textContent = t('legendTitle')
    this.toggle.textContent = collapsed ? '▴' : '▾'
    this.toggle.setAttribute('aria-expanded', String(!collapsed))
    this.toggle.setAttribute('aria-label', t('legendTitle'))
    clear(
      this.body,
      LEGEND_ORDER.filter(
        (g) =>
          (g !== 'basemap' || this.o.basemap) && (g !== 'flags' || this.o.flags) && (g !== 'objects' || this.o.objects),
      ).map((group) => {
        const spec = GROUPS[group]
        const box = h('input', { type: 'checkbox', 'data-group': group })
        box.checked = this.isVisible(group)
        box.addEventListener('change', () => {
          this.visible.set(group, box.checked)
          this.o.onToggle(group, box.checked)
        })
        const showItems = spec.items.length > 1 || (spec.items.length === 1 && spec.items[0]!.label() !== spec.label())
        return h(
          'div',
          { class: 'legend-group' },
          h(
            'label',
            {},
            box,
            spec.items.length === 1 && !showItems ? swatch(spec.items[0]!.swatch) : null,
            spec.label(),
          ),
          showItems
            ? h(
                'ul',
                { class: `legend-items${spec.items.length > 6 ? ' two-col' : ''}` },
                spec.items.map((i) => h('li', {}, swatch(i.swatch), i.label())),
              )
            : null,
          group === 'parcels' ? this.statusEl : null,
        )
      }),
    )
    this.renderStatus()
  }
}
