// A notification as one line of text in the interface language. Pure (tested beside it): the category
// names and the service time zone come in as arguments.
import type { Notification } from '../../api/types.js'
import { lang, t } from '../../i18n/index.js'

export interface FormatContext {
  timeZone: string
  categoryName: (code: string) => string
}

export function formatDue(iso: string | undefined, timeZone: string): string {
  if (!iso) return ''
  return new Intl.DateTimeFormat(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso))
}

const limitName = (limit: string | undefined) =>
  limit === 'ack' ? t('notifLimit_ack') : limit === 'complete' ? t('notifLimit_complete') : ''

export function notificationTitle(n: Notification, c: FormatContext): string {
  const p = n.payload
  const category = p.category ? c.categoryName(p.category) : ''
  const cell = p.cellCode ?? ''
  switch (n.kind) {
    case 'flag_dispatched':
      return t('notif_flag_dispatched', { id: n.subject.id, category, cell })
    case 'flag_escalated':
      return t('notif_flag_escalated', { id: n.subject.id, category, cell, limit: limitName(p.limit) })
    case 'ledger_returned':
      return t('notif_ledger_returned', { measure: p.measureCode ?? '', month: p.month ?? '', reason: p.reason ?? '' })
    case 'deadline_soon':
      return n.subject.type === 'ledger_entry'
        ? t('notif_deadline_ledger', {
            measure: p.measureCode ?? '',
            month: p.month ?? '',
            due: formatDue(p.dueAt, c.timeZone),
          })
        : t('notif_deadline_flag', {
            id: n.subject.id,
            category,
            limit: limitName(p.limit),
            due: formatDue(p.dueAt, c.timeZone),
          })
    case 'patrol_due': {
      const made = p.visitsMade ?? 0
      const required = p.requiredVisits ?? 0
      return t('notif_patrol_due', {
        object: p.objectName ?? p.objectCode ?? '',
        cell,
        made,
        required,
        left: Math.max(0, required - made),
      })
    }
  }
}
