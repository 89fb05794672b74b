// What waits on this phone to be sent, and what the server refused, with the way to settle each
// refusal: send a possible duplicate anyway, or discard. Shown on the patrol screen and the report form.
import { t, tKey } from '../i18n/index.js'
import { clear, h } from '../util/dom.js'
import type { OutboxItem } from './field-store.js'
import type { Outbox, OutboxCounts } from './outbox.js'

export class QueueView {
  readonly el = h('div', { class: 'outbox-queue', 'data-testid': 'outbox-queue' })
  private counts: OutboxCounts = { queued: 0, conflicts: 0, others: 0 }
  private conflicts: OutboxItem[] = []

  constructor(private readonly outbox: Outbox) {
    outbox.onChange(() => void this.refresh())
  }

  async refresh() {
    ;[this.counts, this.conflicts] = await Promise.all([this.outbox.counts(), this.outbox.conflicts()])
    this.render()
  }

  render() {
    const { queued, conflicts, others } = this.counts
    this.el.hidden = queued + conflicts + others === 0
    clear(
      this.el,
      h(
        'div',
        { class: 'small', 'data-testid': 'outbox-count' },
        queued ? t('queueWaiting', { n: queued }) : t('queueEmpty'),
        others ? ` ${t('queueOthers', { n: others })}` : '',
      ),
      conflicts
        ? h(
            'ul',
            { class: 'conflicts', 'data-testid': 'outbox-conflicts' },
            this.conflicts.map((item) => this.conflict(item)),
          )
        : null,
    )
  }

  private conflict(item: OutboxItem) {
    return h(
      'li',
      { class: 'conflict' },
      h('strong', {}, `${tKey(`queueKind_${item.kind}`, item.kind)} ${item.label}`),
      h('div', { class: 'small' }, tKey(`error_${item.error?.code}`, item.error?.message ?? '')),
      h(
        'div',
        { class: 'row' },
        item.error?.code === 'possible_duplicate'
          ? h(
              'button',
              { type: 'button', class: 'button', onclick: () => void this.outbox.sendAnyway(item) },
              t('queueSendAnyway'),
            )
          : null,
        h(
          'button',
          { type: 'button', class: 'button', onclick: () => void this.outbox.discard(item) },
          t('queueDiscard'),
        ),
      ),
    )
  }
}
