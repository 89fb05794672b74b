// Failed requests are shown with the server's own message (ApiError carries it), never as a blank.
import { ApiError, isAbort } from '../api/client.js'
import { t } from '../i18n/index.js'
import { h } from '../util/dom.js'

export function errorMessage(e: unknown): { message: string; code: string | null } {
  if (e instanceof ApiError) {
    return { message: e.status === 0 ? `${t('errorNetwork')}: ${e.message}` : e.message, code: e.code }
  }
  return { message: e instanceof Error ? e.message : String(e), code: null }
}

/** An inline error block for a panel. */
export function inlineError(e: unknown, retry?: () => void): HTMLElement {
  const { message, code } = errorMessage(e)
  return h(
    'div',
    { class: 'inline-error', role: 'alert' },
    message,
    code ? h('span', { class: 'small muted' }, ` (${code})`) : null,
    retry ? h('div', {}, h('button', { class: 'button', type: 'button', onclick: () => retry() }, t('retry'))) : null,
  )
}

export class Toasts {
  readonly el = h('div', { class: 'toasts', 'aria-live': 'assertive' })

  show(e: unknown) {
    if (isAbort(e)) return
    // without a connection a read that fails is expected: the connection banner says so, once
    if (e instanceof ApiError && e.status === 0 && !navigator.onLine) {
      console.warn('offline:', e.message)
      return
    }
    console.error(e)
    const { message, code } = errorMessage(e)
    // one toast per distinct message
    for (const existing of this.el.querySelectorAll<HTMLElement>('.toast'))
      if (existing.dataset.message === message) return
    const toast = h(
      'div',
      { class: 'toast', role: 'alert', 'data-message': message },
      h(
        'div',
        { class: 'text' },
        h('div', { class: 'title' }, t('errorTitle')),
        h('div', {}, message),
        code ? h('div', { class: 'code' }, code) : null,
      ),
      h(
        'button',
        { class: 'icon-button', type: 'button', 'aria-label': t('dismiss'), onclick: () => toast.remove() },
        '×',
      ),
    )
    this.el.append(toast)
    setTimeout(() => toast.remove(), 12000)
  }
}
