// The phone's durable store (IndexedDB): the outbox of writes not yet acknowledged by the server, the
// track points of the patrol being walked, and small facts (the active patrol, which server patrol a
// local one became). Everything the field worker records is written here first, so nothing is lost on
// a reload, a closed tab or a dead signal; the outbox sends it later (outbox.ts).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'

export type OutboxKind =
  | 'patrol-start'
  | 'points'
  | 'check-in'
  | 'problem'
  | 'patrol-end'
  | 'flag'
  | 'ledger-save'
  | 'ledger-submit'
  | 'finding'

export interface OutboxError {
  status: number
  code: string
  message: string
  details?: unknown
}

export interface OutboxItem {
  seq?: number
  /** the Idempotency-Key: the server stores the item once however often it is sent */
  key: string
  /** whose item it is: only that user's session sends it */
  userId: number
  kind: OutboxKind
  /** the local patrol it belongs to; "{patrol}" in the path becomes the server's id once known */
  patrol: string | null
  path: string
  /** POST unless said */
  method?: 'POST' | 'PUT'
  body: unknown
  /**
   * The key of an earlier item whose answer's `version` goes into this body's `version` (a ledger
   * entry saved, then submitted, offline: the submit names the version the save made).
   */
  versionFrom?: string
  /** what the item is, for the queue list (an object's name, a category, a point count) */
  label: string
  createdAt: string
  attempts: number
  state: 'queued' | 'conflict'
  error: OutboxError | null
}

export interface StoredPoint {
  seq?: number
  patrol: string
  t: string
  lon: number
  lat: number
  accuracy?: number
}

export interface ActivePatrol {
  local: string
  userId: number
  startedAt: string
  /** points recorded so far on this device (sent or not) */
  recorded: number
  lengthM: number
  last: { lon: number; lat: number; accuracy?: number; t: string } | null
}

interface FieldSchema extends DBSchema {
  outbox: { key: number; value: OutboxItem }
  points: { key: number; value: StoredPoint; indexes: { byPatrol: string } }
  meta: { key: string; value: unknown }
}

const DB_NAME = 'everyinch-field'
const activeKey = (userId: number) => `activePatrol:${userId}`

export class FieldStore {
  private opened: Promise<IDBPDatabase<FieldSchema>> | null = null

  /** Opened on first use (the app builds its parts synchronously; IndexedDB answers later). */
  private db(): Promise<IDBPDatabase<FieldSchema>> {
    this.opened ??= openDB<FieldSchema>(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true })
        d.createObjectStore('points', { keyPath: 'seq', autoIncrement: true }).createIndex('byPatrol', 'patrol')
        d.createObjectStore('meta')
      },
    })
    return this.opened
  }

  async items(): Promise<OutboxItem[]> {
    return (await this.db()).getAll('outbox')
  }

  async enqueue(item: Omit<OutboxItem, 'seq' | 'attempts' | 'state' | 'error' | 'createdAt'>): Promise<void> {
    await (
      await this.db()
    ).add('outbox', { ...item, createdAt: new Date().toISOString(), attempts: 0, state: 'queued', error: null })
  }

  async update(item: OutboxItem): Promise<void> {
    await (await this.db()).put('outbox', item)
  }

  async remove(seq: number): Promise<void> {
    await (await this.db()).delete('outbox', seq)
  }

  /**
   * Stores a fix of the patrol being walked, with the patrol's running figures, unless that patrol is no
   * longer this user's active one (ended meanwhile, in another tab): then nothing is written.
   */
  async addPoint(point: StoredPoint, patrol: ActivePatrol): Promise<boolean> {
    const tx = (await this.db()).transaction(['points', 'meta'], 'readwrite')
    const meta = tx.objectStore('meta')
    const current = (await meta.get(activeKey(patrol.userId))) as ActivePatrol | undefined
    if (current?.local !== patrol.local) {
      await tx.done
      return false
    }
    await Promise.all([tx.objectStore('points').add(point), meta.put(patrol, activeKey(patrol.userId)), tx.done])
    return true
  }

  async pendingPoints(patrol: string): Promise<number> {
    return (await this.db()).countFromIndex('points', 'byPatrol', patrol)
  }

  /**
   * Moves the patrol's unsent points into one outbox batch, in one transaction: a point is either still
   * waiting here or in exactly one batch, never both and never neither.
   */
  async packPoints(patrol: string, userId: number, key: string): Promise<number> {
    const tx = (await this.db()).transaction(['points', 'outbox'], 'readwrite')
    const points = tx.objectStore('points')
    const stored = await points.index('byPatrol').getAll(patrol)
    if (stored.length) {
      await tx.objectStore('outbox').add({
        key,
        userId,
        kind: 'points',
        patrol,
        path: '/api/patrols/{patrol}/points',
        body: { points: stored.map(({ t, lon, lat, accuracy }) => ({ t, lon, lat, accuracy })) },
        label: String(stored.length),
        createdAt: new Date().toISOString(),
        attempts: 0,
        state: 'queued',
        error: null,
      })
      for (const p of stored) await points.delete(p.seq!)
    }
    await tx.done
    return stored.length
  }

  /** The patrol's points not yet packed into a batch, oldest first. */
  async pointsOf(patrol: string): Promise<StoredPoint[]> {
    return (await this.db()).getAllFromIndex('points', 'byPatrol', patrol)
  }

  /** The patrol this user is walking on this phone (each account its own: a colleague may borrow it). */
  async activePatrol(userId: number): Promise<ActivePatrol | null> {
    return ((await (await this.db()).get('meta', activeKey(userId))) as ActivePatrol | undefined) ?? null
  }

  async setActivePatrol(userId: number, patrol: ActivePatrol | null): Promise<void> {
    if (patrol) await (await this.db()).put('meta', patrol, activeKey(userId))
    else await (await this.db()).delete('meta', activeKey(userId))
  }

  /** The version an item's answer carried (kept for the items that name it in versionFrom). */
  async answeredVersion(key: string): Promise<number | null> {
    return ((await (await this.db()).get('meta', `version:${key}`)) as number | undefined) ?? null
  }

  async setAnsweredVersion(key: string, version: number): Promise<void> {
    await (await this.db()).put('meta', version, `version:${key}`)
  }

  /** The version was used by the item that followed: nothing reads it again. */
  async forgetAnsweredVersion(key: string): Promise<void> {
    await (await this.db()).delete('meta', `version:${key}`)
  }

  async serverPatrolId(local: string): Promise<number | null> {
    return ((await (await this.db()).get('meta', `patrol:${local}`)) as number | undefined) ?? null
  }

  async setServerPatrolId(local: string, id: number): Promise<void> {
    await (await this.db()).put('meta', id, `patrol:${local}`)
  }
}
