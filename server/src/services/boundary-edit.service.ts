// Boundary edits: reshape, create, split, merge, delete, restore, and the fix-a-gap / fix-an-overlap
// helpers. Every edit runs the same code in one transaction: resolve the request into concrete steps,
// snapshot who is accountable for the land it touches, apply the steps, validate the resulting state
// in the database, rematch only the touched land, snapshot again and diff. A preview does all of that
// and rolls back, so saving applies exactly what the preview showed.
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import * as edits from '../db/repositories/edits.repository.js'
import { gaps as gapRows, overlaps as overlapRows } from '../db/repositories/coverage.repository.js'
import { rematch } from '../db/repositories/matching.repository.js'
import { recordCellVersions, cellVersions } from '../db/repositories/cell-versions.repository.js'
import { findCell } from '../db/repositories/cells.repository.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'
import { AppError, badRequest, conflict, notFound } from '../errors.js'
import { assertValidPolygonal } from './allowed-gaps.service.js'
import { isoDay } from './dates.js'
import { bump } from './data-version.js'
import { resolveUndo } from './edit-undo.js'

type Tx = Transaction<DB>
type Point = [number, number]

export type EditRequest =
  | {
      operation: 'reshape'
      cellCode: string
      version: number
      geometry: unknown
      clipToParent?: boolean
      trimSiblings?: boolean
      reason: string
    }
  | {
      operation: 'create'
      parentCode: string
      name: string
      geometry: unknown
      clipToParent?: boolean
      trimSiblings?: boolean
      reason: string
    }
  | { operation: 'split'; cellCode: string; version: number; line: unknown; names?: string[]; reason: string }
  | {
      operation: 'merge'
      keepCode: string
      keepVersion: number
      mergeCode: string
      mergeVersion: number
      reason: string
    }
  | { operation: 'delete'; cellCode: string; version: number; reason: string }
  | {
      operation: 'restore'
      cellCode: string
      version: number
      toVersion: number
      trimSiblings?: boolean
      reason: string
    }
  | {
      operation: 'fix_gap'
      parentCode: string
      point: Point
      action: 'give_to' | 'new_cell'
      cellCode?: string
      cellVersion?: number
      name?: string
      reason: string
    }
  | {
      operation: 'fix_overlap'
      cellCodes: [string, string]
      versions: [number, number]
      point: Point
      giveTo: string
      reason: string
    }
  | { operation: 'undo'; editId: number; reason: string }

type Step =
  | { do: 'set'; cellId: number; geojson: string; clip: boolean }
  | { do: 'create'; parentId: number; regionId: number; level: number; name: string; geojson: string; clip: boolean }
  | { do: 'retire'; cellId: number }
  | { do: 'unretire'; cellId: number }
  | { do: 'union'; cellId: number; geojson: string }
  | { do: 'subtract'; cellId: number; geojson: string }
  | { do: 'revert'; cellId: number; versionRowId: number }

interface Plan {
  steps: Step[]
  /** existing cells the edit changes */
  cells: edits.LockedCell[]
  /** geometries the edit adds (for the area whose accountability is compared) */
  newGeometries: string[]
  parentIds: number[]
  trimSiblings: boolean
}

export interface CellChange {
  code: string
  name: string
  change: 'reshaped' | 'created' | 'retired' | 'restored' | 'trimmed' | 'grown' | 'shrunk'
  versionBefore: number | null
  versionAfter: number
  areaBeforeM2: number | null
  areaAfterM2: number | null
}

interface AccountableState {
  status: string
  cellCode: string | null
  accountableCode: string | null
  people: string[]
}

export interface EditResult {
  operation: EditRequest['operation']
  applied: boolean
  /** the saved edit's id (to undo it later); null in a preview */
  editId: number | null
  cells: CellChange[]
  parcels: { id: number; externalId: string; from: AccountableState; to: AccountableState }[]
  gaps: AreaDiff
  overlaps: AreaDiff
  endedResponsibilities: number[]
}

interface AreaPiece {
  areaM2: number
  point: number[]
  cellCodes: string[]
}
interface AreaDiff {
  created: AreaPiece[]
  closed: AreaPiece[]
  changed: { before: AreaPiece; after: AreaPiece }[]
}

export interface EditContext {
  db: Kysely<DB>
  now: () => Date
  sliverM2: number
  matchToleranceM2: number
  /** the service time zone: the day duties are read on */
  timeZone: string
}

