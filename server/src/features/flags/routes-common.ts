// What the flag route files share: the app type, who asks, filters from the query string and the
// supervisor scope of a flag.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { FlagState } from '../../db/schema.js'
import { badRequest, unauthorized } from '../../errors.js'
import { parseBbox, parseDay } from '../../routes/query.js'
import { flagScopeCell, flagScopeUnit, flagViewer, type ListQuery } from './service-read.js'
import type { FlagSettings, FlagUser } from './settings.js'
import { FLAG_STATES, type FlagViewer } from './workflow.js'

export type FlagsApp = Parameters<FastifyPluginAsyncTypebox>[0]

/** What every flag route file needs from the plugin. */
export interface FlagRouteDeps {
  settings: FlagSettings
  /** the largest JSON body of a report or feedback (base64 photos) */
  photoBodyLimit: number
  /** preValidation hook reading a multipart/form-data body */
  multipartBody: (request: FastifyRequest) => Promise<void>
}

export function flagUser(request: FastifyRequest): FlagUser {
  const u = request.user
  if (!u) throw unauthorized()
  return { id: u.id, login: u.login, role: u.role, personId: u.personId }
}

/** The requesting user for the flags' allowedActions (anonymous: null). */
export function viewerOf(request: FastifyRequest): Promise<FlagViewer | null> {
  return flagViewer(request.server.ctx.db, request.user, request.server.ctx.today())
}

/** Supervisor scope of a flag route: the cell the flag is dispatched to (unknown flag: none, so 404 follows). */
export async function flagCellScope(request: FastifyRequest): Promise<number[]> {
  const { id } = request.params as { id: number }
  return flagScopeCell(request.server.ctx.db, id)
}

/** Unit scope of a flag route: the township unit the flag lies in (unknown flag: none, so 404 follows). */
export async function flagUnitScope(request: FastifyRequest): Promise<number[]> {
  const { id } = request.params as { id: number }
  return flagScopeUnit(request.server.ctx.db, id)
}

export function parseStates(raw: string | undefined): FlagState[] | undefined {
  if (raw === undefined) return undefined
  const states = raw.split(',')
  const unknown = states.filter((s) => !FLAG_STATES.includes(s as FlagState))
  if (unknown.length)
    throw badRequest(
      'invalid_request',
      `querystring parameter "state": ${unknown.join(', ')} is not a state; use ${FLAG_STATES.join(', ')}`,
    )
  return states as FlagState[]
}

interface FilterQuery {
  state?: string
  category?: string
  township?: string
  overdue?: boolean
  bbox?: string
  from?: string
  to?: string
}
export function listQuery(q: FilterQuery): ListQuery {
  parseDay('from', q.from)
  parseDay('to', q.to)
  return {
    state: parseStates(q.state),
    category: q.category,
    township: q.township,
    overdue: q.overdue,
    bbox: parseBbox(q.bbox),
    from: q.from,
    to: q.to,
  }
}
