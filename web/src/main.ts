// Boot: language, the server's map configuration and the session, then the app.
import 'virtual:map-fonts.css'
import './styles.css'
import './styles-loop.css'
import './styles-field.css'
import { ApiClient } from './api/client.js'
import { initLanguage, t } from './i18n/index.js'
import { App } from './app.js'
import { useFlagRules } from './features/flags/rules.js'
import { errorMessage } from './panels/errors.js'
import { h, clear } from './util/dom.js'
import { useServiceDay } from './util/service-day.js'

async function boot() {
  const root = document.getElementById('app')!
  initLanguage()
  document.title = t('appTitle')
  clear(root, h('p', { style: 'padding: 20px' }, t('loading')))
  let app: App | null = null
  const api = new ApiClient({ onUnauthorized: () => app?.sessionExpired() })
  try {
    const [config, session] = await Promise.all([api.mapConfig(), api.session()])
    useServiceDay(config)
    useFlagRules(config.flagRules)
    app = new App(root, config, session, api)
  } catch (e) {
    clear(
      root,
      h(
        'div',
        { class: 'signin-overlay' },
        h(
          'div',
          { class: 'signin', role: 'alert' },
          h('h1', {}, t('errorTitle')),
          h('p', {}, errorMessage(e).message),
          h('button', { class: 'button primary', type: 'button', onclick: () => location.reload() }, t('retry')),
        ),
      ),
    )
  }
}

void boot()
