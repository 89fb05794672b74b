// The bell in the top bar: the unread count as a badge (GET /api/notifications/summary, asked again every
// minute and after every change), and a panel listing my notifications. Clicking one marks it read and
// opens its subject where the app can (a flag in the flags panel, a ledger entry in the ledger panel).
import { ApiError, type ApiClient } from '../../api/client.js'
import type {
  MarkReadBody,
  MarkReadResult,
  Notification,
  NotificationList,
  NotificationSummary,
} from '../../api/types.js'
import { t } from '../../i18n/index.js'
import { clear, h, svg } from '../../util/dom.js'
import { formatDue, notificationTitle, type FormatContext } from './format.js'

export interface BellHost extends FormatContext {
  api: ApiClient
  openFlag: (id: number) => void
  openLedgerEntry: (id: number) => void
  toast: (e: unknown) => void
}

const REFRESH_MS = 60_000

/** A bell drawn in SVG (an emoji depends on the fonts of the device). */
const bellIcon = () =>
  svg(
    'svg',
    { viewBox: '0 0 24 24', width: 16, height: 16, 'aria-hidden': 'true', class: 'bell-icon' },
    svg('path', {
      d: 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6v-5a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z',
      fill: 'currentColor',
    }),
  )

export class NotificationBell {
  /** the button and its panel, kept across the top bar's re-renders */
  readonly el = h('div', { class: 'bell' })
  private unread = 0
  private list: NotificationList | null = null
  private open = false
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(private readonly host: BellHost) {}

  /** Starts asking for the count; returns the element for the top bar. */
  start(): HTMLElement {
    void this.refresh()
    this.timer ??= setInterval(() => void this.refresh(), REFRESH_MS)
    this.render()
    return this.el
  }

  stop() {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  async refresh() {
    // without a connection the last count stays (the connection banner says why nothing is new)
    if (!navigator.onLine) return
    try {
      const s = await this.host.api.get<NotificationSummary>('/api/notifications/summary')
      this.unread = s.unread
      if (this.open) this.list = await this.host.api.get<NotificationList>('/api/notifications', { limit: 50 })
    } catch (e) {
      // a poll that did not reach the server is not worth a message: the next one tries again
      if (!(e instanceof ApiError && e.status === 0)) this.host.toast(e)
    }
    this.render()
  }

  private async toggle() {
    this.open = !this.open
    this.render()
    if (this.open) await this.refresh()
  }

  private async markRead(body: MarkReadBody) {
    const r = await this.host.api.post<MarkReadResult>('/api/notifications/read', body)
    this.unread = r.unread
  }

  private async choose(n: Notification) {
    try {
      if (!n.readAt) await this.markRead(n.id !== null ? { ids: [n.id] } : { keys: [n.key] })
    } catch (e) {
      this.host.toast(e)
    }
    this.open = false
    this.render()
    if (n.subject.type === 'flag') this.host.openFlag(n.subject.id)
    else if (n.subject.type === 'ledger_entry') this.host.openLedgerEntry(n.subject.id)
    void this.refresh()
  }

  private async markAll() {
    const list = this.list
    if (!list) return
    try {
      const keys = list.items.filter((n) => n.id === null && !n.readAt).map((n) => n.key)
      await this.markRead({ upTo: list.at, ...(keys.length ? { keys } : {}) })
    } catch (e) {
      this.host.toast(e)
    }
    await this.refresh()
  }

  render() {
    const label = this.unread ? t('notifBellUnread', { n: this.unread }) : t('notifBell')
    const button = h(
      'button',
      {
        type: 'button',
        class: 'topbar-button bell-button',
        title: label,
        'aria-label': label,
        'aria-expanded': String(this.open),
        'data-testid': 'bell',
        onclick: () => void this.toggle(),
      },
      bellIcon(),
      this.unread
        ? h('span', { class: 'bell-badge', 'data-testid': 'bell-badge' }, this.unread > 99 ? '99+' : this.unread)
        : null,
    )
    clear(this.el, button, this.open ? this.panel() : null)
  }

  private panel() {
    const items = this.list?.items ?? []
    return h(
      'div',
      { class: 'bell-panel', role: 'dialog', 'aria-label': t('notifTitle'), 'data-testid': 'bell-panel' },
      h(
        'div',
        { class: 'bell-head' },
        h('strong', {}, t('notifTitle')),
        h(
          'button',
          { type: 'button', class: 'bell-markall', disabled: this.unread === 0, onclick: () => void this.markAll() },
          t('notifMarkAll'),
        ),
      ),
      items.length === 0
        ? h('p', { class: 'muted bell-empty' }, this.list ? t('notifEmpty') : '…')
        : h(
            'ul',
            { class: 'bell-list' },
            items.map((n) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: `bell-item${n.readAt ? '' : ' unread'}`,
                    'data-kind': n.kind,
                    onclick: () => void this.choose(n),
                  },
                  h('span', { class: 'bell-text' }, notificationTitle(n, this.host)),
                  h(
                    'small',
                    { class: 'muted' },
                    n.reminder ? t('notifReminder') : formatDue(n.createdAt, this.host.timeZone),
                  ),
                ),
              ),
            ),
          ),
    )
  }
}
