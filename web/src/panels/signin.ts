// The sign-in form, shown over the map when the public map is off and nobody is signed in. In demo
// mode it lists the demo accounts (the server says so in /api/map-config).
import type { ApiClient } from '../api/client.js'
import type { MapConfig, Session } from '../api/types.js'
import { t } from '../i18n/index.js'
import { h } from '../util/dom.js'
import { errorMessage } from './errors.js'

export const DEMO_LOGINS = [
  'demo-admin',
  'demo-supervisor',
  'demo-inspector',
  'demo-viewer',
  'demo-unit',
  'demo-reviewer',
] as const
export const DEMO_PASSWORD = 'everyinch-demo'

export function signInOverlay(api: ApiClient, config: MapConfig, onSignedIn: (s: Session) => void): HTMLElement {
  const login = h('input', { name: 'login', autocomplete: 'username', required: true, id: 'signin-login' })
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    id: 'signin-password',
  })
  const error = h('div', { class: 'inline-error', role: 'alert', hidden: true })
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('signIn'))
  const form = h(
    'form',
    { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, t('appTitle')),
    h('p', { class: 'muted' }, t('signInIntro')),
    h('label', { for: 'signin-login' }, t('login')),
    login,
    h('label', { for: 'signin-password' }, t('password')),
    password,
    error,
    h('div', { class: 'actions' }, h('span'), submit),
    config.demo
      ? h(
          'div',
          { class: 'demo-box', 'data-testid': 'demo-accounts' },
          h('strong', {}, t('demoAccounts')),
          h('div', {}, t('demoHint', { password: DEMO_PASSWORD })),
          h(
            'ul',
            {},
            DEMO_LOGINS.map((name) =>
              h(
                'li',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    onclick: () => {
                      login.value = name
                      password.value = DEMO_PASSWORD
                      submit.focus()
                    },
                  },
                  name,
                ),
              ),
            ),
          ),
        )
      : null,
  )
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    submit.disabled = true
    submit.textContent = t('signingIn')
    error.hidden = true
    try {
      onSignedIn(await api.signIn(login.value.trim(), password.value))
    } catch (e) {
      error.textContent = errorMessage(e).message
      error.hidden = false
      submit.disabled = false
      submit.textContent = t('signIn')
    }
  })
  const overlay = h('div', { class: 'signin-overlay' }, form)
  setTimeout(() => login.focus(), 0)
  return overlay
}
