// One ledger entry: the month's milestone, what was done, the evidence, the return reason when it came
// back, its history; and what this user may do with it — the unit's officer fills it in, adds photos or
// documents (the phone's camera opens directly) and submits it; the line's lead unit accepts it or
// returns it with a reason. The server says which (entry.can); the buttons follow.
import { LoopApi } from '../../api/loop-client.js'
import type { LedgerEntryDetail, LedgerProgress } from '../../api/types.js'
import { displayName, lang, t, tKey } from '../../i18n/index.js'
import { errorMessage } from '../../panels/errors.js'
import { h } from '../../util/dom.js'
import { formatBytes, formatDateTime } from '../flags/format.js'
import { entryBadges } from './entry-list.js'
import { formatNumber, parseValue } from './format.js'

const PROGRESS: LedgerProgress[] = ['done', 'on_track', 'late', 'not_started']
export const EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf']

export interface EntryActions {
  back(): void
  /** draw again (a problem to show) */
  render(): void
  save(body: { doneValue: number | null; doneText: string; progress: LedgerProgress }, submit: boolean): void
  addEvidence(files: File[]): void
  accept(): void
  return(reason: string): void
}

/** The form's fields live as long as the open entry, so typing survives a redraw (an upload, a language switch). */
export class EntryForm {
  readonly value = h('input', { id: 'ledger-value', type: 'text', inputmode: 'decimal', 'data-testid': 'ledger-value' })
  readonly text = h('textarea', { id: 'ledger-text', rows: 3, maxlength: 4000, 'data-testid': 'ledger-text' })
  readonly progress = h('select', { id: 'ledger-progress', 'data-testid': 'ledger-progress' })
  readonly files = h('input', {
    id: 'ledger-evidence',
    class: 'visually-hidden',
    type: 'file',
    accept: 'image/*,application/pdf',
    capture: 'environment',
    multiple: true,
    'data-testid': 'ledger-evidence',
  })
  readonly reason = h('textarea', { id: 'ledger-reason', rows: 2, maxlength: 4000, 'data-testid': 'ledger-reason' })
  problem: string | null = null
  busy = false
  entryId: number | null = null

  /** Fills the fields from the entry (when another entry, or a newer version of it, is shown). */
  load(e: LedgerEntryDetail) {
    this.entryId = e.id
    this.value.value = e.doneValue === null ? '' : String(e.doneValue)
    this.text.value = e.doneText
    this.progress.dataset.value = e.progress
    this.reason.value = ''
    this.problem = null
  }

  /** The typed values, or a problem to show. */
  read(e: LedgerEntryDetail): { doneValue: number | null; doneText: string; progress: LedgerProgress } | string {
    const v = parseValue(this.value.value)
    if (Number.isNaN(v)) return t('ledgerValueNotNumber')
    const { minValue, maxValue } = e.measure.indicator
    if (v !== null && minValue !== null && v < minValue) return t('ledgerValueBelow', { min: minValue })
    if (v !== null && maxValue !== null && v > maxValue) return t('ledgerValueAbove', { max: maxValue })
    return { doneValue: v, doneText: this.text.value.trim(), progress: this.progress.value as LedgerProgress }
  }
}

const dl = (label: string, value: Node | string) => [h('dt', {}, label), h('dd', {}, value)]

function evidenceList(e: LedgerEntryDetail): HTMLElement | null {
  if (!e.evidence.length) return null
  return h(
    'ul',
    { class: 'evidence', 'data-testid': 'ledger-evidence-list' },
    e.evidence.map((ev, i) => {
      const url = LoopApi.evidenceUrl(e.id, ev.id)
      const name = ev.filename ?? t('ledgerEvidenceN', { n: i + 1 })
      return h(
        'li',
        { 'data-evidence': ev.id },
        h(
          'a',
          { href: url, target: '_blank', rel: 'noopener' },
          ev.contentType === 'application/pdf'
            ? h('span', { class: 'pdf-tile' }, 'PDF')
            : h('img', { src: url, alt: name, loading: 'lazy' }),
          h('span', { class: 'small' }, `${name} · ${formatBytes(ev.sizeBytes)}`),
        ),
      )
    }),
  )
}

function history(e: LedgerEntryDetail): HTMLElement {
  return h(
    'ol',
    { class: 'timeline', 'data-testid': 'ledger-history' },
    e.versions
      .slice()
      .reverse()
      .map((v) =>
        h(
          'li',
          { 'data-action': v.action, class: v.action === 'escalate' ? 'escalate' : '' },
          h('div', { class: 'row' }, tKey(`ledgerAction_${v.action}`, v.action)),
          h('span', { class: 'small muted' }, `${formatDateTime(v.at)} · ${v.actorLogin}`),
          v.reason ? h('div', { class: 'comment' }, v.reason) : null,
        ),
      ),
  )
}

