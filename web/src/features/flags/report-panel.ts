// "Report a problem": an inspector (or an admin) says where — a tap on the map, the device's location,
// or an area drawn on the map (report-where.ts) — what kind of problem it is, describes it and adds
// photos (the phone's camera opens directly: capture="environment"). The photos are checked against the
// limits the server serves (map-config flagRules.photos) before anything is sent, and sent as files
// (multipart/form-data). A possible duplicate is answered in duplicates.ts, the outcome shown by
// report-result.ts.
import { ApiError, type ApiClient } from '../../api/client.js'
import type { DuplicateCandidate, FlagCategory, FlagReport, FlagReportResult } from '../../api/types.js'
import { lang, t } from '../../i18n/index.js'
import type { MapDrawing } from '../../map/draw/drawing.js'
import { clear, h } from '../../util/dom.js'
import { errorMessage } from '../../panels/errors.js'
import { problemLocations } from '../../panels/edit-preview.js'
import { duplicateCandidates, duplicatesView } from './duplicates.js'
import { formatBytes } from './format.js'
import { checkPhotoFiles, photoLimitParams, photoProblemTexts } from './photos.js'
import { reportResultView } from './report-result.js'
import { locateDevice, whereFieldset, type ReportLocation, type ReportMode } from './report-where.js'
import { flagRules, type FlagRules } from './rules.js'

export interface ReportHost {
  api: ApiClient
  drawing: MapDrawing
  categories(): Promise<FlagCategory[]>
  /** the panel takes map taps while it waits for a location (null gives them back) */
  takeMapClicks(handler: ((lon: number, lat: number) => void) | null): void
  /** the point being reported (null clears the marker) */
  setDraft(point: [number, number] | null): void
  flyTo(point: [number, number], zoom?: number): void
  flagsChanged(): void
  openFlag(id: number): void
  /** keeps a report on this phone, to be sent once the connection returns (null: not signed in) */
  queueOffline: ((report: FlagReport, label: string) => Promise<void>) | null
  /** what waits on this phone to be sent, and what the server refused */
  queueView: HTMLElement | null
}

export class ReportPanel {
  readonly el = h('div', { class: 'report', 'data-testid': 'report-panel' })
  private categories: FlagCategory[] = []
  private categoriesError: unknown = null
  /** the server's photo limits (map-config flagRules) */
  private readonly rules: FlagRules = flagRules()
  private location: ReportLocation | null = null
  private mode: ReportMode = 'tap'
  private locating = false
  private locateError: string | null = null
  private files: File[] = []
  private photoProblems: string[] = []
  private submitting = false
  private error: unknown = null
  private duplicates: DuplicateCandidate[] | null = null
  private done: FlagReportResult | null = null
  /** kept on this phone (no connection): sent by the outbox later */
  private queued = false
  /** a report the connection failed under, which the reporter may keep for later */
  private unsent: FlagReport | null = null
  private active = false
  private readonly category = h('select', { id: 'report-category', 'data-testid': 'report-category', required: true })
  private readonly description = h('textarea', {
    id: 'report-description',
    rows: 3,
    maxlength: 4000,
    'data-testid': 'report-description',
  })
  // the native file button speaks the browser's language, not the app's: a label stands in for it
  private readonly photoInput = h('input', {
    id: 'report-photos',
    class: 'visually-hidden',
    type: 'file',
    accept: 'image/*',
    capture: 'environment',
    multiple: true,
    'data-testid': 'report-photos',
  })

  constructor(private readonly host: ReportHost) {
    this.photoInput.addEventListener('change', () => {
      this.addFiles([...(this.photoInput.files ?? [])])
      this.photoInput.value = ''
    })
    this.render()
  }

  /** The panel opened: load the categories, take map taps. */
  activate() {
    this.active = true
    if (!this.categories.length) void this.loadCategories()
    this.listen()
    this.render()
  }

  /** The panel closed: give the map back, stop drawing, hide the marker. */
  deactivate() {
    this.active = false
    this.host.takeMapClicks(null)
    if (this.mode === 'area') this.host.drawing.stop()
    this.host.setDraft(null)
  }

