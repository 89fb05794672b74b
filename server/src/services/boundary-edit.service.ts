// Boundary edits: reshape, create, split, merge, delete, restore, and the fix-a-gap / fix-an-overlap
// helpers. Every edit runs the same code in one transaction: resolve the request into concrete steps,
// snapshot who is accountable for the land it touches, apply the steps, validate the resulting state
// in the database, rematch only the touched land, snapshot again and diff. A preview does all of that
// and rolls back, so saving applies exactly what the preview showed.
//
// The parts, one file each: edit-plan.ts (request → locked cells and steps), edit-apply.ts (run the
// steps, check the result), edit-diff.ts (what changed, for the answer), edit-undo.ts (an undo's steps).
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CellChange, EditRequest, EditResult } from '../contract/edits.js'
import * as edits from '../db/repositories/edits.repository.js'
import { rematch, rematchObjects } from '../db/repositories/matching.repository.js'
import { recordCellVersions } from '../db/repositories/cell-versions.repository.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'
import { badRequest } from '../errors.js'
import { assertValidPolygonal } from './allowed-gaps.service.js'
import { isoDay } from './dates.js'
import { bump } from './data-version.js'
import { resolvePlan } from './edit-plan.js'
import { applySteps, validateTouched, type CellState } from './edit-apply.js'
import { codesOf, defects, diffAreas, diffParcels, round1 } from './edit-diff.js'

export type { EditRequest, EditResult } from '../contract/edits.js'

type Tx = Transaction<DB>

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
  const stateBefore = new Map<number, CellState>()
  for (const c of plan.cells) stateBefore.set(c.id, await edits.cellState(tx, c.id))

  // apply
  const { created, touched, retired, ended } = await applySteps(tx, plan.steps, ctx.now, today)

  // validate the resulting state; trim siblings when asked
  const trimmed = await validateTouched(tx, touched, plan.trimSiblings, ctx.sliverM2)

  // after: rematch only the touched land, then compare
  const versionMoved: number[] = []
  for (const c of plan.cells) if ((await edits.cellState(tx, c.id))!.version !== c.version) versionMoved.push(c.id)
  const changedIds = [...new Set([...touched, ...trimmed.keys(), ...retired, ...versionMoved])]
  // Every change lies within the old boundaries of the cells named plus the new geometries (a trimmed
  // sibling loses only land inside the new geometry), so the same area bounds the rematch and both
  // snapshots: a parcel is compared only if it could have changed.
  await rematch(tx, { kind: 'area', geojson: area }, ctx.matchToleranceM2)
  await rematchObjects(tx, { kind: 'area', geojson: area }, ctx.matchToleranceM2)
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
