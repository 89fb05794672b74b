// Flags: a supervisor's inbox (their cells' flags, counts by state), the county officers' list with
// filters and CSV/GeoJSON export, an inspector's own reports, and a flag's detail: where it is and who
// it went to, its deadlines and escalation, photos, the timeline, and the workflow buttons the
// signed-in role may use. A refusal (403 role or four-eyes, 409 stale version or illegal transition)
// is shown with the server's message; a stale flag can be reloaded in place.
import { flagExportUrl, isAbort, type ApiClient } from '../../api/client.js'
import type {
  Flag,
  FlagAction,
  FlagCategory,
  FlagDetail,
  FlagFilters,
  FlagInbox,
  FlagList,
  FlagState,
  UserRole,
} from '../../api/types.js'
import { displayName, lang, t, tKey } from '../../i18n/index.js'
import { theme } from '../../map/theme.js'
import { clear, h } from '../../util/dom.js'
import { errorMessage, inlineError } from '../../panels/errors.js'
import { ApiError } from '../../api/client.js'
import {
  actionsFor,
  checkPhotoFiles,
  COMMENT_REQUIRED,
  formatBytes,
  formatDateTime,
  OPEN_STATES,
  PHOTO_LIMITS,
  urgency,
} from './rules.js'

export interface FlagHost {
  api: ApiClient
  role: UserRole | null
  categories(): Promise<FlagCategory[]>
  townships(): { code: string; name: string }[]
  /** fly to the flag and outline it */
  showOnMap(flag: Flag): void
  /** the flags layer must be reloaded */
  flagsChanged(): void
  /** the URL's selection follows the open flag */
  selected(id: number | null): void
}

const stateColor = (s: string) => (theme.flag as Record<string, string>)[s] ?? theme.flag.rejected

export function stateBadge(state: string): HTMLElement {
  const dark = state !== 'feedback'
  return h(
    'span',
    {
      class: 'badge state',
      'data-state': state,
      style: `background:${stateColor(state)};color:${dark ? '#fff' : '#1f1f1f'}`,
    },
    tKey(`flagState_${state}`, state),
  )
}

export function categoryLabel(f: Pick<Flag, 'categoryName' | 'category'>): string {
  return lang() === 'en' ? f.categoryName.en : f.categoryName.zh
}

function urgencyBadges(f: Flag): (HTMLElement | null)[] {
  const u = urgency(f)
  return [
    f.unowned ? h('span', { class: 'badge unowned', 'data-testid': 'badge-unowned' }, t('flagUnowned')) : null,
    u === 'escalated'
      ? h(
          'span',
          { class: 'badge escalated', 'data-testid': 'badge-escalated' },
          t('flagEscalatedBadge', { n: f.escalationLevel }),
        )
      : null,
    f.overdue.any ? h('span', { class: 'badge overdue', 'data-testid': 'badge-overdue' }, t('flagOverdue')) : null,
  ]
}

type ListKind = 'inbox' | 'list'

export class FlagsPanel {
  readonly el = h('div', { class: 'flags', 'data-testid': 'flags-panel' })
  private readonly kind: ListKind
  private filters: FlagFilters
  private list: FlagList | FlagInbox | null = null
  private listError: unknown = null
  private listController: AbortController | null = null
  private categories: FlagCategory[] = []
  private flagId: number | null = null
  private flag: FlagDetail | null = null
  private flagError: unknown = null
  private action: FlagAction | null = null
  private actionError: unknown = null
  private acting = false
  private photoProblems: string[] = []
  private readonly comment = h('textarea', {
    rows: 3,
    maxlength: 4000,
    'data-testid': 'flag-comment',
    id: 'flag-comment',
  })
  private readonly photos = h('input', {
    type: 'file',
    accept: 'image/*',
    multiple: true,
    'data-testid': 'feedback-photos',
  })

  constructor(private readonly host: FlagHost) {
    this.kind = host.role === 'supervisor' ? 'inbox' : 'list'
    this.filters = host.role === 'inspector' ? { mine: true } : {}
    this.photos.addEventListener('change', () => {
      const { problems } = checkPhotoFiles([...(this.photos.files ?? [])])
      this.photoProblems = problems.map((p) =>
        t(`photoProblem_${p.reason}`, {
          name: p.name,
          max: formatBytes(PHOTO_LIMITS.maxBytes),
          n: PHOTO_LIMITS.maxCount,
        }),
      )
      this.render()
    })
    void host
      .categories()
      .then((c) => {
        this.categories = c
        this.render()
      })
      .catch(() => {})
    this.render()
  }

