// The ledgers panel: a unit officer's own ledger for a month ("my ledger"), the review queue of the
// lines the user's unit leads (or every line, for an admin), and every unit's month at a glance. A
// chosen entry opens in entry-view.ts. What is shown is loaded here; the views draw it.
import { isAbort } from '../../api/client.js'
import type { LoopApi } from '../../api/loop-client.js'
import type { LedgerEntry, LedgerEntryDetail, LedgerProgress, LedgerSummary, Unit, UserRole } from '../../api/types.js'
import { displayName, t } from '../../i18n/index.js'
import { inlineError } from '../../panels/errors.js'
import { clear, h } from '../../util/dom.js'
import { serviceToday } from '../../util/service-day.js'
import { entryList, summaryTable } from './entry-list.js'
import { EntryForm, entryView, problemText } from './entry-view.js'
import { isMonth, previousMonth } from './format.js'

type Tab = 'mine' | 'review' | 'all'

export interface LedgerHost {
  loop: LoopApi
  role: UserRole | null
  /** something changed that other panels show (scores, the map popup) */
  changed(): void
  /** keeps a save (and submit) on this phone while there is no connection; null: not available */
  queueOffline: ((entry: LedgerEntryDetail, body: LedgerSaveBody, submit: boolean) => Promise<void>) | null
  /** what waits on this phone to be sent, and what the server refused */
  queueView: HTMLElement | null
}

type LedgerSaveBody = { doneValue: number | null; doneText: string; progress: LedgerProgress }

export class LedgerPanel {
  readonly el = h('div', { class: 'ledgers', 'data-testid': 'ledger-panel' })
  private tab: Tab
  private month = previousMonth(serviceToday())
  private myUnits: Unit[] | null = null
  private myUnitsFailed = false
  private entries: LedgerEntry[] | null = null
  private summary: LedgerSummary | null = null
  /** the unit whose entries the "all" tab lists (null: the summary) */
  private unitFilter: string | null = null
  private error: unknown = null
  private entry: LedgerEntryDetail | null = null
  private entryError: unknown = null
  private openId: number | null = null
  private readonly form = new EntryForm()
  private controller: AbortController | null = null

  constructor(private readonly host: LedgerHost) {
    this.tab = host.role === 'unit_officer' ? 'mine' : host.role === 'admin' ? 'review' : 'all'
    this.render()
  }

  activate() {
    if (this.host.role === 'unit_officer' && !this.myUnits)
      // which units are theirs (and whether one leads a line: the review tab); the list does not wait
      void this.host.loop
        .myUnits()
        .then((u) => {
          this.myUnits = u
          this.render()
        })
        .catch(() => {
          // unknown: offer the queue (the server answers it for reviewers only)
          this.myUnitsFailed = true
          this.render()
        })
    if (this.openId === null) void this.load()
  }

  /** Which tabs this user has: a unit officer's own ledger; the queue for reviewers; every unit's month for all. */
  private tabs(): Tab[] {
    const role = this.host.role
    const reviewer = role === 'admin' || this.myUnitsFailed || (this.myUnits?.some((u) => u.leads.length > 0) ?? false)
    return [...(role === 'unit_officer' ? (['mine'] as const) : []), ...(reviewer ? (['review'] as const) : []), 'all']
  }

  private setTab(tab: Tab) {
    this.tab = tab
    this.unitFilter = null
    this.openId = null
    void this.load()
  }

  private setMonth(month: string) {
    if (!isMonth(month)) return
    this.month = month
    void this.load()
  }

  private async load() {
    this.controller?.abort()
    const controller = new AbortController()
    this.controller = controller
    const signal = controller.signal
    this.error = null
    this.entries = null
    this.summary = null
    this.render()
    try {
      const { loop } = this.host
      if (this.tab === 'mine') this.entries = (await loop.ledgers({ month: this.month }, signal)).entries
      else if (this.tab === 'review') this.entries = (await loop.reviewQueue(undefined, signal)).entries
      else if (this.unitFilter)
        this.entries = (await loop.ledgers({ month: this.month, unit: this.unitFilter, all: true }, signal)).entries
      else this.summary = await loop.ledgerSummary(this.month, signal)
    } catch (e) {
      if (isAbort(e)) return
      this.error = e
    }
    if (this.controller === controller) this.controller = null
    this.render()
  }

  // ---- one entry ------------------------------------------------------------------------------------

  async openEntry(id: number) {
    this.openId = id
    this.entryError = null
    if (this.entry?.id !== id) this.entry = null
    this.render()
    try {
      const entry = await this.host.loop.ledger(id)
      if (this.openId !== id) return
      this.showEntry(entry)
    } catch (e) {
      this.entryError = e
      this.render()
    }
  }