  private listen() {
    const waiting = this.active && !this.done && this.mode === 'tap'
    this.host.takeMapClicks(waiting ? (lon, lat) => this.setPoint(lon, lat, 'tap') : null)
  }

  private async loadCategories() {
    try {
      this.categories = (await this.host.categories()).filter((c) => c.active)
      this.categoriesError = null
    } catch (e) {
      this.categoriesError = e
    }
    this.render()
  }

  private setPoint(lon: number, lat: number, source: 'tap' | 'device', accuracyM?: number) {
    this.location = { kind: 'point', lon, lat, source, accuracyM }
    this.host.setDraft([lon, lat])
    this.duplicates = null
    this.error = null
    this.render()
  }

  private useDeviceLocation() {
    this.setMode('tap')
    locateDevice({
      changed: (locating, error) => {
        this.locating = locating
        this.locateError = error
        this.render()
      },
      found: (lon, lat, accuracy) => {
        this.locating = false
        // the answer came after the panel closed: the map is no longer the form's
        if (!this.active) return this.render()
        this.setPoint(lon, lat, 'device', accuracy)
        this.host.flyTo([lon, lat], 16)
      },
    })
  }

  private setMode(mode: ReportMode) {
    if (mode === this.mode && mode === 'tap') return
    this.mode = mode
    if (mode === 'area') {
      this.location = null
      this.host.setDraft(null)
      void this.host.drawing.drawNew('polygon', (g) => {
        if (g.type === 'Polygon') this.location = { kind: 'area', geometry: g }
        this.render()
      })
    } else {
      this.host.drawing.stop()
      if (this.location?.kind === 'area') this.location = null
    }
    this.listen()
    this.render()
  }

  private addFiles(chosen: File[]) {
    const { accepted, problems } = checkPhotoFiles([...this.files, ...chosen], this.rules.photos)
    this.files = accepted
    this.photoProblems = photoProblemTexts(problems, this.rules.photos)
    this.render()
  }

  private async submit(extra: { sameAs?: number; confirmNotDuplicate?: boolean } = {}) {
    if (!this.location) {
      this.error = new Error(t('reportWhereFirst'))
      return this.render()
    }
    if (!this.category.value) {
      this.error = new Error(t('reportCategoryFirst'))
      return this.render()
    }
    // an area being edited: take its latest shape
    if (this.location.kind === 'area') {
      const g = this.host.drawing.geometry()
      if (g?.type === 'Polygon') this.location = { kind: 'area', geometry: g }
    }
    const report: FlagReport = {
      category: this.category.value,
      description: this.description.value.trim() || undefined,
      location:
        this.location.kind === 'point'
          ? { lon: this.location.lon, lat: this.location.lat }
          : { geometry: this.location.geometry },
      photos: this.files,
      ...extra,
      // one key per report sent: if the answer is lost and the report is kept for later, the server
      // knows it already had it
      idempotencyKey: crypto.randomUUID(),
    }
    if (!navigator.onLine && this.host.queueOffline) return this.keepForLater(report)
    this.submitting = true
    this.error = null
    this.unsent = null
    this.render()
    try {
      this.done = await this.host.api.reportFlag(report)
      this.duplicates = null
      this.host.drawing.stop()
      this.host.flagsChanged()
      this.listen()
    } catch (e) {
      const dup = duplicateCandidates(e)
      if (dup) this.duplicates = dup
      else {
        this.error = e
        if (e instanceof ApiError && e.status === 0) this.unsent = report
        const at = problemLocations(e)[0]
        if (at) this.host.flyTo(at.point)
      }
    } finally {
      this.submitting = false
    }
    this.render()
    this.el
      .querySelector<HTMLElement>(
        '[data-testid=report-result], [data-testid=report-duplicates], [data-testid=report-error]',
      )
      ?.scrollIntoView({ block: 'nearest' })
  }

  private async keepForLater(report: FlagReport) {
    const category = this.categories.find((c) => c.code === report.category)
    const label = category ? (lang() === 'en' ? category.name.en : category.name.zh) : report.category
    try {
      await this.host.queueOffline!(report, label)
      this.queued = true
      this.unsent = null
      this.error = null
      this.host.drawing.stop()
    } catch (e) {
      this.error = e
    }
    this.render()
  }

