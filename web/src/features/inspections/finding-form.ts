// "Record a finding" (督查发现问题): an inspector marks the place (a tap on the map or the phone's
// location), picks the campaign's checklist item and the severity, describes it and adds photos. Sent at
// once when online — the answer says which unit and cell it went to and by when it must be rectified —
// or kept on the phone with its Idempotency-Key and sent by the outbox when the connection returns (a
// send whose answer was lost is kept under the same key, so the server stores it once).
import { ApiError } from '../../api/client.js'
import type { LoopApi } from '../../api/loop-client.js'
import type { Campaign, Finding, FindingBody, Severity } from '../../api/types.js'
import { displayName, t } from '../../i18n/index.js'
import { photosForQueue } from '../../offline/photos.js'
import { clear, h } from '../../util/dom.js'
import { formatBytes, formatDateTime } from '../flags/format.js'
import { formError } from './errors.js'
import { checkPhotoFiles, photoLimitParams, photoProblemTexts } from '../flags/photos.js'
import { locateDevice, whereFieldset, type ReportLocation } from '../flags/report-where.js'
import { flagRules } from '../flags/rules.js'

const SEVERITIES: readonly Severity[] = ['general', 'major', 'serious']

export interface FindingFormHost {
  loop: LoopApi
  /** the form takes map taps while it waits for a place (null gives them back) */
  takeMapClicks(handler: ((lon: number, lat: number) => void) | null): void
  setDraft(point: [number, number] | null): void
  flyTo(point: [number, number], zoom?: number): void
  openFlag(id: number): void
  /** a finding recorded: the lists and the flags on the map are out of date */
  recorded(): void
  /** keeps a finding on this phone, to be sent when the connection returns */
  queueOffline(campaign: Campaign, body: FindingBody, key: string, label: string): Promise<void>
  queueView: HTMLElement | null
}

export class FindingForm {
  readonly el = h('div', { class: 'report finding-form', 'data-testid': 'finding-form' })
  private campaign: Campaign | null = null
  private readonly rules = flagRules()
  private location: ReportLocation | null = null
  private locating = false
  private locateError: string | null = null
  private severity: Severity = 'general'
  private files: File[] = []
  private photoProblems: string[] = []
  private sending = false
  private error: unknown = null
  private done: Finding | null = null
  private queued = false
  private active = false
  private readonly item = h('select', { id: 'finding-item', 'data-testid': 'finding-item' })
  private readonly description = h('textarea', {
    id: 'finding-description',
    rows: 3,
    maxlength: 4000,
    'data-testid': 'finding-description',
  })
  private readonly photoInput = h('input', {
    id: 'finding-photos',
    class: 'visually-hidden',
    type: 'file',
    accept: 'image/*',
    capture: 'environment',
    multiple: true,
    'data-testid': 'finding-photos',
  })

  constructor(private readonly host: FindingFormHost) {
    this.photoInput.addEventListener('change', () => {
      const { accepted, problems } = checkPhotoFiles(
        [...this.files, ...(this.photoInput.files ?? [])],
        this.rules.photos,
      )
      this.files = accepted
      this.photoProblems = photoProblemTexts(problems, this.rules.photos)
      this.photoInput.value = ''
      this.render()
    })
  }

  setCampaign(campaign: Campaign | null) {
    const changed = campaign?.id !== this.campaign?.id
    this.campaign = campaign
    if (changed) this.reset()
    this.listen()
    this.render()
  }

  activate() {
    this.active = true
    this.listen()
  }

  deactivate() {
    this.active = false
    this.host.takeMapClicks(null)
    this.host.setDraft(null)
  }

  private listen() {
    // taps place the finding only while the form shows for a campaign and waits for one
    const waiting = this.active && this.campaign !== null && !this.done && !this.queued
    this.host.takeMapClicks(waiting ? (lon, lat) => this.setPoint(lon, lat, 'tap') : null)
  }

  private setPoint(lon: number, lat: number, source: 'tap' | 'device', accuracyM?: number) {
    this.location = { kind: 'point', lon, lat, source, accuracyM }
    this.host.setDraft([lon, lat])
    this.error = null
    this.render()
  }

