// The strip under the top bar that says when the app works without a connection and what waits to be
// sent: "offline — kept on this phone, sent when the connection returns (3 waiting)", "sending 3…",
// or that the server refused something, which opens the patrol screen where it is settled.
import { t } from '../i18n/index.js'
import { clear, h } from '../util/dom.js'
import type { OutboxCounts } from './outbox.js'

export class ConnectionBanner {
  readonly el = h('div', {
    class: 'connection-banner',
    role: 'status',
    'data-testid': 'connection-banner',
    hidden: true,
  })
  private counts: OutboxCounts = { queued: 0, conflicts: 0, others: 0 }

  constructor(private readonly openQueue: (() => void) | null) {
    addEventListener('online', () => this.render())
    addEventListener('offline', () => this.render())
    this.render()
  }

  update(counts: OutboxCounts) {
    this.counts = counts
    this.render()
  }

  render() {
    const offline = !navigator.onLine
    const { queued, conflicts } = this.counts
    const parts: string[] = []
    if (offline) parts.push(queued ? t('offlineQueued', { n: queued }) : t('offlineBanner'))
    else if (queued) parts.push(t('queueSending', { n: queued }))
    if (conflicts) parts.push(t('queueConflicts', { n: conflicts }))
    this.el.hidden = parts.length === 0
    this.el.classList.toggle('offline', offline)
    this.el.classList.toggle('conflict', conflicts > 0)
    this.el.dataset.queued = String(queued)
    this.el.dataset.offline = String(offline)
    clear(
      this.el,
      h('span', {}, parts.join(' · ')),
      conflicts && this.openQueue
        ? h('button', { type: 'button', class: 'link-button', onclick: () => this.openQueue?.() }, t('queueOpen'))
        : null,
    )
  }
}