  // ---- list ----------------------------------------------------------------------------------------

  /** Shows the inbox or list (loading it when needed). */
  async showList(reload = false) {
    if (this.flagId !== null) this.host.selected(null)
    this.flagId = null
    this.flag = null
    this.flagError = null
    this.action = null
    if (this.list && !reload) return this.render()
    await this.loadList()
  }

  /** Flags changed elsewhere (a new report): the list is loaded again when next shown. */
  invalidate() {
    this.list = null
    if (this.flagId === null && this.el.isConnected) void this.loadList()
  }

  private async loadList() {
    this.listController?.abort()
    const controller = new AbortController()
    this.listController = controller
    this.listError = null
    this.render()
    try {
      const f = this.filters
      this.list =
        this.kind === 'inbox'
          ? await this.host.api.flagInbox(
              { state: f.state, category: f.category, overdue: f.overdue },
              controller.signal,
            )
          : await this.host.api.flags({ ...f, limit: 200 }, controller.signal)
    } catch (e) {
      if (isAbort(e)) return
      this.listError = e
    } finally {
      if (this.listController === controller) this.listController = null
    }
    this.render()
  }

  private setFilter(patch: Partial<FlagFilters>) {
    this.filters = { ...this.filters, ...patch }
    void this.loadList()
  }

  // ---- detail --------------------------------------------------------------------------------------

  async showFlag(id: number) {
    this.flagId = id
    this.flagError = null
    this.action = null
    this.actionError = null
    if (this.flag?.id !== id) this.flag = null
    this.host.selected(id)
    this.render()
    try {
      const flag = await this.host.api.flag(id)
      if (this.flagId !== id) return
      this.flag = flag
      this.host.showOnMap(flag)
    } catch (e) {
      this.flagError = e
    }
    this.render()
  }

  currentFlag() {
    return this.flagId
  }

  private openAction(a: FlagAction) {
    this.action = this.action === a ? null : a
    this.actionError = null
    this.comment.value = ''
    this.photos.value = ''
    this.photoProblems = []
    this.render()
    this.comment.focus()
  }

  private async act() {
    const f = this.flag
    const a = this.action
    if (!f || !a) return
    const comment = this.comment.value.trim()
    if (COMMENT_REQUIRED.has(a) && !comment) {
      this.actionError = new Error(t('flagCommentRequired'))
      return this.render()
    }
    const { accepted } = checkPhotoFiles([...(this.photos.files ?? [])])
    this.acting = true
    this.actionError = null
    this.render()
    try {
      this.flag = await this.host.api.flagAction(f.id, a, {
        version: f.version,
        comment,
        photos: a === 'feedback' ? accepted : undefined,
      })
      this.action = null
      this.list = null
      this.host.flagsChanged()
    } catch (e) {
      this.actionError = e
    } finally {
      this.acting = false
    }
    this.render()
  }

  // ---- rendering -----------------------------------------------------------------------------------

  render() {
    if (this.flagId !== null) return clear(this.el, this.detailView())
    clear(this.el, this.kind === 'inbox' ? this.inboxHeader() : this.listHeader(), this.listView())
  }

  private inboxHeader(): HTMLElement {
    const inbox = this.list && 'counts' in this.list ? this.list : null
    const chip = (state: FlagState | 'open', label: string, n: number | null) => {
      const active =
        state === 'open' ? !this.filters.state : this.filters.state?.length === 1 && this.filters.state[0] === state
      return h(
        'button',
        {
          type: 'button',
          class: 'chip',
          'aria-pressed': String(active),
          'data-state': state,
          onclick: () => this.setFilter({ state: state === 'open' ? undefined : [state] }),
        },
        state === 'open' ? null : h('span', { class: 'dot', style: `background:${stateColor(state)}` }),
        `${label}${n === null ? '' : ` ${n}`}`,
      )
    }
    return h(
      'div',
      { class: 'flag-filters', 'data-testid': 'inbox-counts' },
      h('p', { class: 'small muted' }, t('inboxIntro')),
      h(
        'div',
        { class: 'chips' },
        chip('open', t('inboxOpen'), null),
        (['dispatched', 'in_progress', 'feedback', 'closed'] as const).map((s) =>
          chip(s, tKey(`flagState_${s}`, s), inbox?.counts[s] ?? null),
        ),
      ),
      h(
        'label',
        { class: 'small' },
        this.checkbox(
          Boolean(this.filters.overdue),
          (v) => this.setFilter({ overdue: v || undefined }),
          'filter-overdue',
        ),
        ' ',
        t('filterOverdue'),
        inbox ? h('span', { class: 'badge overdue', 'data-testid': 'inbox-overdue' }, String(inbox.overdue)) : null,
      ),
    )
  }

