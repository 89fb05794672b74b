// The patrol being walked on this phone: the track from the Geolocation API (watchPosition, with its
// accuracy), each fix written to the field store at once, packed into batches for the outbox, and the
// patrol's start, check-ins, problems and end queued in order. A reload picks the patrol up again.
import type { ActivePatrol, FieldStore } from '../../offline/field-store.js'
import type { Outbox } from '../../offline/outbox.js'
import { t } from '../../i18n/index.js'
import { metresBetween } from './geo.js'

/** points packed into one batch as soon as this many wait (and at least every BATCH_MS while walking) */
const BATCH_POINTS = 20
const BATCH_MS = 30_000

export interface Fix {
  lon: number
  lat: number
  accuracy?: number
  t: string
}

export interface CheckInInput {
  objectId: number
  objectName: string
  checklist: { code: string; ok: boolean }[]
  note?: string
  photos: { data: string; contentType: string; filename: string }[]
}

export interface ProblemInput {
  category: string
  categoryName: string
  description?: string
  photos: { data: string; contentType: string; filename: string }[]
}

export class PatrolRecorder {
  active: ActivePatrol | null = null
  /** the latest fix (also before a patrol starts, so the walker sees where the phone thinks it is) */
  position: Fix | null = null
  positionError: string | null = null
  /** the track recorded since the page opened (after a reload: from the points not yet sent), for the map */
  track: [number, number][] = []
  private watchId: number | null = null
  private timer: ReturnType<typeof setInterval> | null = null
  private readonly listeners = new Set<() => void>()

  constructor(
    private readonly store: FieldStore,
    private readonly outbox: Outbox,
    private readonly userId: () => number | null,
  ) {}

  onChange(listener: () => void) {
    this.listeners.add(listener)
  }

  private changed() {
    for (const l of this.listeners) l()
  }

  private restored: Promise<void> | null = null
  private fixes: Promise<void> = Promise.resolve()

  /** After a reload: the patrol this user was walking goes on (asked once; start() waits for it). */
  restore(): Promise<void> {
    this.restored ??= (async () => {
      const userId = this.userId()
      const active = userId === null ? null : await this.store.activePatrol(userId)
      if (active) {
        this.active = active
        this.track = (await this.store.pointsOf(active.local)).map((p) => [p.lon, p.lat])
        this.watch()
      }
      this.changed()
    })()
    return this.restored
  }

  async start() {
    await this.restore()
    const userId = this.userId()
    if (userId === null || this.active) return
    const local = crypto.randomUUID()
    const startedAt = new Date().toISOString()
    await this.store.enqueue({
      key: crypto.randomUUID(),
      userId,
      kind: 'patrol-start',
      patrol: local,
      path: '/api/patrols',
      body: { startedAt },
      label: startedAt,
    })
    this.active = { local, userId, startedAt, recorded: 0, lengthM: 0, last: null }
    this.track = []
    await this.store.setActivePatrol(userId, this.active)
    // a new watch answers at once with a fresh fix: the track starts where the walker stands
    this.stopWatching()
    this.watch()
    this.changed()
    this.outbox.changed()
    void this.outbox.flush()
  }

  /** No fix yet (or none allowed): nothing can be placed, and the walker is told so. */
  private placed() {
    const { active, position } = this
    if (!active) throw new Error(t('patrolNotActive'))
    if (!position) throw new Error(t('patrolNeedsFix'))
    return { active, position }
  }

  async checkIn(input: CheckInInput) {
    const { active, position } = this.placed()
    await this.store.enqueue({
      key: crypto.randomUUID(),
      userId: active.userId,
      kind: 'check-in',
      patrol: active.local,
      path: '/api/patrols/{patrol}/check-ins',
      body: {
        objectId: input.objectId,
        lon: position.lon,
        lat: position.lat,
        ...(position.accuracy !== undefined ? { accuracy: position.accuracy } : {}),
        checkedAt: new Date().toISOString(),
        checklist: input.checklist,
        ...(input.note ? { note: input.note } : {}),
        photos: input.photos,
      },
      label: input.objectName,
    })
    await this.sendSoon()
  }

