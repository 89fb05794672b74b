// The bar across the top: the region, the search box, a button per panel the role has, the language
// switch and who is signed in.
import { lang, setLanguage, t, tKey, displayName } from '../i18n/index.js'
import type { PanelName } from '../map/url-state.js'
import { clear, h } from '../util/dom.js'
import type { AppContext } from './context.js'

export class Topbar {
  readonly el = h('header', { class: 'topbar' })
  /** the notifications bell (signed-in users), kept across re-renders */
  bell: HTMLElement | null = null

  constructor(
    private readonly app: AppContext,
    private readonly search: HTMLElement,
  ) {}

  render() {
    const { app } = this
    const user = app.session?.user
    const role = app.role()
    const panelButton = (panel: PanelName, label: string) =>
      h(
        'button',
        {
          type: 'button',
          class: 'topbar-button',
          'aria-pressed': String(app.url.state.panel === panel),
          'data-panel': panel,
          onclick: () => app.sidePanel.toggle(panel),
        },
        label,
      )
    clear(
      this.el,
      h(
        'div',
        { class: 'brand' },
        t('appShort'),
        h('small', {}, app.region ? `${displayName(app.region)} ${app.region.code}` : ''),
      ),
      this.search,
      h('div', { class: 'spacer' }),
      panelButton('coverage', t('panelCoverage')),
      role !== 'inspector' && role !== 'unit_officer' ? panelButton('supervisor', t('panelSupervisor')) : null,
      app.panels.patrol ? panelButton('patrol', t('panelPatrol')) : null,
      app.panels.inspections ? panelButton('inspections', t('panelInspections')) : null,
      app.panels.flags ? panelButton('flags', role === 'supervisor' ? t('panelInbox') : t('panelFlags')) : null,
      app.panels.edit ? panelButton('edit', t('panelEdit')) : null,
      app.panels.ledger ? panelButton('ledger', t('panelLedger')) : null,
      app.panels.assessment ? panelButton('assessment', t('panelAssessment')) : null,
      app.panels.units ? panelButton('units', t('panelUnits')) : null,
      user ? this.bell : null,
      h(
        'button',
        {
          type: 'button',
          class: 'topbar-button',
          title: t('switchLanguageTitle'),
          'data-testid': 'lang-switch',
          onclick: () => setLanguage(lang() === 'zh' ? 'en' : 'zh'),
        },
        t('switchLanguage'),
      ),
      h(
        'div',
        { class: 'user-box' },
        user
          ? [
              h(
                'span',
                { class: 'who' },
                t('signedInAs', { name: user.displayName, role: tKey(`role_${user.role}`, user.role) }),
              ),
              h(
                'button',
                { type: 'button', class: 'topbar-button', onclick: () => void app.signIn.signOut() },
                t('signOut'),
              ),
            ]
          : app.config.publicMap
            ? h('button', { type: 'button', class: 'topbar-button', onclick: () => app.signIn.show() }, t('signIn'))
            : null,
      ),
    )
  }
}