  private useDeviceLocation() {
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

  private problem(): string | null {
    if (!this.location || this.location.kind !== 'point') return t('reportWhereFirst')
    if (!this.item.value) return t('inspectionsItemFirst')
    if (!this.description.value.trim()) return t('inspectionsDescribeFirst')
    return null
  }

  private async submit() {
    const campaign = this.campaign
    const problem = this.problem()
    if (!campaign || problem) {
      this.error = new Error(problem ?? '')
      return this.render()
    }
    const where = this.location as Extract<ReportLocation, { kind: 'point' }>
    this.sending = true
    this.error = null
    this.render()
    const key = crypto.randomUUID()
    const label = `${campaign.code} ${this.item.value}`
    try {
      const body: FindingBody = {
        checklistItem: this.item.value,
        severity: this.severity,
        description: this.description.value.trim(),
        lon: where.lon,
        lat: where.lat,
        observedAt: new Date().toISOString(),
        photos: await photosForQueue(this.files),
      }
      if (!navigator.onLine) {
        await this.host.queueOffline(campaign, body, key, label)
        this.queued = true
      } else
        try {
          this.done = await this.host.loop.recordFinding(campaign, body, key)
          this.host.recorded()
        } catch (e) {
          // the connection failed under it: kept under the same key (stored once if it did arrive)
          if (!(e instanceof ApiError && e.status === 0)) throw e
          await this.host.queueOffline(campaign, body, key, label)
          this.queued = true
        }
      this.host.setDraft(null)
      this.listen()
    } catch (e) {
      this.error = e
    } finally {
      this.sending = false
    }
    this.render()
  }

  /** Ready for the next finding (the checklist item and severity kept: inspectors often record several alike). */
  private reset() {
    this.done = null
    this.queued = false
    this.location = null
    this.error = null
    this.files = []
    this.photoProblems = []
    this.description.value = ''
    this.host.setDraft(null)
    this.listen()
    this.render()
  }

  render() {
    const campaign = this.campaign
    if (!campaign) return clear(this.el)
    if (this.done || this.queued) return clear(this.el, this.resultView(), this.host.queueView)
    const chosen = this.item.value
    clear(
      this.item,
      h('option', { value: '' }, t('inspectionsChooseItem')),
      campaign.checklist.map((k) =>
        h('option', { value: k.code, selected: k.code === chosen }, `${k.code} ${k.label}`),
      ),
    )
    clear(
      this.el,
      h('p', { class: 'small muted' }, t('inspectionsRecordIntro')),
      whereFieldset({
        mode: 'tap',
        location: this.location,
        locating: this.locating,
        locateError: this.locateError,
        setMode: () => {},
        useDeviceLocation: () => this.useDeviceLocation(),
        areas: false,
      }),
      h('label', { for: 'finding-item' }, t('inspectionsItem')),
      this.item,
      h('div', { class: 'field-label' }, t('inspectionsSeverity')),
      h(
        'div',
        { class: 'segmented', role: 'group', 'data-testid': 'finding-severity' },
        SEVERITIES.map((s) =>
          h(
            'button',
            {
              type: 'button',
              'aria-pressed': String(this.severity === s),
              'data-severity': s,
              onclick: () => {
                this.severity = s
                this.render()
              },
            },
            t(`severity_${s}`),
          ),
        ),
      ),
      h('label', { for: 'finding-description' }, t('inspectionsDescription')),
      this.description,
      h('div', { class: 'field-label' }, t('reportPhotos', photoLimitParams(this.rules.photos))),
      this.photoInput,
      h('label', { for: 'finding-photos', class: 'button file-button' }, `＋ ${t('reportAddPhoto')}`),
      this.files.length
        ? h(
            'ul',
            { class: 'photo-list', 'data-testid': 'finding-photo-list' },
            this.files.map((f) =>
              h('li', {}, h('span', {}, f.name), h('span', { class: 'small muted' }, ` ${formatBytes(f.size)}`)),
            ),
          )
        : null,
      this.photoProblems.map((p) => h('div', { class: 'small warn' }, p)),
      this.error
        ? h('div', { class: 'inline-error', role: 'alert', 'data-testid': 'finding-error' }, formError(this.error))
        : null,
      h(
        'div',
        { class: 'actions submit-row' },
        h(
          'button',
          {
            type: 'button',
            class: 'button primary big',
            'data-testid': 'finding-submit',
            disabled: this.sending,
            onclick: () => void this.submit(),
          },
          this.sending ? t('inspectionsSending') : t('inspectionsSubmit'),
        ),
      ),
      this.host.queueView,
    )
  }

  private resultView(): HTMLElement {
    const f = this.done
    return h(
      'div',
      { class: 'report-result', role: 'status', 'data-testid': f ? 'finding-recorded' : 'finding-queued' },
      h(
        'p',
        {},
        f
          ? t('inspectionsRecorded', {
              unit: f.unit ? displayName({ name: f.unit.name, nameEn: f.unit.nameEn }) : t('inspectionsNoUnit'),
              cell: f.cellCode ?? '—',
              due: formatDateTime(f.dueAt),
            })
          : t('inspectionsQueued'),
      ),
      h(
        'div',
        { class: 'actions' },
        f
          ? h(
              'button',
              { type: 'button', class: 'button', onclick: () => this.host.openFlag(f.flagId) },
              t('inspectionsOpenItem'),
            )
          : null,
        h(
          'button',
          { type: 'button', class: 'button', 'data-testid': 'finding-another', onclick: () => this.reset() },
          t('inspectionsAnother'),
        ),
      ),
    )
  }
}
