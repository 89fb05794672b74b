// The change under review: the server previews it (POST /api/edits/preview runs it and rolls back), the
// panel shows what it would do, and only a typed reason and a confirmation save it (POST /api/edits) —
// exactly what the preview showed. Refusals show the server's reason and the places it names; a 409
// (someone else changed the cell) shows the current boundary and offers a reload.
import type { Geometry } from 'geojson'
import type { EditChange, EditRequest, EditResult } from '../../api/types.js'
import { t } from '../../i18n/index.js'
import { editErrorView, previewPlaces, previewView, problemLocations, staleState } from '../../panels/edit-preview.js'
import { h } from '../../util/dom.js'
import type { EditHost, PendingChange, ToolName } from './edit-tool.js'

/** What the review needs of the edit panel. */
export interface ReviewOwner {
  readonly host: EditHost
  /** the panel: the first place a preview names is scrolled into view in it */
  readonly el: HTMLElement
  render(): void
  clearNotice(): void
  /** a change was saved: the panel moves on to the cell the user wants to see next */
  saved(result: EditResult, change: EditChange): Promise<void>
  /** after a 409: the cell as it is now, and `tool` started again (the edit is discarded) */
  reload(tool: ToolName): Promise<void>
}

export class EditReview {
  pending: PendingChange | null = null
  private preview: EditResult | null = null
  private previewError: unknown = null
  previewing = false
  saving = false
  // kept across renders so typed text survives
  private readonly reason = h('textarea', { rows: 2, maxlength: 2000, 'data-testid': 'edit-reason', id: 'edit-reason' })

  constructor(private readonly owner: ReviewOwner) {
    this.reason.addEventListener('input', () => this.updateSaveButton())
  }

  /** Nothing under review any more (the preview and its error go too). */
  clear() {
    this.pending = null
    this.preview = null
    this.previewError = null
  }

  /** Previews a change (from a tool, or from the coverage panel's fix-a-gap helpers). */
  async review(change: EditChange, title: string, tool: ToolName) {
    const { host } = this.owner
    this.pending = { change, title, tool }
    this.preview = null
    this.previewError = null
    this.previewing = true
    this.owner.clearNotice()
    host.mark([])
    this.owner.render()
    try {
      // the server wants a reason with the preview too; it is not kept (nothing is written)
      const result = await host.api.previewEdit({
        ...change,
        reason: this.reason.value.trim() || 'preview',
      } as EditRequest)
      if (this.pending?.change !== change) return
      this.preview = result
      host.mark(previewPlaces(result))
    } catch (e) {
      if (this.pending?.change !== change) return
      this.showFailure(e)
    } finally {
      this.previewing = false
    }
    this.owner.render()
    // the first place the preview or the error names is where the user should look
    this.owner.el
      .querySelector<HTMLElement>('[data-testid=edit-preview], [data-testid=edit-error]')
      ?.scrollIntoView({ block: 'nearest' })
  }

  private async save() {
    const pending = this.pending
    const reason = this.reason.value.trim()
    if (!pending || !this.preview || !reason) return
    this.saving = true
    this.owner.render()
    try {
      const result = await this.owner.host.api.applyEdit({ ...pending.change, reason } as EditRequest)
      this.reason.value = ''
      await this.owner.saved(result, pending.change)
    } catch (e) {
      this.preview = null
      this.showFailure(e)
    } finally {
      this.saving = false
    }
    this.owner.render()
  }

  /** A refusal: its places on the map, and for a 409 the boundary as it is now. */
  private showFailure(e: unknown) {
    this.previewError = e
    this.owner.host.mark(problemLocations(e))
    const stale = staleState(e)
    if (stale?.geometry) this.owner.host.showOutline(stale.geometry as Geometry)
  }

  private backToTool() {
    this.clear()
    this.owner.host.mark([])
    this.owner.host.showOutline(null)
    this.owner.render()
  }

  updateSaveButton() {
    const button = this.owner.el.querySelector<HTMLButtonElement>('[data-testid=edit-save]')
    if (button) button.disabled = this.saving || !this.preview || !this.reason.value.trim()
  }

  view(): HTMLElement | null {
    const p = this.pending
    if (!p) return null
    const { host } = this.owner
    const save = h(
      'button',
      { type: 'button', class: 'button primary', 'data-testid': 'edit-save', onclick: () => void this.save() },
      this.saving ? t('saving') : t('editSave'),
    )
    const back = () =>
      h(
        'button',
        { type: 'button', class: 'button', 'data-testid': 'edit-back', onclick: () => this.backToTool() },
        t('back'),
      )
    return h(
      'section',
      { class: 'review', 'data-testid': 'edit-review', 'aria-live': 'polite' },
      h('h3', {}, t('previewTitle', { what: p.title })),
      this.previewing ? h('p', { class: 'muted' }, t('previewLoading')) : null,
      this.previewError
        ? editErrorView(this.previewError, {
            flyTo: (pt) => host.flyTo(pt),
            reload: () => void this.owner.reload(this.pending?.tool ?? 'home'),
          })
        : null,
      this.preview ? previewView(this.preview, { flyTo: (pt) => host.flyTo(pt) }) : null,
      this.preview
        ? h(
            'div',
            { class: 'confirm' },
            h('label', { for: 'edit-reason' }, t('editReason')),
            this.reason,
            h('div', { class: 'actions' }, save, back()),
          )
        : !this.previewing
          ? h('div', { class: 'actions' }, back())
          : null,
    )
  }
}
