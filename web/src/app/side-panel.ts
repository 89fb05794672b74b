// The side panel (a bottom sheet on a phone) that shows one panel at a time, and the "report" button
// that opens the report form. Which panel is open is part of the URL.
import { t } from '../i18n/index.js'
import type { PanelName } from '../map/url-state.js'
import { clear, h } from '../util/dom.js'
import type { AppContext } from './context.js'

export const PHONE = '(max-width: 700px)'

export class SidePanel {
  readonly el = h('aside', { class: 'side-panel', hidden: true, 'data-testid': 'side-panel' })
  readonly fab = h('button', { type: 'button', class: 'fab', 'data-testid': 'report-fab', hidden: true })
  private readonly title = h('h2')
  private readonly body = h('div', { class: 'panel-body' })

  constructor(
    private readonly app: AppContext,
    /** gets "with-panel" while a panel is open */
    private readonly workspace: HTMLElement,
  ) {
    const grip = h('span', { class: 'panel-grip', 'aria-hidden': 'true' })
    const header = h(
      'div',
      { class: 'panel-header' },
      grip,
      this.title,
      h(
        'button',
        {
          class: 'icon-button peek-toggle',
          type: 'button',
          'aria-label': t('panelToggle'),
          onclick: () => this.el.classList.toggle('peek'),
        },
        '↕',
      ),
      h(
        'button',
        {
          class: 'icon-button',
          type: 'button',
          'aria-label': t('close'),
          'data-testid': 'panel-close',
          onclick: () => this.open(undefined),
        },
        '×',
      ),
    )
    this.el.append(header, this.body)
    this.fab.addEventListener('click', () => this.open('report'))
    this.renderFab()
  }

  renderFab() {
    this.fab.textContent = `＋ ${t('reportButton')}`
  }

  toggle(panel: PanelName) {
    this.open(this.app.url.state.panel === panel ? undefined : panel)
  }

  /** Opens a panel (undefined: none; 'layers': only the legend, which is not in the side panel). */
  open(panel: PanelName | undefined) {
    const { url, panels, legend } = this.app
    const previous = url.state.panel
    // panels the signed-in role cannot use are not opened (a shared link may name one)
    if (
      (panel === 'edit' && !panels.edit) ||
      (panel === 'flags' && !panels.flags) ||
      (panel === 'report' && !panels.report) ||
      (panel === 'ledger' && !panels.ledger) ||
      (panel === 'assessment' && !panels.assessment) ||
      (panel === 'units' && !panels.units) ||
      (panel === 'patrol' && !panels.patrol) ||
      (panel === 'inspections' && !panels.inspections)
    )
      panel = undefined
    url.state.panel = panel
    if (previous !== panel) {
      if (previous === 'edit') panels.edit?.deactivate()
      if (previous === 'report') panels.report?.deactivate()
      if (previous === 'inspections') panels.inspections?.deactivate()
    }
    const side = panel && panel !== 'layers' ? panel : undefined
    this.el.hidden = !side
    this.fab.hidden = !panels.report || side === 'report'
    this.el.classList.remove('peek')
    // the loop's tables and charts want room: a wider panel on a desk, the whole sheet on a phone
    this.el.classList.toggle('wide', side === 'ledger' || side === 'assessment' || side === 'units')
    this.workspace.classList.toggle('with-panel', Boolean(side))
    if (matchMedia(PHONE).matches && side && !legend.el.classList.contains('collapsed')) legend.setCollapsed(true)
    if (side === 'coverage' && panels.coverage) {
      this.title.textContent = t('coverageTitle')
      clear(this.body, panels.coverage.el)
      const sel = url.state.selection
      panels.coverage.ensure(sel?.kind === 'cell' ? { cell: sel.code } : { region: this.app.region!.code })
    } else if (side === 'supervisor' && panels.supervisor) {
      this.title.textContent = t('supervisorTitle')
      clear(this.body, panels.supervisor.el)
    } else if (side === 'edit' && panels.edit) {
      this.title.textContent = t('editTitle')
      clear(this.body, panels.edit.el)
      const sel = url.state.selection
      void panels.edit.setCell(sel?.kind === 'cell' ? sel.code : null)
    } else if (side === 'flags' && panels.flags) {
      this.title.textContent = this.app.role() === 'supervisor' ? t('inboxTitle') : t('flagsTitle')
      clear(this.body, panels.flags.el)
      if (url.state.selection?.kind !== 'flag' && panels.flags.currentFlag() === null) void panels.flags.showList()
    } else if (side === 'report' && panels.report) {
      this.title.textContent = t('reportTitle')
      clear(this.body, panels.report.el)
      if (previous !== 'report') panels.report.activate()
    } else if (side === 'inspections' && panels.inspections) {
      this.title.textContent = t('inspectionsTitle')
      clear(this.body, panels.inspections.el)
      if (previous !== 'inspections') panels.inspections.activate()
    } else if (side === 'patrol' && panels.patrol) {
      this.title.textContent = t('patrolTitle')
      clear(this.body, panels.patrol.el)
      panels.patrol.activate()
    } else if ((side === 'ledger' || side === 'assessment' || side === 'units') && panels[side]) {
      this.title.textContent = t(
        side === 'ledger' ? 'ledgerTitle' : side === 'assessment' ? 'assessmentTitle' : 'unitsTitle',
      )
      // shown anew (also when a link opens the page on it): load what it shows
      const shown = panels[side].el.parentElement === this.body
      clear(this.body, panels[side].el)
      if (!shown) panels[side].activate()
    }
    this.app.topbar.render()
    this.app.map?.resize()
    url.writeHash()
  }
}