  private checkbox(checked: boolean, onChange: (v: boolean) => void, testid: string) {
    const box = h('input', { type: 'checkbox', 'data-testid': testid })
    box.checked = checked
    box.addEventListener('change', () => onChange(box.checked))
    return box
  }

  private listHeader(): HTMLElement {
    const f = this.filters
    const stateValue = !f.state ? '' : f.state.join(',') === OPEN_STATES.join(',') ? 'open' : f.state[0]!
    const states = h(
      'select',
      { 'data-testid': 'filter-state' },
      h('option', { value: '' }, t('filterAllStates')),
      h('option', { value: 'open', selected: stateValue === 'open' }, t('inboxOpen')),
      (['reported', 'registered', 'dispatched', 'in_progress', 'feedback', 'closed', 'rejected'] as const).map((s) =>
        h('option', { value: s, selected: stateValue === s }, tKey(`flagState_${s}`, s)),
      ),
    )
    states.addEventListener('change', () =>
      this.setFilter({
        state:
          states.value === '' ? undefined : states.value === 'open' ? [...OPEN_STATES] : [states.value as FlagState],
      }),
    )
    const categories = h(
      'select',
      { 'data-testid': 'filter-category' },
      h('option', { value: '' }, t('filterAllCategories')),
      this.categories.map((c) =>
        h('option', { value: c.code, selected: f.category === c.code }, lang() === 'en' ? c.name.en : c.name.zh),
      ),
    )
    categories.addEventListener('change', () => this.setFilter({ category: categories.value || undefined }))
    const townships = h(
      'select',
      { 'data-testid': 'filter-township' },
      h('option', { value: '' }, t('filterAllTownships')),
      this.host
        .townships()
        .map((tw) => h('option', { value: tw.code, selected: f.township === tw.code }, `${tw.name} ${tw.code}`)),
    )
    townships.addEventListener('change', () => this.setFilter({ township: townships.value || undefined }))
    const officer = this.host.role === 'admin' || this.host.role === 'viewer'
    return h(
      'div',
      { class: 'flag-filters', 'data-testid': 'flag-filters' },
      h('div', { class: 'filter-grid' }, states, categories, townships),
      h(
        'div',
        { class: 'filter-row' },
        h(
          'label',
          { class: 'small' },
          this.checkbox(Boolean(f.overdue), (v) => this.setFilter({ overdue: v || undefined }), 'filter-overdue'),
          ' ',
          t('filterOverdue'),
        ),
        this.host.role === 'inspector'
          ? h(
              'label',
              { class: 'small' },
              this.checkbox(Boolean(f.mine), (v) => this.setFilter({ mine: v || undefined }), 'filter-mine'),
              ' ',
              t('filterMine'),
            )
          : null,
        officer
          ? h(
              'span',
              { class: 'exports' },
              h(
                'a',
                {
                  class: 'button small-button',
                  href: flagExportUrl('csv', f),
                  download: 'flags.csv',
                  'data-testid': 'export-csv',
                },
                t('exportCsv'),
              ),
              h(
                'a',
                {
                  class: 'button small-button',
                  href: flagExportUrl('geojson', f),
                  download: 'flags.geojson',
                  'data-testid': 'export-geojson',
                },
                t('exportGeojson'),
              ),
            )
          : null,
      ),
    )
  }

