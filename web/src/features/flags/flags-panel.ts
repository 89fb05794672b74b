// Flags: a supervisor's inbox (their cells' flags, counts by state), the county officers' list with
// filters and CSV/GeoJSON export, an inspector's own reports (list-view.ts), and a flag's detail
// (detail-view.ts) with the workflow buttons the server allows this user (action-form.ts). This class
// holds what is shown and loads it; the views draw it.
import { isAbort, type ApiClient } from '../../api/client.js'
import type { Flag, FlagCategory, FlagDetail, FlagFilters, FlagInbox, FlagList, UserRole } from '../../api/types.js'
import { t } from '../../i18n/index.js'
import { clear, h } from '../../util/dom.js'
import { FlagActionForm } from './action-form.js'
import { detailView } from './detail-view.js'
import { inboxHeader, listHeader, listView, type ListViewState } from './list-view.js'
import { flagRules, type FlagRules } from './rules.js'

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

type ListKind = 'inbox' | 'list'

export class FlagsPanel {
  readonly el = h('div', { class: 'flags', 'data-testid': 'flags-panel' })
  /** the server's flag rules (map-config flagRules) */
  private readonly rules: FlagRules = flagRules()
  private readonly kind: ListKind
  private filters: FlagFilters
  private list: FlagList | FlagInbox | null = null
  private listError: unknown = null
  private listController: AbortController | null = null
  private categories: FlagCategory[] = []
  private flagId: number | null = null
  private flag: FlagDetail | null = null
  private flagError: unknown = null
  private readonly form: FlagActionForm

  constructor(private readonly host: FlagHost) {
    this.kind = host.role === 'supervisor' ? 'inbox' : 'list'
    this.filters = host.role === 'inspector' ? { mine: true } : {}
    this.form = new FlagActionForm({
      api: host.api,
      rules: this.rules,
      render: () => this.render(),
      acted: (flag) => {
        this.flag = flag
        this.list = null
        host.flagsChanged()
      },
      reload: (id) => void this.showFlag(id),
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
    this.form.close(true)
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
    this.form.close()
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

  // ---- rendering -----------------------------------------------------------------------------------

  render() {
    if (this.flagId !== null) {
      const id = this.flagId
      return clear(
        this.el,
        detailView({
          backLabel: t(this.kind === 'inbox' ? 'inboxBack' : 'flagListBack'),
          back: () => void this.showList(),
          flag: this.flag,
          flagError: this.flagError,
          reload: () => void this.showFlag(id),
          showOnMap: (flag) => this.host.showOnMap(flag),
          actions: (flag) => this.form.view(flag),
        }),
      )
    }
    const state: ListViewState = {
      role: this.host.role,
      rules: this.rules,
      filters: this.filters,
      list: this.list,
      listError: this.listError,
      categories: this.categories,
      townships: () => this.host.townships(),
      setFilter: (patch) => this.setFilter(patch),
      reload: () => void this.loadList(),
      open: (id) => void this.showFlag(id),
    }
    clear(this.el, this.kind === 'inbox' ? inboxHeader(state) : listHeader(state), listView(state))
  }
}
