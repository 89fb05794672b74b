// Sends the field store's outbox to the server, oldest first, each item with its own Idempotency-Key so
// an item whose answer was lost is stored once when sent again. An item the server refuses (a 4xx that
// sending again cannot change) is kept as a conflict for the user to see and settle; a lost connection,
// a 5xx or a busy key stops the run, to be tried again when the connection returns or after a pause.
import { ApiError, type ApiClient } from '../api/client.js'
import type { FieldStore, OutboxItem } from './field-store.js'

export interface OutboxCounts {
  queued: number
  conflicts: number
  /** items of another account on this device, waiting for it to sign in again */
  others: number
}

/** Worth sending again later: the server did not decide about the item. */
export function retryable(e: unknown): boolean {
  if (!(e instanceof ApiError)) return true
  return (
    e.status === 0 ||
    e.status >= 500 ||
    e.status === 408 ||
    e.status === 429 ||
    e.status === 401 ||
    e.code === 'idempotency_key_in_flight'
  )
}

const RETRY_MS = [2_000, 5_000, 15_000, 30_000, 60_000]

export class Outbox {
  private running: Promise<void> | null = null
  private again = false
  private failures = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private readonly listeners = new Set<() => void>()
  /** sends made (for tests and the debug handle) */
  sent = 0

  constructor(
    readonly store: FieldStore,
    /** asked at each send: the app builds its parts before its client exists */
    private readonly api: () => ApiClient,
    private readonly userId: () => number | null,
  ) {
    addEventListener('online', () => void this.flush())
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  changed() {
    for (const l of this.listeners) l()
  }

  async counts(): Promise<OutboxCounts> {
    const me = this.userId()
    const items = await this.store.items()
    const mine = items.filter((i) => i.userId === me)
    return {
      queued: mine.filter((i) => i.state === 'queued').length,
      conflicts: mine.filter((i) => i.state === 'conflict').length,
      others: items.length - mine.length,
    }
  }

  async conflicts(): Promise<OutboxItem[]> {
    const me = this.userId()
    return (await this.store.items()).filter((i) => i.userId === me && i.state === 'conflict')
  }

  /** Sends what is queued (one run at a time; a call during a run asks for another run after it). */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      try {
        do {
          this.again = false
          await this.run()
        } while (this.again)
      } finally {
        this.running = null
        this.changed()
      }
    })()
    return this.running
  }

  /** A conflict the user settled: dropped, or (possible duplicates) sent again as confirmed. */
  async discard(item: OutboxItem) {
    await this.store.remove(item.seq!)
    this.changed()
  }

  async sendAnyway(item: OutboxItem) {
    await this.store.update({
      ...item,
      state: 'queued',
      error: null,
      // a different request now, so a different key
      key: crypto.randomUUID(),
      body: { ...(item.body as object), confirmNotDuplicate: true },
    })
    this.changed()
    await this.flush()
  }

  private async run() {
    const me = this.userId()
    if (me === null || !navigator.onLine) return
    const items = (await this.store.items()).filter((i) => i.userId === me && i.state === 'queued')
    for (const item of items) {
      const path = await this.resolve(item)
      if (path === 'wait') return
      if (path === null) continue
      const body = await this.resolveVersion(item, items)
      if (body === 'wait') return
      if (body === null) continue
      item.attempts++
      try {
        const { data } = await this.api().request<{ id?: number; version?: number }>(item.method ?? 'POST', path, {
          body,
          headers: { 'idempotency-key': item.key },
        })
        if (item.kind === 'patrol-start' && item.patrol && typeof data?.id === 'number')
          await this.store.setServerPatrolId(item.patrol, data.id)
        // a ledger save's version is kept even with nothing (yet) chained to it: a save queued while
        // this one was being sent follows it
        if (
          typeof data?.version === 'number' &&
          (item.kind === 'ledger-save' || items.some((i) => i.versionFrom === item.key))
        )
          await this.store.setAnsweredVersion(item.key, data.version)
        await this.store.remove(item.seq!)
        if (item.versionFrom) await this.store.forgetAnsweredVersion(item.versionFrom)
        this.sent++
        this.failures = 0
      } catch (e) {
        if (e instanceof ApiError && e.code === 'idempotency_key_reused') {
          // the key was used by a request the server completed: the same record, sent before this copy
          // was kept (a multipart report whose answer was lost). It is there: nothing more to send.
          await this.store.remove(item.seq!)
          this.sent++
          this.changed()
          continue
        }
        if (retryable(e)) {
          // kept queued; the reason is shown beside it until a send succeeds
          const error = e instanceof ApiError ? e : new ApiError(0, 'network_error', String(e))
          await this.store.update({
            ...item,
            error: { status: error.status, code: error.code, message: error.message },
          })
          this.retryLater()
          return
        }
        const error = e as ApiError
        await this.store.update({
          ...item,
          state: 'conflict',
          error: { status: error.status, code: error.code, message: error.message, details: error.details },
        })
      }
      this.changed()
    }
  }

  /** The item's path with its patrol's server id; 'wait' while the patrol is not started on the server. */
  private async resolve(item: OutboxItem): Promise<string | null | 'wait'> {
    if (!item.path.includes('{patrol}')) return item.path
    const id = item.patrol ? await this.store.serverPatrolId(item.patrol) : null
    if (id !== null) return item.path.replace('{patrol}', String(id))
    const start = (await this.store.items()).find((i) => i.kind === 'patrol-start' && i.patrol === item.patrol)
    if (start?.state === 'queued') return 'wait'
    // the patrol never started on the server (its start was refused): this item cannot be sent either
    await this.store.update({
      ...item,
      state: 'conflict',
      error: {
        status: 409,
        code: 'patrol_not_started',
        message: start?.error?.message ?? 'the patrol was not started on the server',
      },
    })
    return null
  }

  /** The body, with the version an earlier item's answer carried; 'wait' while that one is unsent. */
  private async resolveVersion(item: OutboxItem, items: OutboxItem[]): Promise<unknown | 'wait'> {
    if (!item.versionFrom) return item.body
    const version = await this.store.answeredVersion(item.versionFrom)
    if (version !== null) return { ...(item.body as object), version }
    const earlier = (await this.store.items()).find((i) => i.key === item.versionFrom)
    if (earlier?.state === 'queued' || items.some((i) => i.key === item.versionFrom && i.seq! > item.seq!))
      return 'wait'
    await this.store.update({
      ...item,
      state: 'conflict',
      error: {
        status: 409,
        code: 'earlier_refused',
        message: earlier?.error?.message ?? 'the record this one follows was not accepted',
      },
    })
    return null
  }

  private retryLater() {
    if (this.timer) return
    const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!
    this.failures++
    this.timer = setTimeout(() => {
      this.timer = null
      void this.flush()
    }, delay)
  }
}
