// "Undo this change" in a cell's history: a version written by a saved edit can be undone as a whole.
// Restoring the cell's previous version alone would leave the neighbours that edit trimmed as they are
// (a new gap); the undo puts back every cell the edit touched. It goes through the same preview →
// reason → confirm flow as every other edit; the server refuses (409, naming the cell) if any of those
// cells changed since.
import type { CellVersion, EditChange } from '../../api/types.js'
import { t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'

/** The undo for a history version, or null when no saved edit wrote it (imports, old history). */
export function undoChange(v: Pick<CellVersion, 'editId' | 'version'>): { change: EditChange; title: string } | null {
  if (v.editId === null || v.editId === undefined) return null
  return { change: { operation: 'undo', editId: v.editId }, title: t('historyUndoTitle', { v: v.version }) }
}

/** The history list's "Undo this change…" button, opening the preview through review(). */
export function undoButton(v: CellVersion, review: (change: EditChange, title: string) => void): HTMLElement | null {
  const undo = undoChange(v)
  if (!undo) return null
  return h(
    'button',
    {
      type: 'button',
      class: 'button',
      title: t('historyUndoHint'),
      'data-testid': 'history-undo',
      'data-edit-id': String(v.editId),
      onclick: () => review(undo.change, undo.title),
    },
    t('historyUndo'),
  )
}
