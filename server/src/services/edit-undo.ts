// "Undo this change": resolves an undo request into the steps that put back every cell a saved edit
// touched (the cell named, the neighbours it trimmed, the cells it created or retired) exactly as they
// were just before it. The steps then run through the same code as every other edit (boundary-edit
// .service.ts): previewed and rolled back, or applied in one transaction, validated, rematched, audited.
// Restoring a single cell's older version cannot do this: the neighbours it trimmed stay trimmed.
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import * as edits from '../db/repositories/edits.repository.js'
import { AppError, conflict, notFound } from '../errors.js'

export interface UndoPlan {
  steps: (
    | { do: 'retire'; cellId: number }
    | { do: 'unretire'; cellId: number }
    | { do: 'revert'; cellId: number; versionRowId: number }
  )[]
  cells: edits.LockedCell[]
  newGeometries: string[]
  parentIds: number[]
  trimSiblings: false
}

export async function resolveUndo(tx: Transaction<DB>, editId: number): Promise<UndoPlan> {
  if (!Number.isSafeInteger(editId) || !(await edits.editExists(tx, editId))) throw notFound('edit', String(editId))
  const locked = await edits.lockCells(
    tx,
    (await edits.editedCells(tx, editId)).map((w) => w.code),
  )
  // read again under the locks: what is compared is what the undo will change
  const written = await edits.editedCells(tx, editId)
  const plan: UndoPlan = { steps: [], cells: locked, newGeometries: [], parentIds: [], trimSiblings: false }
  for (const w of written) {
    const cell = locked.find((c) => c.id === w.cell_id)!
    // only what the edit left can be undone: a later change to any touched cell must be undone first
    // (a later change that was itself undone leaves the cell as the edit left it, only at a newer version)
    if (!w.unchanged_since) {
      throw conflict(
        'stale_version',
        `cell ${cell.code} changed after edit ${editId} (it is at version ${cell.version}, the edit left version ${w.version_after}); undo the later change first`,
        {
          code: cell.code,
          currentVersion: cell.version,
          editVersion: w.version_after,
        },
      )
    }
    const existedBefore = w.prior_row_id !== null && w.prior_retired === false
    if (!existedBefore) {
      if (cell.retired_at) continue
      if (cell.has_children) {
        throw new AppError(
          422,
          'has_children',
          `cell ${cell.code} did not exist before edit ${editId} but now has child cells; delete them first`,
          { cell: cell.code },
        )
      }
      plan.steps.push({ do: 'retire', cellId: cell.id })
      continue
    }
    if (cell.retired_at) plan.steps.push({ do: 'unretire', cellId: cell.id })
    plan.steps.push({ do: 'revert', cellId: cell.id, versionRowId: w.prior_row_id! })
    plan.newGeometries.push(w.prior_geometry!)
  }
  plan.parentIds = [...new Set(locked.map((c) => c.parent_id).filter((p): p is number => p !== null))]
  return plan
}