  private listView(): HTMLElement {
    if (this.listError) return inlineError(this.listError, () => void this.loadList())
    const l = this.list
    if (!l) return h('p', { class: 'muted' }, t('loading'))
    return h(
      'div',
      {},
      h(
        'p',
        { class: 'small muted', 'data-testid': 'flag-total' },
        t('flagTotal', { n: l.total, shown: l.flags.length }),
      ),
      l.flags.length
        ? h(
            'ul',
            { class: 'item-list flag-list', 'data-testid': 'flag-list' },
            l.flags.map((f) =>
              h(
                'li',
                {},
                h(
                  'button',
                  { type: 'button', 'data-flag': f.id, onclick: () => void this.showFlag(f.id) },
                  h('span', { class: 'dot', style: `background:${stateColor(f.state)}` }),
                  h(
                    'span',
                    { class: 'flag-line' },
                    h('span', {}, `#${f.id} ${categoryLabel(f)}`),
                    h(
                      'span',
                      { class: 'small muted' },
                      `${f.routing.accountableCellName ?? f.routing.cellName ?? '—'} · ${formatDateTime(f.createdAt)}`,
                    ),
                  ),
                  h('span', { class: 'meta' }, stateBadge(f.state), ...urgencyBadges(f)),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('flagNone')),
    )
  }

  private detailView(): HTMLElement {
    const back = h(
      'button',
      { type: 'button', class: 'button', 'data-testid': 'flag-back', onclick: () => void this.showList() },
      `← ${t(this.kind === 'inbox' ? 'inboxBack' : 'flagListBack')}`,
    )
    if (this.flagError)
      return h(
        'div',
        {},
        back,
        inlineError(this.flagError, () => void this.showFlag(this.flagId!)),
      )
    const f = this.flag
    if (!f) return h('div', {}, back, h('p', { class: 'muted' }, t('loading')))
    const r = f.routing
    const dl = (label: string, value: string | HTMLElement | (HTMLElement | string | null)[]) => [
      h('dt', {}, label),
      h('dd', {}, value),
    ]
    const escalation =
      f.escalationLevel > 0
        ? h(
            'div',
            { class: 'escalation', role: 'alert', 'data-testid': 'flag-escalation' },
            h('strong', {}, t('flagEscalatedTitle', { n: f.escalationLevel })),
            h(
              'div',
              {},
              t('flagEscalatedTo', {
                cell: f.escalatedTo ? `${f.escalatedTo.name ?? ''} ${f.escalatedTo.code}`.trim() : '—',
              }),
            ),
            f.ackEscalatedAt
              ? h(
                  'div',
                  { class: 'small' },
                  t('flagAckMissed', { due: formatDateTime(f.ackDueAt), at: formatDateTime(f.ackEscalatedAt) }),
                )
              : null,
            f.completeEscalatedAt
              ? h(
                  'div',
                  { class: 'small' },
                  t('flagCompleteMissed', {
                    due: formatDateTime(f.completeDueAt),
                    at: formatDateTime(f.completeEscalatedAt),
                  }),
                )
              : null,
          )
        : null
    const where =
      r.missingLevel !== null
        ? t('flagWhereGap', { parent: `${r.cellName ?? ''} ${r.gapParentCode ?? r.cellCode ?? ''}`.trim() })
        : r.cellCode
          ? `${r.cellName ?? ''} ${r.cellCode}`
          : t('popupGapGeneric')
    const actions = actionsFor(this.host.role, f)
    return h(
      'article',
      { class: 'flag-detail', 'data-testid': 'flag-detail', 'data-flag': f.id, 'data-state': f.state },
      back,
      h('h3', { class: 'flag-title' }, `#${f.id} ${categoryLabel(f)} `, stateBadge(f.state), ...urgencyBadges(f)),
      escalation,
      f.description ? h('p', { class: 'description' }, f.description) : null,
      h(
        'dl',
        { class: 'facts' },
        dl(
          t('flagWhere'),
          h('button', { type: 'button', class: 'link', onclick: () => this.host.showOnMap(f) }, where),
        ),
        dl(t('flagDispatchedTo'), [
          r.accountableCellCode ? `${r.accountableCellName ?? ''} ${r.accountableCellCode}` : '—',
          ' · ',
          tKey(`rule_${r.rule ?? 'nobody'}`, r.rule ?? ''),
        ]),
        r.townshipCode ? dl(t('flagTownship'), `${r.townshipName ?? ''} ${r.townshipCode}`) : [],
        dl(
          t('flagReportedBy'),
          `${f.reportedBy?.displayName ?? f.reportedBy?.login ?? '—'} · ${formatDateTime(f.createdAt)}`,
        ),
        f.dispatchedAt
          ? dl(t('flagAckDue'), h('span', { class: f.overdue.ack ? 'late' : '' }, formatDateTime(f.ackDueAt)))
          : [],
        f.dispatchedAt
          ? dl(
              t('flagCompleteDue'),
              h('span', { class: f.overdue.completion ? 'late' : '' }, formatDateTime(f.completeDueAt)),
            )
          : [],
        f.sameAsReports ? dl(t('flagSameAs'), String(f.sameAsReports)) : [],
      ),
      f.assignees.length
        ? [
            h('h3', {}, t('flagAssignees')),
            h(
              'ul',
              { class: 'assignees' },
              f.assignees.map((a) =>
                h(
                  'li',
                  { 'data-reason': a.reason },
                  h('span', { class: 'role' }, tKey(`role_${a.role}`, a.role)),
                  ' ',
                  h('strong', {}, displayName(a)),
                  a.phone
                    ? [' ', h('a', { class: 'tel', href: `tel:${a.phone.replace(/[^\d+]/g, '')}` }, a.phone)]
                    : null,
                  h(
                    'span',
                    { class: 'small muted' },
                    ` ${a.cellName} ${a.cellCode} · ${tKey(`assignReason_${a.reason}`, a.reason)}`,
                  ),
                ),
              ),
            ),
          ]
        : null,
      f.photos.length
        ? [
            h('h3', {}, t('flagPhotos', { n: f.photos.length })),
            h(
              'div',
              { class: 'photos', 'data-testid': 'flag-photos' },
              f.photos.map((p) =>
                h(
                  'a',
                  { href: p.url, target: '_blank', rel: 'noopener' },
                  h('img', { src: p.url, alt: p.filename ?? `#${p.id}`, loading: 'lazy' }),
                ),
              ),
            ),
          ]
        : null,
      actions.length ? this.actionsView(f, actions) : null,
      h('h3', {}, t('flagTimeline')),
      h(
        'ol',
        { class: 'timeline', 'data-testid': 'flag-timeline' },
        f.timeline.map((e) =>
          h(
            'li',
            { 'data-action': e.action, class: e.action === 'escalate' ? 'escalate' : '' },
            h(
              'div',
              { class: 'row' },
              h('strong', {}, tKey(`flagEvent_${e.action}`, e.action)),
              h('span', { class: 'small muted' }, ` ${formatDateTime(e.at)} · ${e.actor.login}`),
            ),
            e.fromState !== e.toState && e.toState
              ? h(
                  'div',
                  { class: 'small' },
                  `${e.fromState ? tKey(`flagState_${e.fromState}`, e.fromState) : '—'} → ${tKey(`flagState_${e.toState}`, e.toState)}`,
                )
              : null,
            e.comment ? h('div', { class: 'comment' }, e.comment) : null,
            e.photoIds.length ? h('div', { class: 'small muted' }, t('flagPhotos', { n: e.photoIds.length })) : null,
          ),
        ),
      ),
    )
  }

  private actionsView(f: FlagDetail, actions: FlagAction[]): HTMLElement {
    const a = this.action
    const stale = this.actionError instanceof ApiError && this.actionError.code === 'stale_version'
    return h(
      'section',
      { class: 'flag-actions', 'data-testid': 'flag-actions' },
      h(
        'div',
        { class: 'actions' },
        actions.map((x) =>
          h(
            'button',
            {
              type: 'button',
              class: `button${x === 'reject' || x === 'return' ? ' danger' : ''}`,
              'data-action': x,
              'aria-pressed': String(a === x),
              disabled: this.acting,
              onclick: () => this.openAction(x),
            },
            tKey(`flagAction_${x}`, x),
          ),
        ),
      ),
      a
        ? h(
            'div',
            { class: 'inline-form' },
            h(
              'label',
              { for: 'flag-comment' },
              COMMENT_REQUIRED.has(a)
                ? t(a === 'feedback' ? 'flagNote' : a === 'reject' ? 'flagReason' : 'flagCommentRequiredLabel')
                : t('flagCommentOptional'),
            ),
            this.comment,
            a === 'feedback'
              ? h(
                  'label',
                  {},
                  t('flagFeedbackPhotos', { n: PHOTO_LIMITS.maxCount, max: formatBytes(PHOTO_LIMITS.maxBytes) }),
                  this.photos,
                  this.photoProblems.map((p) => h('div', { class: 'small warn' }, p)),
                )
              : null,
            h(
              'div',
              { class: 'actions' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'button primary',
                  'data-testid': 'flag-action-confirm',
                  disabled: this.acting,
                  onclick: () => void this.act(),
                },
                this.acting ? t('saving') : t('flagConfirmAction', { action: tKey(`flagAction_${a}`, a) }),
              ),
              h('button', { type: 'button', class: 'button', onclick: () => this.openAction(a) }, t('cancel')),
            ),
          )
        : null,
      this.actionError
        ? h(
            'div',
            { class: 'inline-error', role: 'alert', 'data-testid': 'flag-action-error' },
            errorMessage(this.actionError).message,
            this.actionError instanceof ApiError
              ? h('span', { class: 'small muted' }, ` (${this.actionError.status} ${this.actionError.code})`)
              : null,
            stale
              ? h(
                  'div',
                  {},
                  h(
                    'button',
                    { type: 'button', class: 'button', onclick: () => void this.showFlag(f.id) },
                    t('staleReload'),
                  ),
                )
              : null,
          )
        : null,
    )
  }
}
