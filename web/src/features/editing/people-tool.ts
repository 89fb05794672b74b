// The people tool: who answers for the cell now (and from later dates), ending a responsibility on a
// date, and assigning a person in a role, each after a review of what will be written.
import type { CellDetail, DutyPerson, PersonListItem, Role } from '../../api/types.js'
import { displayName, t, tKey } from '../../i18n/index.js'
import { debounce, h } from '../../util/dom.js'
import { today } from './duties.js'
import type { EditTool, ToolContext } from './edit-tool.js'
import { peopleView } from './people-view.js'

const ROLES: Role[] = ['grid_chief', 'grid_member', 'specialist']

/** The people tool's state, read by its view (people-view.ts). */
export class PeopleTool implements EditTool {
  readonly roles = ROLES
  // inputs kept across renders so typed text survives
  readonly personQuery = h('input', { type: 'search', autocomplete: 'off', 'data-testid': 'assign-person-input' })
  personResults: PersonListItem[] = []
  assignPerson: PersonListItem | null = null
  assignRole: Role = 'grid_member'
  readonly assignStart = h('input', { type: 'date', 'data-testid': 'assign-starts' })
  readonly assignEnd = h('input', { type: 'date', 'data-testid': 'assign-ends' })
  readonly dutyReason = h('input', { type: 'text', maxlength: 1000, 'data-testid': 'duty-reason' })
  /** the responsibility being ended */
  ending: DutyPerson | null = null
  readonly endDate = h('input', { type: 'date', 'data-testid': 'end-date' })
  /** the assignment or ending is shown for review before it is written */
  dutyReview = false
  private readonly findPeople = debounce((q: string) => void this.searchPeople(q), 250)

  constructor(readonly ctx: ToolContext) {
    this.personQuery.addEventListener('input', () => {
      const q = this.personQuery.value.trim()
      if (!q) {
        this.personResults = []
        this.ctx.render()
      } else this.findPeople(q)
    })
  }

  start() {
    this.assignStart.value = today()
    this.assignEnd.value = ''
    this.dutyReason.value = ''
    return Promise.resolve()
  }

  reset() {
    this.ending = null
    this.dutyReview = false
    this.assignPerson = null
  }

  view(c: CellDetail): HTMLElement {
    return peopleView(this, c)
  }

  private async searchPeople(q: string) {
    try {
      this.personResults = await this.ctx.host.api.people(q)
    } catch (e) {
      this.ctx.showError(e)
    }
    this.ctx.render()
  }

  async saveDuty() {
    const cell = this.ctx.cell()
    if (!cell) return
    const { host } = this.ctx
    this.ctx.setBusy(true)
    this.ctx.render()
    try {
      if (this.ending) {
        await host.api.endResponsibility(
          this.ending.responsibilityId,
          this.endDate.value,
          this.dutyReason.value.trim() || undefined,
        )
        this.ctx.setNotice(t('dutyEnded', { name: displayName(this.ending), date: this.endDate.value }))
      } else if (this.assignPerson) {
        await host.api.assignResponsibility({
          personId: this.assignPerson.id,
          cellCode: cell.code,
          role: this.assignRole,
          startsOn: this.assignStart.value,
          endsOn: this.assignEnd.value || null,
          reason: this.dutyReason.value.trim() || undefined,
        })
        this.ctx.setNotice(
          t('dutyAssigned', {
            name: displayName(this.assignPerson),
            role: tKey(`role_${this.assignRole}`, this.assignRole),
            cell: displayName(cell),
          }),
        )
      }
      this.ending = null
      this.assignPerson = null
      this.dutyReview = false
      this.personQuery.value = ''
      this.personResults = []
      this.dutyReason.value = ''
      this.ctx.showError(null)
      await host.saved(null)
      this.ctx.replaceCell(await host.api.cell(cell.code))
    } catch (e) {
      this.ctx.showError(e)
    }
    this.ctx.setBusy(false)
    this.ctx.render()
  }
}
