// The search box: cell code or name, person name, parcel id. Picking a hit hands it to the app,
// which flies there and highlights it.
import { isAbort, type ApiClient } from '../api/client.js'
import type { SearchHit } from '../api/types.js'
import { t, tKey } from '../i18n/index.js'
import { clear, debounce, h } from '../util/dom.js'
import { errorMessage } from './errors.js'

export class SearchBox {
  readonly el: HTMLElement
  private input = h('input', {
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
    role: 'combobox',
    'aria-expanded': 'false',
    'aria-controls': 'search-results',
    'data-testid': 'search-input',
  })
  private list = h('ul', {
    class: 'search-results',
    id: 'search-results',
    role: 'listbox',
    hidden: true,
    'data-testid': 'search-results',
  })
  private hits: SearchHit[] = []
  private active = -1
  private controller: AbortController | null = null
  private readonly run = debounce((q: string) => void this.query(q), 220)

  constructor(
    private readonly api: ApiClient,
    private readonly onPick: (hit: SearchHit) => void,
  ) {
    this.el = h(
      'div',
      { class: 'search', role: 'search' },
      h('label', { class: 'visually-hidden', for: 'search-input' }, t('searchPlaceholder')),
      this.input,
      this.list,
    )
    this.input.id = 'search-input'
    this.input.addEventListener('input', () => {
      const q = this.input.value.trim()
      if (!q) return this.close()
      this.run(q)
    })
    this.input.addEventListener('keydown', (e) => this.onKey(e))
    this.input.addEventListener('focus', () => {
      if (this.hits.length) this.open()
    })
    document.addEventListener('click', (e) => {
      if (!this.el.contains(e.target as Node)) this.close()
    })
    this.render()
  }

  render() {
    this.input.placeholder = t('searchPlaceholder')
  }

  private async query(q: string) {
    this.controller?.abort()
    const controller = new AbortController()
    this.controller = controller
    try {
      this.hits = await this.api.search(q, controller.signal)
      this.active = this.hits.length ? 0 : -1
      this.renderList(q)
    } catch (e) {
      if (isAbort(e)) return
      this.hits = []
      clear(this.list, h('li', { class: 'empty inline-error' }, errorMessage(e).message))
      this.open()
    }
  }

  private renderList(q: string) {
    clear(
      this.list,
      this.hits.length
        ? this.hits.map((hit, i) =>
            h(
              'li',
              { role: 'option', 'aria-selected': String(i === this.active) },
              h(
                'button',
                {
                  type: 'button',
                  class: i === this.active ? 'active' : '',
                  'data-type': hit.type,
                  'data-key': hit.key,
                  onclick: () => this.pick(hit),
                },
                h('span', { class: `type ${hit.type}` }, tKey(`searchType_${hit.type}`, hit.type)),
                h('span', {}, hit.label),
                h('span', { class: 'detail' }, hit.type === 'cell' ? hit.key : hit.detail),
              ),
            ),
          )
        : h('li', { class: 'empty' }, t('searchNoResults', { q })),
    )
    this.open()
  }

  private onKey(e: KeyboardEvent) {
    if (e.key === 'Escape') return this.close()
    if (!this.hits.length) return
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + this.hits.length) % this.hits.length
      this.renderList(this.input.value.trim())
    } else if (e.key === 'Enter') {
      e.preventDefault()
      const hit = this.hits[Math.max(0, this.active)]
      if (hit) this.pick(hit)
    }
  }

  private pick(hit: SearchHit) {
    this.close()
    this.input.value = hit.type === 'cell' ? `${hit.label} ${hit.key}` : hit.label
    this.input.blur()
    this.onPick(hit)
  }

  private open() {
    this.list.hidden = false
    this.input.setAttribute('aria-expanded', 'true')
  }

  private close() {
    this.list.hidden = true
    this.input.setAttribute('aria-expanded', 'false')
  }
}