export function entryView(e: LedgerEntryDetail, form: EntryForm, act: EntryActions): HTMLElement {
  const ind = e.measure.indicator
  const uom = ind.unitOfMeasure ? ` (${ind.unitOfMeasure})` : ''
  const title = lang() === 'en' && e.measure.titleEn ? e.measure.titleEn : e.measure.title
  const progressSelect = form.progress
  progressSelect.replaceChildren(
    ...PROGRESS.map((p) =>
      h('option', { value: p, selected: (progressSelect.dataset.value ?? e.progress) === p }, t(`ledgerProgress_${p}`)),
    ),
  )
  progressSelect.onchange = () => (progressSelect.dataset.value = progressSelect.value)
  form.files.onchange = () => {
    const chosen = [...(form.files.files ?? [])]
    form.files.value = ''
    const wrong = chosen.find((f) => !EVIDENCE_TYPES.includes(f.type.toLowerCase()))
    if (wrong) {
      form.problem = t('ledgerEvidenceType', { name: wrong.name })
      return act.render()
    }
    if (chosen.length) act.addEvidence(chosen)
  }
  const showProblem = (problem: string) => {
    form.problem = problem
    act.render()
  }
  const disabled = form.busy
  const editForm = e.can.edit
    ? h(
        'form',
        {
          class: 'ledger-form',
          'data-testid': 'ledger-form',
          onsubmit: (ev: Event) => {
            ev.preventDefault()
            const r = form.read(e)
            if (typeof r === 'string') return showProblem(r)
            act.save(r, false)
          },
        },
        h('label', { for: 'ledger-value' }, `${t('ledgerDoneValue')}${uom}`),
        form.value,
        h('label', { for: 'ledger-text' }, t('ledgerDoneText')),
        form.text,
        h('label', { for: 'ledger-progress' }, t('ledgerProgress')),
        progressSelect,
        h('div', { class: 'field-label' }, t('ledgerEvidence')),
        form.files,
        h(
          'label',
          { for: 'ledger-evidence', class: 'button file-button', 'data-testid': 'ledger-evidence-button' },
          `＋ ${t('ledgerAddEvidence')}`,
        ),
        evidenceList(e),
        form.problem
          ? h('div', { class: 'small warn', role: 'alert', 'data-testid': 'ledger-problem' }, form.problem)
          : null,
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit', class: 'button big', disabled, 'data-testid': 'ledger-save' }, t('ledgerSave')),
          h(
            'button',
            {
              type: 'button',
              class: 'button big primary',
              disabled,
              'data-testid': 'ledger-submit',
              onclick: () => {
                const r = form.read(e)
                if (typeof r === 'string') return showProblem(r)
                act.save(r, true)
              },
            },
            t('ledgerSubmit'),
          ),
        ),
      )
    : null
  const review = e.can.review
    ? h(
        'div',
        { class: 'ledger-review', 'data-testid': 'ledger-review' },
        h(
          'button',
          {
            type: 'button',
            class: 'button big primary',
            disabled,
            'data-testid': 'ledger-accept',
            onclick: () => act.accept(),
          },
          t('ledgerAccept'),
        ),
        h('label', { for: 'ledger-reason' }, t('ledgerReturnReason')),
        form.reason,
        form.problem
          ? h('div', { class: 'small warn', role: 'alert', 'data-testid': 'ledger-problem' }, form.problem)
          : null,
        h(
          'button',
          {
            type: 'button',
            class: 'button big danger',
            disabled,
            'data-testid': 'ledger-return',
            onclick: () => act.return(form.reason.value.trim()),
          },
          t('ledgerReturn'),
        ),
      )
    : null
  return h(
    'div',
    { class: 'ledger-entry', 'data-testid': 'ledger-entry', 'data-entry': e.id, 'data-state': e.state },
    h(
      'button',
      { type: 'button', class: 'button', 'data-testid': 'ledger-back', onclick: () => act.back() },
      `← ${t('ledgerBack')}`,
    ),
    h('h3', { class: 'entry-title' }, `${e.measure.code} ${title} `, ...entryBadges(e)),
    e.state === 'returned' && e.returnReason
      ? h(
          'div',
          { class: 'returned-reason', role: 'alert', 'data-testid': 'ledger-return-reason' },
          h('strong', {}, t('ledgerReturnedBecause')),
          ' ',
          e.returnReason,
        )
      : null,
    h(
      'dl',
      { class: 'facts' },
      dl(t('ledgerUnit'), displayName(e.unit)),
      dl(t('ledgerMonth'), e.month),
      dl(t('ledgerMilestone'), e.milestone || '—'),
      dl(t('ledgerPlanned'), `${formatNumber(e.plannedValue)}${uom}`),
      dl(t('ledgerTarget'), `${formatNumber(e.measure.targetValue)}${uom}`),
      dl(t('ledgerDue'), h('span', { class: e.overdue ? 'late' : '' }, formatDateTime(e.dueAt))),
      e.submittedAt ? dl(t('ledgerSubmittedAt'), formatDateTime(e.submittedAt)) : [],
      e.can.edit
        ? []
        : dl(t('ledgerDoneValue'), e.withheld ? t('ledgerWithheld') : `${formatNumber(e.doneValue)}${uom}`),
      e.can.edit || e.withheld || !e.doneText ? [] : dl(t('ledgerDoneText'), e.doneText),
      e.can.edit ? [] : dl(t('ledgerProgress'), t(`ledgerProgress_${e.progress}`)),
    ),
    e.can.edit ? null : evidenceList(e),
    editForm,
    review,
    h('h3', {}, t('ledgerHistory')),
    history(e),
  )
}

export const problemText = (e: unknown) => errorMessage(e).message
