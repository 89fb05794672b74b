// The walker's patrol screen (巡查), made for a phone and for no signal: start and end a patrol, see the
// position and its accuracy, the objects nearby with a check-in for those close enough (the type's
// checklist, a note, photos), report a problem found, and the queue of what waits to be sent, with
// anything the server refused explained and settled here.
import type { FeatureCollection, Geometry } from 'geojson'
import type { FlagCategory, ObjectCollection, ObjectProperties, ObjectTypes } from '../../api/types.js'
import { lang, t, type MessageKey } from '../../i18n/index.js'
import type { Outbox } from '../../offline/outbox.js'
import { QueueView } from '../../offline/queue-view.js'
import { checkPhotoFiles, photoProblemTexts } from '../flags/photos.js'
import { flagRules } from '../flags/rules.js'
import { readAsDataUrl } from '../../offline/photos.js'
import { clear, h } from '../../util/dom.js'
import { metresTo } from './geo.js'
import type { PatrolRecorder } from './recorder.js'

/** as the server checks it: 100 m, plus the reported accuracy up to 50 m more */
const CHECK_IN_RADIUS_M = 100
const ACCURACY_ALLOWANCE_M = 50
const NEARBY = 6

export interface PatrolPanelDeps {
  recorder: PatrolRecorder
  outbox: Outbox
  objects: () => Promise<ObjectCollection | FeatureCollection<Geometry, ObjectProperties>>
  objectTypes: () => Promise<ObjectTypes>
  categories: () => Promise<FlagCategory[]>
}

type Form = { kind: 'check-in'; object: ObjectProperties } | { kind: 'problem' } | null

export class PatrolPanel {
  readonly el = h('div', { class: 'patrol-panel', 'data-testid': 'patrol-panel' })
  private form: Form = null
  /** what the last action came to, kept as a message key so a language switch translates it */
  private notice: { key: MessageKey; params?: Record<string, string | number> } | null = null
  private objects: FeatureCollection<Geometry, ObjectProperties> | null = null
  private types: ObjectTypes | null = null
  private categoryList: FlagCategory[] = []
  private pending = 0
  private endArmed = false

  constructor(private readonly deps: PatrolPanelDeps) {
    this.queue = new QueueView(deps.outbox)
    deps.recorder.onChange(() => void this.refresh())
  }

  /** Opened: load what the screen needs (from the network, or what the app kept for no signal). */
  activate() {
    this.deps.recorder.watch()
    void this.load()
    void this.refresh()
    void this.queue.refresh()
  }

  private async load() {
    const [objects, types, categories] = await Promise.allSettled([
      this.deps.objects(),
      this.deps.objectTypes(),
      this.deps.categories(),
    ])
    if (objects.status === 'fulfilled') this.objects = objects.value as FeatureCollection<Geometry, ObjectProperties>
    if (types.status === 'fulfilled') this.types = types.value
    if (categories.status === 'fulfilled') this.categoryList = categories.value
    this.render()
  }

  /** the patrol the screen was last drawn for, and whether a fix was known then */
  private drawnFor: { patrol: string | null; fixed: boolean } = { patrol: null, fixed: false }
  private nearbyEl: HTMLElement = h('section')

  /**
   * A fix or a packed batch: the status line and the nearby list are redrawn in place. The buttons are
   * rebuilt only when the patrol starts or ends or the first fix comes (a tap must not land on a button
   * replaced between press and release), and a form being filled in keeps its inputs.
   */
  private async refresh() {
    const { recorder } = this.deps
    this.pending = await recorder.pending()
    const now = { patrol: recorder.active?.local ?? null, fixed: recorder.position !== null }
    if (this.form || (now.patrol === this.drawnFor.patrol && now.fixed === this.drawnFor.fixed)) {
      this.renderStatus()
      if (!this.form && now.patrol) this.updateNearby()
    } else this.render()
  }

  private readonly statusEl = h('div', { class: 'patrol-status', 'data-testid': 'patrol-status' })
  private readonly queue: QueueView

  render() {
    const { recorder } = this.deps
    this.drawnFor = { patrol: recorder.active?.local ?? null, fixed: recorder.position !== null }
    this.renderStatus()
    clear(
      this.el,
      this.statusEl,
      this.notice ? h('p', { class: 'notice', role: 'status' }, t(this.notice.key, this.notice.params)) : null,
    )
    const active = this.deps.recorder.active
    if (this.form?.kind === 'check-in') this.el.append(this.checkInForm(this.form.object))
    else if (this.form?.kind === 'problem') this.el.append(this.problemForm())
    else if (active) {
      this.nearbyEl = this.nearbyList()
      this.el.append(this.nearbyEl, this.actions())
    } else
      this.el.append(
        h('p', { class: 'muted' }, t('patrolIntro')),
        h(
          'button',
          {
            type: 'button',
            class: 'button primary big',
            'data-testid': 'patrol-start',
            onclick: () => void this.deps.recorder.start(),
          },
          t('patrolStart'),
        ),
      )
    this.el.append(this.queue.el)
  }

