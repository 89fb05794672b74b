// Checks an edit request's fields per operation, naming the missing or wrong parameter, and the
// incoming geometry against the rules every boundary follows wherever it comes from (imports too):
// elevation dropped and said so, no ring across ±180° (geojson-checks), and no cell outside its region
// by more than the match tolerance.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { findCell } from '../db/repositories/cells.repository.js'
import { badRequest } from '../errors.js'
import type { EditRequest } from './boundary-edit.service.js'
import { assertValidPolygonal } from './allowed-gaps.service.js'
import { dropElevation, ELEVATION_DROPPED, hasElevation } from './geojson-checks.js'
import { assertInRegion } from './region-checks.js'

/** versions are int4 */
const MAX_INT32 = 2147483647

const OPERATIONS = [
  'reshape',
  'create',
  'split',
  'merge',
  'delete',
  'restore',
  'fix_gap',
  'fix_overlap',
  'undo',
] as const

const REQUIRED: Record<
  (typeof OPERATIONS)[number],
  Record<string, 'string' | 'integer' | 'object' | 'point' | 'pair' | 'intpair'>
> = {
  reshape: { cellCode: 'string', version: 'integer', geometry: 'object' },
  create: { parentCode: 'string', name: 'string', geometry: 'object' },
  split: { cellCode: 'string', version: 'integer', line: 'object' },
  merge: { keepCode: 'string', keepVersion: 'integer', mergeCode: 'string', mergeVersion: 'integer' },
  delete: { cellCode: 'string', version: 'integer' },
  restore: { cellCode: 'string', version: 'integer', toVersion: 'integer' },
  fix_gap: { parentCode: 'string', point: 'point', action: 'string' },
  fix_overlap: { cellCodes: 'pair', versions: 'intpair', point: 'point', giveTo: 'string' },
  undo: { editId: 'integer' },
}

function ok(kind: string, v: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string' && v.length > 0
    case 'integer':
      // versions are int4: a bigger one would make PostgreSQL raise instead of answering "stale"
      return Number.isInteger(v) && (v as number) > 0 && (v as number) <= MAX_INT32
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v)
    case 'point':
      // a third number (elevation) is allowed here as in any GeoJSON position, and dropped
      return (
        Array.isArray(v) &&
        (v.length === 2 || v.length === 3) &&
        Math.abs(v[0]) <= 180 &&
        Math.abs(v[1]) <= 90 &&
        v.every((n) => typeof n === 'number' && Number.isFinite(n))
      )
    case 'pair':
      return Array.isArray(v) && v.length === 2 && v.every((s) => typeof s === 'string' && s.length > 0)
    case 'intpair':
      return Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n) && n > 0 && n <= MAX_INT32)
  }
  return false
}

const describe: Record<string, string> = {
  string: 'a non-empty string',
  integer: `an integer from 1 to ${MAX_INT32}`,
  object: 'a GeoJSON object',
  point: '[lon, lat]',
  pair: 'two cell codes',
  intpair: 'two versions',
}

/** The request's fields checked; a reason is required to apply a change, not to preview it. */
export function parseEditRequest(body: Record<string, unknown>, mode: 'preview' | 'apply' = 'apply'): EditRequest {
  const op = body.operation as (typeof OPERATIONS)[number]
  if (!OPERATIONS.includes(op))
    throw badRequest('invalid_request', `body parameter "operation" must be one of ${OPERATIONS.join(', ')}`)
  if (mode === 'preview' && (body.reason === undefined || body.reason === '')) body = { ...body, reason: '(preview)' }
  if (typeof body.reason !== 'string' || body.reason.trim().length === 0) {
    throw badRequest('invalid_request', 'body parameter "reason" is required: say why the boundary changes')
  }
  for (const [field, kind] of Object.entries(REQUIRED[op])) {
    if (!ok(kind, body[field]))
      throw badRequest('invalid_request', `body parameter "${field}" must be ${describe[kind]} for ${op}`)
  }
  if (op === 'fix_gap' && !['give_to', 'new_cell'].includes(body.action as string)) {
    throw badRequest('invalid_request', 'body parameter "action" must be give_to or new_cell')
  }
  return body as unknown as EditRequest
}

export interface PreparedEdit {
  request: EditRequest
  /** said in the answer: what was done to the input (elevation dropped) */
  warnings: string[]
}

/**
 * The request parsed, elevations dropped (with a warning), and a reshaped top-level cell checked
 * against its region: more than `toleranceM2` outside it is refused (422 outside_region), as an import
 * refuses such a cell. A cell with a parent needs no such check: the edit keeps it inside its parent
 * (outside_parent, or clipToParent), and the parent lies in the region, so the more precise answer
 * (which parent it leaves) comes from the edit itself.
 */
export async function prepareEditRequest(
  db: Kysely<DB>,
  body: Record<string, unknown>,
  mode: 'preview' | 'apply',
  toleranceM2: number,
): Promise<PreparedEdit> {
  const parsed = parseEditRequest(body, mode) as EditRequest & Record<string, unknown>
  const warnings: string[] = []
  const request = { ...parsed }
  for (const field of ['geometry', 'line', 'point'] as const) {
    const value = request[field]
    if (value === undefined) continue
    if (field === 'point') {
      if (Array.isArray(value) && value.length === 3) {
        request.point = value.slice(0, 2)
        warnings.push(`body parameter "point": ${ELEVATION_DROPPED}`)
      }
    } else if (hasElevation(value)) {
      request[field] = dropElevation(value)
      warnings.push(`body parameter "${field}": ${ELEVATION_DROPPED}`)
    }
  }
  if (request.operation === 'reshape') {
    await assertValidPolygonal(db, request.geometry)
    const owner = await findCell(db, { code: request.cellCode })
    // an unknown cell is answered by the edit itself (404)
    if (owner && owner.parent_id === null) await assertInRegion(db, owner.region_id, request.geometry, toleranceM2)
  }
  return { request: request as EditRequest, warnings }
}