class PreviewRollback extends Error {
  constructor(readonly result: EditResult) {
    super('preview')
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10
const violated = (code: string, message: string, details?: unknown) => new AppError(422, code, message, details)

export async function runEdit(
  ctx: EditContext,
  actor: Actor,
  request: EditRequest,
  mode: 'preview' | 'apply',
): Promise<EditResult> {
  // geometry problems are answered before any lock is taken
  if ('geometry' in request) await assertValidPolygonal(ctx.db, request.geometry)
  if (request.operation === 'split') checkLine(request.line)
  try {
    const applied = await ctx.db.transaction().execute(async (tx) => {
      const result = await execute(tx, ctx, actor, request)
      if (mode === 'preview') throw new PreviewRollback({ ...result, editId: null })
      return { ...result, applied: true }
    })
    // committed: cached tiles and coverage from before the edit are now stale
    bump()
    return applied
  } catch (error) {
    if (error instanceof PreviewRollback) return error.result
    throw error
  }
}

function checkLine(line: unknown) {
  const l = line as { type?: unknown; coordinates?: unknown }
  if (l?.type !== 'LineString' || !Array.isArray(l.coordinates) || l.coordinates.length < 2) {
    throw badRequest('invalid_geometry', 'body parameter "line" must be a GeoJSON LineString with at least 2 positions')
  }
  for (const p of l.coordinates as unknown[]) {
    const [x, y] = (Array.isArray(p) ? p : []) as unknown[]
    if (
      typeof x !== 'number' ||
      typeof y !== 'number' ||
      !Number.isFinite(x) ||
      !Number.isFinite(y) ||
      Math.abs(x) > 180 ||
      Math.abs(y) > 90
    ) {
      throw badRequest('invalid_geometry', `body parameter "line" has an invalid position ${JSON.stringify(p)}`)
    }
  }
}

async function execute(tx: Tx, ctx: EditContext, actor: Actor, request: EditRequest): Promise<EditResult> {
  const plan = await resolvePlan(tx, request)
  const today = isoDay(ctx.now(), ctx.timeZone)
  const parentCodes = await codesOf(tx, plan.parentIds)

  // before: the land the edit touches, who answers for it, and the coverage defects around it
  const oldGeometries = await Promise.all(plan.cells.map((c) => edits.geometryOf(tx, c.id)))
  const area = await edits.unionOf(tx, [...oldGeometries, ...plan.newGeometries])
  const parcelsBefore = await edits.accountabilitySnapshot(tx, area, today)
  const defectsBefore = await defects(tx, plan.parentIds, ctx.sliverM2)
  const stateBefore = new Map<number, Awaited<ReturnType<typeof edits.cellState>>>()
  for (const c of plan.cells) stateBefore.set(c.id, await edits.cellState(tx, c.id))

  // apply
  const created: number[] = []
  const touched = new Set<number>()
  const retired: number[] = []
  const ended: number[] = []
  for (const step of plan.steps) {
    switch (step.do) {
      case 'set':
        await edits.setBoundary(tx, step.cellId, step.geojson, step.clip)
        touched.add(step.cellId)
        break
      case 'create': {
        const code = await edits.nextChildCode(tx, step.parentId)
        const id = await edits.insertCell(tx, {
          regionId: step.regionId,
          parentId: step.parentId,
          code,
          name: step.name,
          level: step.level,
          geojson: step.geojson,
          clipToParent: step.clip,
        })
        created.push(id)
        touched.add(id)
        break
      }
      case 'retire':
        await edits.retireCell(tx, step.cellId, ctx.now())
        ended.push(...(await edits.endDutiesOf(tx, step.cellId, today)))
        retired.push(step.cellId)
        break
      case 'unretire':
        await edits.unretireCell(tx, step.cellId)
        break
      case 'union':
        await edits.unionInto(tx, step.cellId, step.geojson)
        touched.add(step.cellId)
        break
      case 'subtract':
        await edits.subtract(tx, step.cellId, step.geojson)
        touched.add(step.cellId)
        break
      case 'revert':
        await edits.revertToVersion(tx, step.cellId, step.versionRowId)
        touched.add(step.cellId)
        break
    }
  }

  // validate the resulting state; trim siblings when asked
  const trimmed = new Map<number, Awaited<ReturnType<typeof edits.cellState>>>()
  for (const cellId of touched) {
    const state = (await edits.cellState(tx, cellId))!
    if (await edits.isEmptyOrNotPolygonal(tx, cellId)) {
      throw violated('empty_cell', `cell ${state.code} would have no area left`, { cell: state.code })
    }
    const spill = await edits.spillOutsideParent(tx, cellId)
    if (spill.area_m2 > ctx.sliverM2) {
      throw violated(
        'outside_parent',
        `cell ${state.code} would extend ${round1(spill.area_m2)} m² outside its parent (ask for clipToParent to clip it)`,
        {
          cell: state.code,
          areaM2: round1(spill.area_m2),
          location: spill.point,
        },
      )
    }
    const overlapping = (await edits.siblingOverlaps(tx, cellId)).filter((o) => o.area_m2 > ctx.sliverM2)
    if (overlapping.length > 0) {
      // cells changed by this same edit are never trimmed to make room
      if (!plan.trimSiblings || overlapping.some((o) => touched.has(o.id))) {
        throw violated(
          'overlaps_siblings',
          `cell ${state.code} would overlap ${overlapping.map((o) => `${o.code} by ${round1(o.area_m2)} m²`).join(', ')} (ask for trimSiblings to trim them)`,
          {
            cell: state.code,
            overlaps: overlapping.map((o) => ({ code: o.code, areaM2: round1(o.area_m2), location: o.point })),
          },
        )
      }
      for (const o of overlapping) if (!trimmed.has(o.id)) trimmed.set(o.id, await edits.cellState(tx, o.id))
      await edits.trimSiblings(
        tx,
        cellId,
        overlapping.map((o) => o.id),
      )
    }
    const outside = await edits.childrenOutside(tx, cellId)
    const significant = outside.filter((c) => c.area_m2 > ctx.sliverM2)
    if (significant.length > 0) {
      throw violated(
        'children_outside',
        `cell ${state.code} would no longer contain its children ${significant.map((c) => c.code).join(', ')}`,
        {
          cell: state.code,
          children: significant.map((c) => ({ code: c.code, areaM2: round1(c.area_m2) })),
        },
      )
    }
  }
  for (const id of trimmed.keys()) {
    if (await edits.isEmptyOrNotPolygonal(tx, id)) {
      throw violated('empty_cell', `trimming would leave cell ${trimmed.get(id)!.code} with no area`, {
        cell: trimmed.get(id)!.code,
      })
    }
  }

  // after: rematch only the touched land, then compare
  const versionMoved: number[] = []
  for (const c of plan.cells) if ((await edits.cellState(tx, c.id))!.version !== c.version) versionMoved.push(c.id)
  const changedIds = [...new Set([...touched, ...trimmed.keys(), ...retired, ...versionMoved])]
  // Every change lies within the old boundaries of the cells named plus the new geometries (a trimmed
  // sibling loses only land inside the new geometry), so the same area bounds the rematch and both
  // snapshots: a parcel is compared only if it could have changed.
  await rematch(tx, { kind: 'area', geojson: area }, ctx.matchToleranceM2)
  const parcelsAfter = await edits.accountabilitySnapshot(tx, area, today)
  const defectsAfter = await defects(tx, plan.parentIds, ctx.sliverM2)

  // the edit's id links every version it writes, so the whole edit can be undone later
  const undoes = request.operation === 'undo' ? request.editId : null
  const editId = await edits.insertEdit(tx, {
    operation: request.operation,
    undoes,
    changedBy: actor.login,
    reason: request.reason,
    at: ctx.now(),
  })
  await recordCellVersions(tx, changedIds, ctx.now(), actor.login, request.reason, editId)
  const cells: CellChange[] = []
  for (const id of changedIds) {
    const after = (await edits.cellState(tx, id))!
    const before = stateBefore.get(id) ?? trimmed.get(id)
    const change: CellChange['change'] = created.includes(id)
      ? 'created'
      : retired.includes(id)
        ? 'retired'
        : trimmed.has(id)
          ? 'trimmed'
          : request.operation === 'restore' || request.operation === 'undo'
            ? 'restored'
            : before && after.area_m2 > before.area_m2 + ctx.sliverM2 && request.operation !== 'reshape'
              ? 'grown'
              : before && after.area_m2 < before.area_m2 - ctx.sliverM2 && request.operation !== 'reshape'
                ? 'shrunk'
                : 'reshaped'
    cells.push({
      code: after.code,
      name: after.name,
      change,
      versionBefore: before?.version ?? null,
      versionAfter: after.version,
      areaBeforeM2: before ? round1(before.area_m2) : null,
      areaAfterM2: after.retired ? null : round1(after.area_m2),
    })
    await insertAudit(tx, {
      actor,
      action: `cell_${change}`,
      entityType: 'cell',
      entityId: id,
      reason: request.reason,
      before: before ? { version: before.version, name: before.name, geometry: JSON.parse(before.geometry) } : null,
      after: {
        version: after.version,
        name: after.name,
        retired: after.retired,
        geometry: JSON.parse(after.geometry),
        operation: request.operation,
        parentCodes,
        editId,
        undoes,
      },
    })
  }
  cells.sort((a, b) => a.code.localeCompare(b.code))

  return {
    operation: request.operation,
    applied: false,
    editId,
    cells,
    parcels: diffParcels(parcelsBefore, parcelsAfter),
    gaps: await diffAreas(tx, defectsBefore.gaps, defectsAfter.gaps),
    overlaps: await diffAreas(tx, defectsBefore.overlaps, defectsAfter.overlaps),
    endedResponsibilities: ended,
  }
}

async function codesOf(tx: Tx, ids: number[]) {
  const codes: string[] = []
  for (const id of ids) {
    const c = await findCell(tx, { id })
    if (c) codes.push(c.code)
  }
  return codes
}

interface Defect extends AreaPiece {
  geometry: string
}

async function defects(tx: Tx, parentIds: number[], sliverM2: number) {
  const gaps: Defect[] = []
  const overlaps: Defect[] = []
  for (const parentId of parentIds) {
    const scope = { kind: 'cell' as const, cellId: parentId }
    const parentKey = `cell:${parentId}`
    for (const g of await gapRows(tx, scope, sliverM2, 0)) {
      if (g.parent_key === parentKey)
        gaps.push({
          areaM2: round1(g.area_m2),
          point: g.point,
          cellCodes: g.neighbour_codes ?? [],
          geometry: g.geometry,
        })
    }
    for (const o of await overlapRows(tx, scope, sliverM2, 0)) {
      if (o.parent_key === parentKey)
        overlaps.push({ areaM2: round1(o.area_m2), point: o.point, cellCodes: o.cell_codes, geometry: o.geometry })
    }
  }
  return { gaps, overlaps }
}

const piece = (d: Defect): AreaPiece => ({ areaM2: d.areaM2, point: d.point, cellCodes: d.cellCodes })

async function diffAreas(tx: Tx, before: Defect[], after: Defect[]): Promise<AreaDiff> {
  const pairs = await edits.overlappingPairs(
    tx,
    before.map((d) => d.geometry),
    after.map((d) => d.geometry),
  )
  const diff: AreaDiff = { created: [], closed: [], changed: [] }
  before.forEach((b, i) => {
    const matches = pairs.filter(([bi]) => bi === i)
    if (matches.length === 0) diff.closed.push(piece(b))
    for (const [, j] of matches) {
      const a = after[j]!
      if (Math.abs(a.areaM2 - b.areaM2) > 0.5) diff.changed.push({ before: piece(b), after: piece(a) })
    }
  })
  after.forEach((a, j) => {
    if (!pairs.some(([, aj]) => aj === j)) diff.created.push(piece(a))
  })
  return diff
}

function diffParcels(before: edits.AccountabilitySnapshotRow[], after: edits.AccountabilitySnapshotRow[]) {
  const state = (r: edits.AccountabilitySnapshotRow | undefined): AccountableState =>
    r
      ? { status: r.status, cellCode: r.cell_code, accountableCode: r.accountable_code, people: r.people ?? [] }
      : { status: 'unknown', cellCode: null, accountableCode: null, people: [] }
  const byId = new Map(before.map((r) => [r.id, r]))
  const changes: EditResult['parcels'] = []
  for (const a of after) {
    const from = state(byId.get(a.id))
    const to = state(a)
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ id: a.id, externalId: a.external_id, from, to })
  }
  return changes.sort((x, y) => x.externalId.localeCompare(y.externalId))
}

// ---------------------------------------------------------------------------------------------
// Resolving requests into steps

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

async function resolvePlan(tx: Tx, r: EditRequest): Promise<Plan> {
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

export async function cellHistory(db: Kysely<DB>, code: string) {
  const cell = await findCell(db, { code })
  if (!cell) throw notFound('cell', code)
  return (await cellVersions(db, cell.id)).map((v) => ({
    version: v.version,
    name: v.name,
    parentCode: v.parent_code,
    retired: v.retired,
    validFrom: v.valid_from.toISOString(),
    validTo: v.valid_to?.toISOString() ?? null,
    changedBy: v.changed_by,
    reason: v.reason,
    areaM2: v.area_m2 === null ? null : round1(v.area_m2),
    geometry: v.geometry ? (JSON.parse(v.geometry) as unknown) : null,
    editId: v.edit_id,
  }))
}
