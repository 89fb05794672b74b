// How a notification leaves the app. Every sender runs inside the transaction of the write that caused
// the event, so a rolled-back write (a preview, a conflict) notifies nobody, and a committed one cannot
// lose its notifications. Senders form a chain: the in-app sender stores the notifications (the bell
// reads that table) and passes on only the new ones (its unique key drops a repeated event); the
// webhook sender puts those in the outbox, which the delivery loop (delivery.ts) posts after commit.
// An SMS or e-mail channel is one more sender that writes its own outbox.
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { enqueueDeliveries, insertNotifications, type NewNotificationRow, type NotificationRow } from './repository.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface NotificationSender {
  readonly channel: 'in_app' | 'webhook'
  /** Takes the notifications on in `tx`; returns those it took (passed to the next sender). */
  send(tx: Executor, notifications: NotificationRow[], drafts: NewNotificationRow[]): Promise<NotificationRow[]>
}

/** The bell: the notifications table itself. Returns only the notifications new to their recipients. */
export const inAppSender: NotificationSender = {
  channel: 'in_app',
  send: (tx, _stored, drafts) => insertNotifications(tx, drafts),
}

/** The outbox of NOTIFY_WEBHOOK_URL: one delivery per new notification, due at once. */
export function webhookSender(now: Date): NotificationSender {
  return {
    channel: 'webhook',
    async send(tx, stored) {
      await enqueueDeliveries(
        tx,
        stored.map((n) => n.id),
        now,
      )
      return stored
    },
  }
}

export interface NotifySettings {
  /** a webhook URL is configured: notifications also go to its outbox */
  webhook: boolean
}

export function notifySettings(config: { notifyWebhookUrl: string | undefined }): NotifySettings {
  return { webhook: config.notifyWebhookUrl !== undefined }
}

export function sendersFor(s: NotifySettings, now: Date): NotificationSender[] {
  return s.webhook ? [inAppSender, webhookSender(now)] : [inAppSender]
}

/** Runs the chain; returns the notifications that were new. */
export async function send(tx: Executor, senders: NotificationSender[], drafts: NewNotificationRow[]) {
  let batch: NotificationRow[] = []
  for (const sender of senders) batch = await sender.send(tx, batch, drafts)
  return batch
}