  /** `refill`: the fields take the entry's values (not after an upload: what was typed stays). */
  private showEntry(entry: LedgerEntryDetail, refill = true) {
    this.entry = entry
    if (refill) this.form.load(entry)
    this.render()
  }

  /** Runs one write; the entry as the server now has it is shown, or the server's refusal. */
  private async act(write: () => Promise<LedgerEntryDetail>, done: string) {
    this.form.busy = true
    this.form.problem = null
    this.render()
    try {
      const entry = await write()
      this.form.busy = false
      this.showEntry(entry, done !== 'evidence')
      this.el.dataset.lastAction = done
      this.host.changed()
      this.el.dispatchEvent(new CustomEvent('ledger-changed', { detail: { id: entry.id, state: entry.state } }))
    } catch (e) {
      this.form.busy = false
      this.form.problem = problemText(e)
      this.render()
    }
  }

  /** No connection: the save (and submit) wait on this phone; the entry shows as it was until sent. */
  private async keepForLater(e: LedgerEntryDetail, body: LedgerSaveBody, submit: boolean) {
    try {
      await this.host.queueOffline!(e, body, submit)
      this.form.problem = t(submit ? 'ledgerQueuedSubmit' : 'ledgerQueued')
      this.el.dataset.lastAction = 'queued'
    } catch (err) {
      this.form.problem = problemText(err)
    }
    this.render()
  }

  private back() {
    this.openId = null
    this.entry = null
    void this.load()
  }

  // ---- drawing --------------------------------------------------------------------------------------

  render(): void {
    if (this.openId !== null) {
      const e = this.entry
      if (this.entryError)
        return clear(
          this.el,
          inlineError(this.entryError, () => void this.openEntry(this.openId!)),
        )
      if (!e) return clear(this.el, h('p', { class: 'muted' }, t('loading')))
      return clear(
        this.el,
        entryView(e, this.form, {
          back: () => this.back(),
          render: () => this.render(),
          save: (body, submit) =>
            !navigator.onLine && this.host.queueOffline
              ? void this.keepForLater(e, body, submit)
              : void this.act(
                  async () => {
                    let saved = await this.host.loop.saveLedger(e.id, { version: e.version, ...body })
                    if (submit) saved = await this.host.loop.ledgerAction(e.id, 'submit', saved.version)
                    return saved
                  },
                  submit ? 'submit' : 'save',
                ),
          addEvidence: (files) => void this.act(() => this.host.loop.addEvidence(e.id, e.version, files), 'evidence'),
          accept: () => void this.act(() => this.host.loop.ledgerAction(e.id, 'accept', e.version), 'accept'),
          return: (reason) => {
            if (!reason) {
              this.form.problem = t('ledgerReasonRequired')
              return this.render()
            }
            void this.act(() => this.host.loop.returnLedger(e.id, e.version, reason), 'return')
          },
        }),
        this.host.queueView,
      )
    }
    const tabs = this.tabs()
    const monthInput = h('input', {
      id: 'ledger-month',
      type: 'month',
      value: this.month,
      'data-testid': 'ledger-month',
    })
    monthInput.addEventListener('change', () => this.setMonth(monthInput.value))
    clear(
      this.el,
      h(
        'div',
        { class: 'segmented', role: 'group', 'aria-label': t('ledgerTitle') },
        tabs.map((tab) =>
          h(
            'button',
            {
              type: 'button',
              'aria-pressed': String(this.tab === tab),
              'data-tab': tab,
              onclick: () => this.setTab(tab),
            },
            t(`ledgerTab_${tab}`),
          ),
        ),
      ),
      this.tab === 'mine' && this.myUnits
        ? h(
            'p',
            { class: 'small muted', 'data-testid': 'my-units' },
            t('ledgerMyUnits', { units: this.myUnits.map(displayName).join('、') || '—' }),
          )
        : null,
      this.tab === 'review'
        ? h('p', { class: 'small muted' }, t('ledgerReviewIntro'))
        : h('div', { class: 'month-row' }, h('label', { for: 'ledger-month' }, t('month')), monthInput),
      this.tab === 'all' && this.unitFilter
        ? h(
            'button',
            { type: 'button', class: 'button', onclick: () => ((this.unitFilter = null), void this.load()) },
            `← ${t('ledgerAllUnits')}`,
          )
        : null,
      this.body(),
      this.host.queueView,
    )
  }

  private body(): HTMLElement {
    if (this.error) return inlineError(this.error, () => void this.load())
    if (this.summary)
      return summaryTable(this.summary, (code) => {
        this.unitFilter = code
        void this.load()
      })
    if (!this.entries) return h('p', { class: 'muted' }, t('loading'))
    return entryList(this.entries, (id) => void this.openEntry(id), this.tab !== 'mine')
  }
}
