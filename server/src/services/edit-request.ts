// An edit request's fields are checked by its schema (contract/edits.ts: one object per operation).
// What is left here is the incoming geometry against the rules every boundary follows wherever it comes
// from (imports too): elevation dropped and said so, no ring across ±180° (geojson-checks), and no cell
// outside its region by more than the match tolerance.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { EditRequest } from '../contract/edits.js'
import { findCell } from '../db/repositories/cells.repository.js'
import { assertValidPolygonal } from './allowed-gaps.service.js'
import { dropElevation, ELEVATION_DROPPED, hasElevation } from './geojson-checks.js'
import { assertInRegion } from './region-checks.js'

export interface PreparedEdit {
  request: EditRequest
  /** said in the answer: what was done to the input (elevation dropped) */
  warnings: string[]
}

/**
 * Elevations dropped (with a warning), and a reshaped top-level cell checked against its region: more
 * than `toleranceM2` outside it is refused (422 outside_region), as an import refuses such a cell. A cell
 * with a parent needs no such check: the edit keeps it inside its parent (outside_parent, or
 * clipToParent), and the parent lies in the region, so the more precise answer (which parent it leaves)
 * comes from the edit itself.
 */
export async function prepareEditRequest(
  db: Kysely<DB>,
  body: EditRequest,
  toleranceM2: number,
): Promise<PreparedEdit> {
  const warnings: string[] = []
  const request = { ...body }
  if ('geometry' in request && hasElevation(request.geometry)) {
    request.geometry = dropElevation(request.geometry)
    warnings.push(`body parameter "geometry": ${ELEVATION_DROPPED}`)
  }
  if (request.operation === 'split' && hasElevation(request.line)) {
    request.line = dropElevation(request.line)
    warnings.push(`body parameter "line": ${ELEVATION_DROPPED}`)
  }
  if (request.operation === 'reshape') {
    await assertValidPolygonal(db, request.geometry)
    const owner = await findCell(db, { code: request.cellCode })
    // an unknown cell is answered by the edit itself (404)
    if (owner && owner.parent_id === null) await assertInRegion(db, owner.region_id, request.geometry, toleranceM2)
  }
  return { request, warnings }
}
