// Checks an edit request's fields per operation, naming the missing or wrong parameter.
import { badRequest } from '../errors.js'
import type { EditRequest } from './boundary-edit.service.js'

/** versions are int4 */
const MAX_INT32 = 2147483647

const OPERATIONS = ['reshape', 'create', 'split', 'merge', 'delete', 'restore', 'fix_gap', 'fix_overlap'] as const

const REQUIRED: Record<(typeof OPERATIONS)[number], Record<string, 'string' | 'integer' | 'object' | 'point' | 'pair' | 'intpair'>> = {
  reshape: { cellCode: 'string', version: 'integer', geometry: 'object' },
  create: { parentCode: 'string', name: 'string', geometry: 'object' },
  split: { cellCode: 'string', version: 'integer', line: 'object' },
  merge: { keepCode: 'string', keepVersion: 'integer', mergeCode: 'string', mergeVersion: 'integer' },
  delete: { cellCode: 'string', version: 'integer' },
  restore: { cellCode: 'string', version: 'integer', toVersion: 'integer' },
  fix_gap: { parentCode: 'string', point: 'point', action: 'string' },
  fix_overlap: { cellCodes: 'pair', versions: 'intpair', point: 'point', giveTo: 'string' },
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
      return Array.isArray(v) && v.length === 2 && Math.abs(v[0]) <= 180 && Math.abs(v[1]) <= 90 && v.every((n) => typeof n === 'number' && Number.isFinite(n))
    case 'pair':
      return Array.isArray(v) && v.length === 2 && v.every((s) => typeof s === 'string' && s.length > 0)
    case 'intpair':
      return Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n) && n > 0 && n <= MAX_INT32)
  }
  return false
}

const describe = { string: 'a non-empty string', integer: `an integer from 1 to ${MAX_INT32}`, object: 'a GeoJSON object', point: '[lon, lat]', pair: 'two cell codes', intpair: 'two versions' }

/** The request's fields checked; a reason is required to apply a change, not to preview it. */
export function parseEditRequest(body: Record<string, unknown>, mode: 'preview' | 'apply' = 'apply'): EditRequest {
  const op = body.operation as (typeof OPERATIONS)[number]
  if (!OPERATIONS.includes(op)) throw badRequest('invalid_request', `body parameter "operation" must be one of ${OPERATIONS.join(', ')}`)
  if (mode === 'preview' && (body.reason === undefined || body.reason === '')) body = { ...body, reason: '(preview)' }
  if (typeof body.reason !== 'string' || body.reason.trim().length === 0) {
    throw badRequest('invalid_request', 'body parameter "reason" is required: say why the boundary changes')
  }
  for (const [field, kind] of Object.entries(REQUIRED[op])) {
    if (!ok(kind, body[field])) throw badRequest('invalid_request', `body parameter "${field}" must be ${describe[kind]} for ${op}`)
  }
  if (op === 'fix_gap' && !['give_to', 'new_cell'].includes(body.action as string)) {
    throw badRequest('invalid_request', 'body parameter "action" must be give_to or new_cell')
  }
  return body as unknown as EditRequest
}
