// "Clip to the parent" and "trim the siblings": the choices a drawn boundary is saved with. One pair for
// the whole panel, so a choice the user made stays made from one tool to the next.
import { t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'

export class EditOptions {
  readonly clip = h('input', { type: 'checkbox', 'data-testid': 'clip-to-parent' })
  readonly trim = h('input', { type: 'checkbox', 'data-testid': 'trim-siblings' })

  constructor() {
    this.clip.checked = true
    this.trim.checked = true
  }

  view(): HTMLElement {
    return h(
      'div',
      { class: 'edit-options' },
      h('label', {}, this.clip, ' ', t('optClipToParent')),
      h('label', {}, this.trim, ' ', t('optTrimSiblings')),
    )
  }
}