  /** Start over for the next report (category kept: inspectors often report several of one kind). */
  private reset() {
    this.done = null
    this.queued = false
    this.unsent = null
    this.location = null
    this.duplicates = null
    this.error = null
    this.files = []
    this.photoProblems = []
    this.description.value = ''
    this.mode = 'tap'
    this.host.setDraft(null)
    this.host.drawing.stop()
    this.listen()
    this.render()
  }

  // ---- rendering -----------------------------------------------------------------------------------

  render() {
    if (this.queued)
      return clear(
        this.el,
        h(
          'div',
          { class: 'report-result', role: 'status', 'data-testid': 'report-queued' },
          h('p', {}, t('reportQueued')),
          h('button', { type: 'button', class: 'button', onclick: () => this.reset() }, t('reportAnother')),
        ),
        this.host.queueView,
      )
    if (this.done)
      return clear(
        this.el,
        reportResultView(this.done, { view: (id) => this.host.openFlag(id), another: () => this.reset() }),
      )
    const selected = this.category.value
    clear(
      this.category,
      h('option', { value: '' }, t('reportChooseCategory')),
      this.categories.map((c) =>
        h('option', { value: c.code, selected: c.code === selected }, lang() === 'en' ? c.name.en : c.name.zh),
      ),
    )
    clear(
      this.el,
      h('p', { class: 'small muted' }, t('reportIntro')),
      whereFieldset({
        mode: this.mode,
        location: this.location,
        locating: this.locating,
        locateError: this.locateError,
        setMode: (mode) => this.setMode(mode),
        useDeviceLocation: () => this.useDeviceLocation(),
      }),
      h('label', { for: 'report-category' }, t('reportCategory')),
      this.categoriesError ? h('div', { class: 'small warn' }, errorMessage(this.categoriesError).message) : null,
      this.category,
      h('label', { for: 'report-description' }, t('reportDescription')),
      this.description,
      h('div', { class: 'field-label' }, t('reportPhotos', photoLimitParams(this.rules.photos))),
      this.photoInput,
      h(
        'label',
        { for: 'report-photos', class: 'button file-button', 'data-testid': 'report-photos-button' },
        `＋ ${t('reportAddPhoto')}`,
      ),
      this.files.length
        ? h(
            'ul',
            { class: 'photo-list', 'data-testid': 'report-photo-list' },
            this.files.map((f, i) =>
              h(
                'li',
                {},
                h('span', {}, f.name),
                h('span', { class: 'small muted' }, ` ${formatBytes(f.size)}`),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'icon-button',
                    'aria-label': t('remove'),
                    onclick: () => {
                      this.files.splice(i, 1)
                      this.render()
                    },
                  },
                  '×',
                ),
              ),
            ),
          )
        : null,
      this.photoProblems.map((p) => h('div', { class: 'small warn', 'data-testid': 'photo-problem' }, p)),
      this.duplicates
        ? duplicatesView(this.duplicates, {
            submitting: this.submitting,
            sameAs: (id) => void this.submit({ sameAs: id }),
            different: () => void this.submit({ confirmNotDuplicate: true }),
          })
        : null,
      this.error
        ? h(
            'div',
            { class: 'inline-error', role: 'alert', 'data-testid': 'report-error' },
            errorMessage(this.error).message,
            this.unsent && this.host.queueOffline
              ? h(
                  'div',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'button',
                      'data-testid': 'report-keep',
                      onclick: () => void this.keepForLater(this.unsent!),
                    },
                    t('reportKeepForLater'),
                  ),
                )
              : null,
          )
        : null,
      this.duplicates
        ? null
        : h(
            'div',
            { class: 'actions submit-row' },
            h(
              'button',
              {
                type: 'button',
                class: 'button primary big',
                'data-testid': 'report-submit',
                disabled: this.submitting,
                onclick: () => void this.submit(),
              },
              this.submitting ? t('reportSending') : t('reportSubmit'),
            ),
          ),
      this.host.queueView,
    )
  }
}