  async reportProblem(input: ProblemInput) {
    const { active, position } = this.placed()
    await this.store.enqueue({
      key: crypto.randomUUID(),
      userId: active.userId,
      kind: 'problem',
      patrol: active.local,
      path: '/api/patrols/{patrol}/problems',
      body: {
        category: input.category,
        ...(input.description ? { description: input.description } : {}),
        lon: position.lon,
        lat: position.lat,
        ...(position.accuracy !== undefined ? { accuracy: position.accuracy } : {}),
        observedAt: new Date().toISOString(),
        photos: input.photos,
      },
      label: input.categoryName,
    })
    await this.sendSoon()
  }

  async end() {
    const active = this.active
    if (!active) return
    this.stopWatching()
    await this.pack()
    await this.store.enqueue({
      key: crypto.randomUUID(),
      userId: active.userId,
      kind: 'patrol-end',
      patrol: active.local,
      path: '/api/patrols/{patrol}/end',
      body: { endedAt: new Date().toISOString() },
      label: '',
    })
    await this.store.setActivePatrol(active.userId, null)
    this.active = null
    this.track = []
    this.changed()
    this.outbox.changed()
    void this.outbox.flush()
  }

  /** Points waiting on this phone, not yet in a batch. */
  pending(): Promise<number> {
    return this.active ? this.store.pendingPoints(this.active.local) : Promise.resolve(0)
  }

  /** Also used before a patrol starts, to show the position and its accuracy. */
  watch() {
    if (this.watchId !== null || !('geolocation' in navigator)) return
    this.watchId = navigator.geolocation.watchPosition(
      // one fix at a time, in order: a fix stored while the next arrives must not be stored twice
      (p) => void (this.fixes = this.fixes.then(() => this.onFix(p)).catch(() => {})),
      (e) => {
        this.positionError = e.message || `geolocation error ${e.code}`
        this.changed()
      },
      { enableHighAccuracy: true, maximumAge: 0 },
    )
    this.timer ??= setInterval(() => void this.sendSoon(), BATCH_MS)
  }

  private stopWatching() {
    if (this.watchId !== null) navigator.geolocation.clearWatch(this.watchId)
    if (this.timer) clearInterval(this.timer)
    this.watchId = null
    this.timer = null
  }

  private async onFix(p: GeolocationPosition) {
    const fix: Fix = {
      lon: Number(p.coords.longitude.toFixed(7)),
      lat: Number(p.coords.latitude.toFixed(7)),
      accuracy: Number.isFinite(p.coords.accuracy) ? Math.round(p.coords.accuracy * 10) / 10 : undefined,
      t: new Date(p.timestamp).toISOString(),
    }
    this.position = fix
    this.positionError = null
    const active = this.active
    if (active && fix.t !== active.last?.t) {
      const next = {
        ...active,
        lengthM: active.lengthM + (active.last ? metresBetween(active.last, fix) : 0),
        last: fix,
        recorded: active.recorded + 1,
      }
      if (!(await this.store.addPoint({ patrol: active.local, ...fix }, next))) {
        // ended in another tab: this one stops recording it
        this.stopWatching()
        this.active = null
        this.track = []
        this.changed()
        return
      }
      Object.assign(active, next)
      this.track.push([fix.lon, fix.lat])
      if ((await this.store.pendingPoints(active.local)) >= BATCH_POINTS) await this.sendSoon()
    }
    this.changed()
  }

  private async pack() {
    if (!this.active) return
    await this.store.packPoints(this.active.local, this.active.userId, crypto.randomUUID())
  }

  /** Packs the waiting points (in order with what was queued since) and sends the outbox if it can. */
  private async sendSoon() {
    await this.pack()
    this.outbox.changed()
    this.changed()
    await this.outbox.flush()
  }
}
