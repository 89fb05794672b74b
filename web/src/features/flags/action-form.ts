// The workflow buttons of an open flag and the form behind each: exactly the actions the server lists
// in the flag's allowedActions (what this user may do on it now), a comment where the server's rules
// require one, and photos with the handler's feedback. A refusal (403 role or four-eyes, 409 stale
// version or illegal transition) is shown with the server's message; a stale flag can be reloaded.
import { ApiError, type ApiClient } from '../../api/client.js'
import type { FlagAction, FlagDetail } from '../../api/types.js'
import { t, tKey } from '../../i18n/index.js'
import { h } from '../../util/dom.js'
import { errorMessage } from '../../panels/errors.js'
import { checkPhotoFiles, photoLimitParams, photoProblemTexts } from './photos.js'
import { needsComment, type FlagRules } from './rules.js'

export interface ActionFormHost {
  api: ApiClient
  rules: FlagRules
  /** draw the panel again */
  render(): void
  /** the server took the action: this is the flag now */
  acted(flag: FlagDetail): void
  /** load the flag again (after a stale-version refusal) */
  reload(id: number): void
}

export class FlagActionForm {
  private action: FlagAction | null = null
  private error: unknown = null
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

  constructor(private readonly host: ActionFormHost) {
    this.photos.addEventListener('change', () => {
      const { problems } = checkPhotoFiles([...(this.photos.files ?? [])], host.rules.photos)
      this.photoProblems = photoProblemTexts(problems, host.rules.photos)
      host.render()
    })
  }

  /** Closes the form (another flag, or back to the list); `keepError` leaves a refusal on show. */
  close(keepError = false) {
    this.action = null
    if (!keepError) this.error = null
  }

  private open(a: FlagAction) {
    this.action = this.action === a ? null : a
    this.error = null
    this.comment.value = ''
    this.photos.value = ''
    this.photoProblems = []
    this.host.render()
    this.comment.focus()
  }

  private async act(f: FlagDetail) {
    const a = this.action
    if (!a) return
    const comment = this.comment.value.trim()
    if (needsComment(this.host.rules, a) && !comment) {
      this.error = new Error(t('flagCommentRequired'))
      return this.host.render()
    }
    const { accepted } = checkPhotoFiles([...(this.photos.files ?? [])], this.host.rules.photos)
    this.acting = true
    this.error = null
    this.host.render()
    try {
      const flag = await this.host.api.flagAction(f.id, a, {
        version: f.version,
        comment,
        photos: a === 'feedback' ? accepted : undefined,
      })
      this.action = null
      this.host.acted(flag)
    } catch (e) {
      this.error = e
    } finally {
      this.acting = false
    }
    this.host.render()
  }

  /** The buttons (the flag's allowedActions) and the open form; null when this user may do nothing. */
  view(f: FlagDetail): HTMLElement | null {
    if (!f.allowedActions.length) return null
    const a = this.action
    return h(
      'section',
      { class: 'flag-actions', 'data-testid': 'flag-actions' },
      h(
        'div',
        { class: 'actions' },
        f.allowedActions.map((x) =>
          h(
            'button',
            {
              type: 'button',
              class: `button${x === 'reject' || x === 'return' ? ' danger' : ''}`,
              'data-action': x,
              'aria-pressed': String(a === x),
              disabled: this.acting,
              onclick: () => this.open(x),
            },
            tKey(`flagAction_${x}`, x),
          ),
        ),
      ),
      a ? this.formView(f, a) : null,
      this.error ? this.errorView(f, this.error) : null,
    )
  }

  private formView(f: FlagDetail, a: FlagAction): HTMLElement {
    return h(
      'div',
      { class: 'inline-form' },
      h(
        'label',
        { for: 'flag-comment' },
        needsComment(this.host.rules, a)
          ? t(a === 'feedback' ? 'flagNote' : a === 'reject' ? 'flagReason' : 'flagCommentRequiredLabel')
          : t('flagCommentOptional'),
      ),
      this.comment,
      a === 'feedback'
        ? h(
            'label',
            {},
            t('flagFeedbackPhotos', photoLimitParams(this.host.rules.photos)),
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
            onclick: () => void this.act(f),
          },
          this.acting ? t('saving') : t('flagConfirmAction', { action: tKey(`flagAction_${a}`, a) }),
        ),
        h('button', { type: 'button', class: 'button', onclick: () => this.open(a) }, t('cancel')),
      ),
    )
  }

  private errorView(f: FlagDetail, error: unknown): HTMLElement {
    const stale = error instanceof ApiError && error.code === 'stale_version'
    return h(
      'div',
      { class: 'inline-error', role: 'alert', 'data-testid': 'flag-action-error' },
      errorMessage(error).message,
      error instanceof ApiError ? h('span', { class: 'small muted' }, ` (${error.status} ${error.code})`) : null,
      stale
        ? h(
            'div',
            {},
            h('button', { type: 'button', class: 'button', onclick: () => this.host.reload(f.id) }, t('staleReload')),
          )
        : null,
    )
  }
}
