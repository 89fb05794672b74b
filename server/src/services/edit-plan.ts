// Resolving an edit request into concrete steps (boundary-edit.service.ts runs them): lock the cells it
// names at the versions the client read (409 stale_version with the current state otherwise), check the
// preconditions of each operation (a leaf, the same parent, a shared edge…), and compute the geometry
// each step writes.
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import type { EditRequest } from '../contract/edits.js'
import * as edits from '../db/repositories/edits.repository.js'
import { cellVersions } from '../db/repositories/cell-versions.repository.js'
import { AppError, badRequest, conflict, notFound } from '../errors.js'
import { resolveUndo } from './edit-undo.js'

type Tx = Transaction<DB>

export type Step =
  | { do: 'set'; cellId: number; geojson: string; clip: boolean }
  | { do: 'create'; parentId: number; regionId: number; level: number; name: string; geojson: string; clip: boolean }
  | { do: 'retire'; cellId: number }
  | { do: 'unretire'; cellId: number }
  | { do: 'union'; cellId: number; geojson: string }
  | { do: 'subtract'; cellId: number; geojson: string }
  | { do: 'revert'; cellId: number; versionRowId: number }

export interface Plan {
  steps: Step[]
  /** existing cells the edit changes */
  cells: edits.LockedCell[]
  /** geometries the edit adds (for the area whose accountability is compared) */
  newGeometries: string[]
  parentIds: number[]
  trimSiblings: boolean
}

/** A rule of the grid the edit would break: 422 with the code and the place. */
export const violated = (code: string, message: string, details?: unknown) => new AppError(422, code, message, details)

async function lockOne(tx: Tx, code: string, version: number | undefined): Promise<edits.LockedCell> {
  const [cell] = await edits.lockCells(tx, [code])
  if (!cell || cell.retired_at) throw notFound('cell', code)
  if (version !== undefined && cell.version !== version) throw await stale(tx, cell, version)
  return cell
}

async function stale(tx: Tx, cell: edits.LockedCell, version: number) {
  const current = await edits.cellState(tx, cell.id)
  return conflict(
    'stale_version',
    `cell ${cell.code} is at version ${cell.version}, not ${version}: someone changed it; reload and redo the edit`,
    {
      code: cell.code,
      currentVersion: cell.version,
      current: current
        ? { name: current.name, version: current.version, geometry: JSON.parse(current.geometry) }
        : null,
    },
  )
}

function requireLeaf(cell: edits.LockedCell, what: string) {
  if (cell.has_children)
    throw violated('has_children', `cell ${cell.code} has child cells; ${what} works on cells without children`, {
      cell: cell.code,
    })
}

