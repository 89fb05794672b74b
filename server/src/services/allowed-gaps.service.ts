// Known, accepted gaps (a reservoir, a military zone managed by someone else): registered against the
// parent cell whose children leave them uncovered, reported separately from defects.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { findCell } from '../db/repositories/cells.repository.js'
import { checkValidity } from '../db/repositories/geometry.repository.js'
import { deleteAllowedGap, insertAllowedGap, listAllowedGaps } from '../db/repositories/allowed-gaps.repository.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'
import { badRequest, notFound } from '../errors.js'
import { checkPolygonal } from './geojson-checks.js'
import type { Polygonal } from '../contract/common.js'

export async function assertValidPolygonal(db: Kysely<DB>, geometry: unknown, parameter = 'geometry') {
  const problem = checkPolygonal(geometry)
  if (problem)
    throw badRequest('invalid_geometry', `body parameter "${parameter}": ${problem.reason}`, {
      location: problem.location ?? null,
    })
  const [validity] = await checkValidity(db, [JSON.stringify(geometry)])
  if (!validity!.valid) {
    throw badRequest('invalid_geometry', `body parameter "${parameter}" is not a valid polygon: ${validity!.reason}`, {
      location: validity!.location,
    })
  }
}

export async function createAllowedGap(
  db: Kysely<DB>,
  actor: Actor,
  input: { cellCode: string; geometry: unknown; reason: string },
) {
  await assertValidPolygonal(db, input.geometry)
  return db.transaction().execute(async (tx) => {
    const cell = await findCell(tx, { code: input.cellCode })
    if (!cell || cell.retired_at) throw notFound('cell', input.cellCode)
    const row = await insertAllowedGap(tx, {
      cellId: cell.id,
      geojson: JSON.stringify(input.geometry),
      reason: input.reason,
      createdBy: actor.id,
    })
    await insertAudit(tx, {
      actor,
      action: 'create',
      entityType: 'allowed_gap',
      entityId: row.id,
      reason: input.reason,
      after: { ...row, cellCode: cell.code },
    })
    return { id: row.id, cellCode: cell.code, reason: row.reason }
  })
}

export async function allowedGaps(db: Kysely<DB>) {
  return (await listAllowedGaps(db)).map((g) => ({
    id: g.id,
    cellCode: g.cell_code,
    reason: g.reason,
    areaM2: g.area_m2,
    geometry: JSON.parse(g.geometry) as Polygonal,
  }))
}

export async function removeAllowedGap(db: Kysely<DB>, actor: Actor, id: number) {
  return db.transaction().execute(async (tx) => {
    const before = await deleteAllowedGap(tx, id)
    if (!before) throw notFound('allowed gap', id)
    await insertAudit(tx, { actor, action: 'delete', entityType: 'allowed_gap', entityId: id, before })
  })
}
