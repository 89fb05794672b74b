// The field-work parts of the app, for a signed-in account: the durable store and its outbox (sent when
// the connection returns), the connection banner, and — for the roles that walk patrols — the patrol
// recorder and its screen. A patrol that was being walked before a reload goes on after it.
import type { Feature } from 'geojson'
import type { AppContext } from '../../app/context.js'
import { setSourceData } from '../../map/map-view.js'
import { SOURCES } from '../../map/sources.js'
import { ConnectionBanner } from '../../offline/connection-banner.js'
import { FieldStore } from '../../offline/field-store.js'
import { Outbox } from '../../offline/outbox.js'
import { photosForQueue } from '../../offline/photos.js'
import { QueueView } from '../../offline/queue-view.js'
import { LoopApi } from '../../api/loop-client.js'
import type { Campaign, FindingBody, FlagReport, LedgerEntryDetail } from '../../api/types.js'
import { PatrolPanel } from './patrol-panel.js'
import { PatrolRecorder } from './recorder.js'

const WALKERS = new Set(['admin', 'supervisor'])

export class FieldWiring {
  readonly store = new FieldStore()
  readonly outbox: Outbox
  readonly recorder: PatrolRecorder
  readonly banner: ConnectionBanner

  constructor(private readonly app: AppContext) {
    const userId = () => app.session?.user.id ?? null
    this.outbox = new Outbox(this.store, () => app.api, userId)
    this.recorder = new PatrolRecorder(this.store, this.outbox, userId)
    // where a refused record is settled: the patrol screen, the report form, or the ledger
    this.banner = new ConnectionBanner(() =>
      app.sidePanel.open(this.walks() ? 'patrol' : app.panels.report ? 'report' : 'ledger'),
    )
    // the outbox's counts read its items: only when it changes, not on every fix
    this.outbox.onChange(
      () =>
        void this.outbox.counts().then((c) => {
          this.banner.update(c)
          app.debug.field = { ...app.debug.field, ...c, sent: this.outbox.sent }
        }),
    )
    this.recorder.onChange(() => {
      app.debug.field = { ...app.debug.field, recorded: this.recorder.active?.recorded ?? 0 }
    })
    this.recorder.onChange(() => this.drawWalk())
  }

  /** the patrol whose walker the map has been brought to (once per patrol: then the walker pans freely) */
  private centredOn: string | null = null

  /** The walker's track and position (with its accuracy to scale) on the map. */
  private drawWalk() {
    const { position, active, track } = this.recorder
    if (active && position && this.centredOn !== active.local) {
      this.centredOn = active.local
      const map = this.app.map
      map.jumpTo({ center: [position.lon, position.lat], zoom: Math.max(map.getZoom(), 16) })
    }
    const features: Feature[] = []
    if (active && track.length > 1)
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: track }, properties: {} })
    if (position) {
      const metresPerPixelAtZ0 = 78_271.517 * Math.cos((position.lat * Math.PI) / 180)
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [position.lon, position.lat] },
        properties: { r0: (position.accuracy ?? 0) / metresPerPixelAtZ0 },
      })
    }
    setSourceData(this.app.map, SOURCES.walk, { type: 'FeatureCollection', features })
  }

  /**
   * A flag report made without a connection: kept with its photos and sent later, once (its own key).
   * `label` names it in the queue (the category's name).
   */
  async queueReport(report: FlagReport, label: string) {
    const userId = this.app.session?.user.id
    if (userId === undefined) return
    await this.store.enqueue({
      // the key of the attempt whose answer was lost, if there was one (see Outbox: 422 reused)
      key: report.idempotencyKey ?? crypto.randomUUID(),
      userId,
      kind: 'flag',
      patrol: null,
      path: '/api/flags',
      body: {
        category: report.category,
        ...(report.description ? { description: report.description } : {}),
        ...report.location,
        ...(report.confirmNotDuplicate ? { confirmNotDuplicate: true } : {}),
        ...(report.sameAs !== undefined ? { sameAs: report.sameAs } : {}),
        photos: await photosForQueue(report.photos ?? []),
      },
      label,
    })
    this.outbox.changed()
    void this.outbox.flush()
  }

  /** An inspection finding made without a connection (or whose answer was lost), kept under its key. */
  async queueFinding(campaign: Campaign, body: FindingBody, key: string, label: string) {
    const userId = this.app.session?.user.id
    if (userId === undefined) return
    await this.store.enqueue({
      key,
      userId,
      kind: 'finding',
      patrol: null,
      path: LoopApi.findingsPath(campaign.id),
      body,
      label,
    })
    this.outbox.changed()
    void this.outbox.flush()
  }

  /** A view of the outbox for a panel (each panel its own element). */
  queueView(): HTMLElement {
    const view = new QueueView(this.outbox)
    void view.refresh()
    return view.el
  }

  /**
   * A ledger save made without a connection, and the submit after it (which names the version the save
   * makes, known only once it is sent): kept on this phone, sent in order, once each.
   */
  async queueLedger(entry: LedgerEntryDetail, body: object, submit: boolean) {
    const userId = this.app.session?.user.id
    if (userId === undefined) return
    const label = `${entry.measure.code} ${entry.month}`
    const saveKey = crypto.randomUUID()
    const path = `/api/ledgers/${entry.id}`
    // a save of this entry still waiting on the phone: this one follows it, with the version its
    // answer carries (the entry shown is as it was before either: its version would be stale)
    const earlier = (await this.store.items())
      .filter((i) => i.userId === userId && i.kind === 'ledger-save' && i.path === path && i.state === 'queued')
      .at(-1)
    await this.store.enqueue({
      key: saveKey,
      userId,
      kind: 'ledger-save',
      patrol: null,
      method: 'PUT',
      path,
      body: { version: entry.version, ...body },
      ...(earlier ? { versionFrom: earlier.key } : {}),
      label,
    })
    if (submit)
      await this.store.enqueue({
        key: crypto.randomUUID(),
        userId,
        kind: 'ledger-submit',
        patrol: null,
        path: `/api/ledgers/${entry.id}/submit`,
        body: {},
        versionFrom: saveKey,
        label,
      })
    this.outbox.changed()
    void this.outbox.flush()
  }

  walks(): boolean {
    return WALKERS.has(this.app.role() ?? '')
  }

  createPanel(): PatrolPanel | null {
    if (!this.walks()) return null
    const { app } = this
    return new PatrolPanel({
      recorder: this.recorder,
      outbox: this.outbox,
      objects: () => app.objectWiring.collection(),
      objectTypes: () => app.api.objectTypes(),
      categories: () => app.flagWiring.categories(),
    })
  }

  /** Signed in and the map started: resume a patrol, send what waits. */
  async start() {
    if (!this.app.session) return
    if (this.walks()) await this.recorder.restore()
    this.outbox.changed()
    await this.outbox.flush()
  }
}