  private renderStatus() {
    const { recorder } = this.deps
    const { active, position, positionError } = recorder
    const fix = position
      ? t('patrolFix', { accuracy: position.accuracy === undefined ? '?' : Math.round(position.accuracy) })
      : positionError
        ? t('patrolNoFix', { reason: positionError })
        : t('patrolWaitingFix')
    clear(
      this.statusEl,
      active
        ? h(
            'div',
            {},
            h('strong', {}, t('patrolWalking')),
            ' ',
            t('patrolSince', { time: new Date(active.startedAt).toLocaleTimeString(lang() === 'zh' ? 'zh-CN' : 'en') }),
            h(
              'div',
              { class: 'small', 'data-testid': 'patrol-track' },
              t('patrolTrack', {
                points: active.recorded,
                km: (active.lengthM / 1000).toFixed(2),
                waiting: this.pending,
              }),
            ),
          )
        : null,
      h('div', { class: 'small muted', 'data-testid': 'patrol-fix' }, fix),
    )
  }

  /** The objects nearest the phone, each with its distance and whether a check-in is allowed there. */
  private nearby() {
    const position = this.deps.recorder.position
    if (!position || !this.objects) return null
    const allowed = CHECK_IN_RADIUS_M + Math.min(position.accuracy ?? 0, ACCURACY_ALLOWANCE_M)
    return this.objects.features
      .filter((f) => f.properties.status !== 'retired')
      .map((f) => ({ props: f.properties, distance: metresTo(position, f.geometry) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, NEARBY)
      .map((n) => ({ ...n, allowed, far: n.distance > allowed }))
  }

  /**
   * Redraws the nearby list after a fix: when the same objects can be checked in at as before, only the
   * distances change in place, so a check-in button is never replaced under the walker's finger.
   */
  private updateNearby() {
    const list = this.nearby()
    const signature = list?.map((n) => `${n.props.code}:${n.far}`).join(',') ?? ''
    if (list && this.nearbyEl.dataset.signature === signature) {
      for (const n of list) {
        const distance = this.nearbyEl.querySelector<HTMLElement>(
          `li[data-object="${CSS.escape(n.props.code)}"] .distance`,
        )
        if (distance) distance.textContent = t('patrolDistance', { m: Math.round(n.distance) })
      }
      return
    }
    const next = this.nearbyList()
    this.nearbyEl.replaceWith(next)
    this.nearbyEl = next
  }

  private nearbyList() {
    const list = this.nearby()
    if (!this.deps.recorder.position) return h('p', { class: 'muted' }, t('patrolWaitingFix'))
    if (!list) return h('p', { class: 'muted' }, t('patrolNoObjects'))
    return h(
      'section',
      { 'data-signature': list.map((n) => `${n.props.code}:${n.far}`).join(',') },
      h('h3', {}, t('patrolNearby')),
      h(
        'ul',
        { class: 'nearby', 'data-testid': 'patrol-nearby' },
        list.map(({ props, distance, allowed, far }) =>
          h(
            'li',
            { 'data-object': props.code },
            h('div', {}, h('strong', {}, props.name), ' ', h('span', { class: 'small muted' }, props.typeName)),
            h('div', { class: 'small distance' }, t('patrolDistance', { m: Math.round(distance) })),
            far ? h('div', { class: 'small muted' }, t('patrolTooFar', { m: Math.round(allowed) })) : null,
            h(
              'button',
              {
                type: 'button',
                class: 'button',
                disabled: far,
                'data-testid': `check-in-${props.code}`,
                onclick: () => this.open({ kind: 'check-in', object: props }),
              },
              t('patrolCheckIn'),
            ),
          ),
        ),
      ),
    )
  }

  private actions() {
    return h(
      'div',
      { class: 'row patrol-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'button',
          'data-testid': 'patrol-problem',
          // a problem is placed where the phone is: not before the first fix
          disabled: !this.deps.recorder.position,
          onclick: () => this.open({ kind: 'problem' }),
        },
        t('patrolReportProblem'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'button danger',
          'data-testid': 'patrol-end',
          // a second tap ends it: a patrol ended by a stray tap cannot be resumed
          onclick: () => {
            if (!this.endArmed) {
              this.endArmed = true
              this.render()
              // a second tap much later (in a pocket) must not end it
              setTimeout(() => {
                if (!this.endArmed) return
                this.endArmed = false
                if (!this.form) this.render()
              }, 5_000)
            } else {
              this.endArmed = false
              void this.deps.recorder.end().then(() => this.say({ key: 'patrolEnded' }))
            }
          },
        },
        this.endArmed ? t('patrolEndConfirm') : t('patrolEnd'),
      ),
    )
  }

  private open(form: Form) {
    this.form = form
    this.notice = null
    this.render()
  }

  private say(notice: PatrolPanel['notice']) {
    this.form = null
    this.notice = notice
    this.render()
  }

  private photoInput(id: string) {
    return h('input', {
      id,
      type: 'file',
      accept: flagRules().photos.types.join(','),
      capture: 'environment',
      multiple: true,
      'data-testid': id,
    })
  }

  /** The chosen photos as data: URLs, checked first against the server's limits (type, size, count). */
  private async photosOf(input: HTMLInputElement) {
    const files = [...(input.files ?? [])]
    const limits = flagRules().photos
    const { problems } = checkPhotoFiles(files, limits)
    if (problems.length) throw new Error(photoProblemTexts(problems, limits).join(' '))
    return Promise.all(
      files.map(async (f) => ({ data: await readAsDataUrl(f), contentType: f.type, filename: f.name })),
    )
  }

  private checkInForm(object: ObjectProperties) {
    const type = this.types?.types.find((x) => x.code === object.typeCode)
    const boxes = (type?.checklist ?? []).map((item) => ({
      code: item.code,
      input: h('input', { type: 'checkbox', checked: true, 'data-item': item.code }),
      label: lang() === 'zh' ? item.labelZh : item.labelEn,
    }))
    const note = h('textarea', { rows: 2, maxlength: 2000, 'data-testid': 'check-in-note' })
    const photos = this.photoInput('check-in-photos')
    const error = h('div', { class: 'inline-error', role: 'alert', hidden: true })
    const form = h(
      'form',
      { class: 'patrol-form', 'data-testid': 'check-in-form' },
      h('h3', {}, t('patrolCheckInAt', { name: object.name })),
      boxes.length
        ? h(
            'fieldset',
            {},
            h('legend', {}, t('patrolChecklist')),
            boxes.map((b) => h('label', { class: 'check' }, b.input, ' ', b.label)),
          )
        : null,
      h('label', {}, t('patrolNote'), note),
      h('label', {}, t('patrolPhotos'), photos),
      error,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'button primary', 'data-testid': 'check-in-save' }, t('patrolSave')),
        h('button', { type: 'button', class: 'button', onclick: () => this.say(null) }, t('cancel')),
      ),
    )
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      void (async () => {
        try {
          await this.deps.recorder.checkIn({
            objectId: object.id,
            objectName: object.name,
            checklist: boxes.map((b) => ({ code: b.code, ok: b.input.checked })),
            note: note.value.trim() || undefined,
            photos: await this.photosOf(photos),
          })
          this.say({ key: navigator.onLine ? 'patrolSaved' : 'patrolSavedOffline', params: { what: object.name } })
        } catch (err) {
          error.hidden = false
          error.textContent = err instanceof Error ? err.message : String(err)
        }
      })()
    })
    return form
  }

  private problemForm() {
    const select = h(
      'select',
      { required: true, 'data-testid': 'problem-category' },
      this.categoryList
        .filter((c) => c.active)
        .map((c) => h('option', { value: c.code }, lang() === 'en' ? c.name.en : c.name.zh)),
    )
    const description = h('textarea', { rows: 3, maxlength: 4000, 'data-testid': 'problem-description' })
    const photos = this.photoInput('problem-photos')
    const error = h('div', { class: 'inline-error', role: 'alert', hidden: true })
    const form = h(
      'form',
      { class: 'patrol-form', 'data-testid': 'problem-form' },
      h('h3', {}, t('patrolReportProblem')),
      h('p', { class: 'small muted' }, t('patrolProblemHere')),
      h('label', {}, t('patrolCategory'), select),
      h('label', {}, t('patrolDescription'), description),
      h('label', {}, t('patrolPhotos'), photos),
      error,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'button primary', 'data-testid': 'problem-save' }, t('patrolSave')),
        h('button', { type: 'button', class: 'button', onclick: () => this.say(null) }, t('cancel')),
      ),
    )
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      const category = this.categoryList.find((c) => c.code === select.value)
      if (!category) {
        error.hidden = false
        error.textContent = t('patrolNoCategories')
        return
      }
      void (async () => {
        try {
          const name = lang() === 'en' ? category.name.en : category.name.zh
          await this.deps.recorder.reportProblem({
            category: category.code,
            categoryName: name,
            description: description.value.trim() || undefined,
            photos: await this.photosOf(photos),
          })
          this.say({ key: navigator.onLine ? 'patrolSaved' : 'patrolSavedOffline', params: { what: name } })
        } catch (err) {
          error.hidden = false
          error.textContent = err instanceof Error ? err.message : String(err)
        }
      })()
    })
    return form
  }
}
