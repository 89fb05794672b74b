// The webhook delivery loop (NOTIFY_WEBHOOK_URL): works through the outbox written with each
// notification, posting each as JSON. A 2xx answer delivers it; anything else (an error status, a
// refused connection, a timeout) records the error and tries again later, waiting twice as long each
// time (30 s, 1 min, 2 min … at most an hour), so a receiver that is down loses nothing. Delivery is
// at least once: each POST carries `Idempotency-Key: notification-<id>` so a receiver can drop a repeat
// (a process stopped between the POST and recording it posts again after restart).
//
// A claim moves a delivery's next attempt past the POST's timeout (a lease), so no transaction stays
// open during the POST and two server processes never post the same one at once. stop() ends the loop
// cleanly: no new claim, the POST in flight is aborted (its lease runs out and it is posted again by the
// next start), and it resolves once the loop has let go of the database.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { claimDueDeliveries, recordDelivery, type DueDelivery } from './repository.js'

export const FIRST_RETRY_MS = 30_000
export const MAX_RETRY_MS = 3_600_000

/** How long to wait after the n-th failed attempt (n ≥ 1). */
export const retryDelayMs = (attempts: number) =>
  Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1))

export interface DeliveryOptions {
  db: Kysely<DB>
  url: string
  now: () => Date
  /** how often the outbox is looked at when it was empty (ms) */
  pollMs?: number
  /** most deliveries claimed at once */
  batch?: number
  /** a POST that has not answered in this time fails (ms) */
  timeoutMs?: number
  log: { info: (msg: string) => void; error: (obj: unknown, msg: string) => void }
}

export interface DeliveryLoop {
  /** stops claiming, aborts the POST in flight, resolves once the loop is idle */
  stop: () => Promise<void>
}

/** The JSON body posted for a notification. */
export function webhookBody(d: DueDelivery) {
  const n = d.notification
  return {
    id: n.id,
    key: `${n.kind}:${n.subject_type}:${n.subject_id}:${n.event_key}`,
    user: { id: n.user_id, login: d.login },
    kind: n.kind,
    subject: { type: n.subject_type, id: n.subject_id },
    payload: n.payload,
    createdAt: new Date(n.created_at).toISOString(),
  }
}

export function startWebhookDelivery(o: DeliveryOptions): DeliveryLoop {
  const pollMs = o.pollMs ?? 2_000
  const batch = o.batch ?? 20
  const timeoutMs = o.timeoutMs ?? 10_000
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> = Promise.resolve()
  const aborter = new AbortController()

  async function post(d: DueDelivery): Promise<void> {
    const id = d.notification.id
    let error: string | null = null
    try {
      const res = await fetch(o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `notification-${id}` },
        body: JSON.stringify(webhookBody(d)),
        signal: AbortSignal.any([aborter.signal, AbortSignal.timeout(timeoutMs)]),
      })
      await res.arrayBuffer().catch(() => undefined)
      if (!res.ok) error = `HTTP ${res.status}`
    } catch (e) {
      if (stopped) return // aborted by stop(): the lease runs out and it is posted again
      error = e instanceof Error ? `${e.name}: ${(e.cause as Error | undefined)?.message ?? e.message}` : String(e)
    }
    const now = o.now()
    if (error === null) await recordDelivery(o.db, id, { deliveredAt: now })
    else {
      const wait = retryDelayMs(d.attempts + 1)
      await recordDelivery(o.db, id, { error, nextAttemptAt: new Date(now.getTime() + wait) })
      o.log.error(
        { notificationId: id, attempts: d.attempts + 1, error },
        `webhook delivery failed; retry in ${wait / 1000} s`,
      )
    }
  }

  /** One pass: claims due deliveries and posts them; true when there may be more due. */
  async function pass(): Promise<boolean> {
    const now = o.now()
    const due = await claimDueDeliveries(o.db, now, batch, new Date(now.getTime() + 2 * timeoutMs))
    for (const d of due) {
      if (stopped) return false
      await post(d)
    }
    return due.length === batch
  }

  function schedule(ms: number) {
    if (stopped) return
    timer = setTimeout(() => {
      timer = null
      running = pass()
        .then((more) => schedule(more ? 0 : pollMs))
        .catch((error: unknown) => {
          o.log.error({ err: error }, 'webhook delivery pass failed')
          schedule(pollMs)
        })
    }, ms)
    timer.unref()
  }
  schedule(0)

  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      aborter.abort()
      await running
    },
  }
}