export async function resolvePlan(tx: Tx, r: EditRequest): Promise<Plan> {
  switch (r.operation) {
    case 'reshape': {
      const cell = await lockOne(tx, r.cellCode, r.version)
      const geojson = JSON.stringify(r.geometry)
      return {
        steps: [{ do: 'set', cellId: cell.id, geojson, clip: r.clipToParent ?? false }],
        cells: [cell],
        newGeometries: [geojson],
        parentIds: parentsOf([cell]),
        trimSiblings: r.trimSiblings ?? false,
      }
    }
    case 'create': {
      const parent = await lockOne(tx, r.parentCode, undefined)
      const geojson = JSON.stringify(r.geometry)
      return {
        steps: [
          {
            do: 'create',
            parentId: parent.id,
            regionId: parent.region_id,
            level: parent.level + 1,
            name: r.name,
            geojson,
            clip: r.clipToParent ?? false,
          },
        ],
        cells: [],
        newGeometries: [geojson],
        parentIds: [parent.id],
        trimSiblings: r.trimSiblings ?? false,
      }
    }
    case 'split': {
      const cell = await lockOne(tx, r.cellCode, r.version)
      requireLeaf(cell, 'splitting')
      if (cell.parent_id === null)
        throw violated('top_level', `cell ${cell.code} is a top-level cell; split its children instead`)
      const pieces = await edits.splitPieces(tx, cell.id, JSON.stringify(r.line))
      if (pieces.length < 2)
        throw violated('split_failed', `the line does not cut cell ${cell.code} into two or more parts`, {
          pieces: pieces.length,
        })
      const [largest, ...others] = pieces
      return {
        steps: [
          { do: 'set', cellId: cell.id, geojson: largest!.geojson, clip: false },
          ...others.map((p, i): Step => ({
            do: 'create',
            parentId: cell.parent_id!,
            regionId: cell.region_id,
            level: cell.level,
            name: r.names?.[i] ?? `${cell.name}-${i + 2}`,
            geojson: p.geojson,
            clip: false,
          })),
        ],
        cells: [cell],
        newGeometries: [],
        parentIds: parentsOf([cell]),
        trimSiblings: false,
      }
    }
    case 'merge': {
      if (r.keepCode === r.mergeCode)
        throw badRequest('invalid_request', 'body parameters "keepCode" and "mergeCode" must differ')
      const keep = await lockOne(tx, r.keepCode, r.keepVersion)
      const other = await lockOne(tx, r.mergeCode, r.mergeVersion)
      requireLeaf(keep, 'merging')
      requireLeaf(other, 'merging')
      if (keep.parent_id !== other.parent_id)
        throw violated('different_parents', `cells ${keep.code} and ${other.code} have different parents`)
      if (!(await edits.shareEdge(tx, keep.id, other.id)))
        throw violated('not_adjacent', `cells ${keep.code} and ${other.code} do not share a boundary`)
      const geojson = await edits.geometryOf(tx, other.id)
      return {
        steps: [
          { do: 'union', cellId: keep.id, geojson },
          { do: 'retire', cellId: other.id },
        ],
        cells: [keep, other],
        newGeometries: [],
        parentIds: parentsOf([keep]),
        trimSiblings: false,
      }
    }
    case 'delete': {
      const cell = await lockOne(tx, r.cellCode, r.version)
      requireLeaf(cell, 'deleting')
      if (cell.parent_id === null)
        throw violated('top_level', `cell ${cell.code} is a top-level cell and cannot be deleted`)
      return {
        steps: [{ do: 'retire', cellId: cell.id }],
        cells: [cell],
        newGeometries: [],
        parentIds: parentsOf([cell]),
        trimSiblings: false,
      }
    }
    case 'restore': {
      const [cell] = await edits.lockCells(tx, [r.cellCode])
      if (!cell) throw notFound('cell', r.cellCode)
      if (cell.version !== r.version) throw await stale(tx, cell, r.version)
      const version = (await cellVersions(tx, cell.id)).find((v) => v.version === r.toVersion)
      if (!version || version.retired || !version.geometry)
        throw notFound('cell version', `${r.cellCode}@${r.toVersion}`)
      const steps: Step[] = []
      if (cell.retired_at) steps.push({ do: 'unretire', cellId: cell.id })
      steps.push({ do: 'set', cellId: cell.id, geojson: version.geometry, clip: false })
      return {
        steps,
        cells: [cell],
        newGeometries: [version.geometry],
        parentIds: parentsOf([cell]),
        trimSiblings: r.trimSiblings ?? false,
      }
    }
    case 'fix_gap': {
      const parent = await lockOne(tx, r.parentCode, undefined)
      const gap = await edits.gapPieceAt(tx, parent.id, r.point[0], r.point[1])
      if (!gap) throw notFound('gap at point', r.point.join(','))
      if (r.action === 'new_cell') {
        return {
          steps: [
            {
              do: 'create',
              parentId: parent.id,
              regionId: parent.region_id,
              level: parent.level + 1,
              name: r.name ?? `${parent.name}新网格`,
              geojson: gap.geojson,
              clip: false,
            },
          ],
          cells: [],
          newGeometries: [gap.geojson],
          parentIds: [parent.id],
          trimSiblings: false,
        }
      }
      if (!r.cellCode)
        throw badRequest('invalid_request', 'body parameter "cellCode" is required when action is give_to')
      const cell = await lockOne(tx, r.cellCode, r.cellVersion)
      if (cell.parent_id !== parent.id)
        throw violated('not_a_child', `cell ${cell.code} is not a child of ${parent.code}`)
      return {
        steps: [{ do: 'union', cellId: cell.id, geojson: gap.geojson }],
        cells: [cell],
        newGeometries: [gap.geojson],
        parentIds: [parent.id],
        trimSiblings: false,
      }
    }
    case 'undo':
      return resolveUndo(tx, r.editId)
    case 'fix_overlap': {
      const [codeA, codeB] = r.cellCodes
      if (r.giveTo !== codeA && r.giveTo !== codeB)
        throw badRequest('invalid_request', 'body parameter "giveTo" must be one of "cellCodes"')
      const a = await lockOne(tx, codeA, r.versions[0])
      const b = await lockOne(tx, codeB, r.versions[1])
      const piece = await edits.overlapPieceAt(tx, a.id, b.id, r.point[0], r.point[1])
      if (!piece) throw notFound('overlap at point', r.point.join(','))
      const loser = r.giveTo === codeA ? b : a
      return {
        steps: [{ do: 'subtract', cellId: loser.id, geojson: piece.geojson }],
        cells: [a, b],
        newGeometries: [],
        parentIds: parentsOf([a]),
        trimSiblings: false,
      }
    }
  }
}

function parentsOf(cells: edits.LockedCell[]): number[] {
  return [...new Set(cells.map((c) => c.parent_id).filter((p): p is number => p !== null))]
}
