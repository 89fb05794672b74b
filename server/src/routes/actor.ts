import type { FastifyRequest } from 'fastify'
import type { Actor } from '../actor.js'

/** The acting user, as recorded in the audit log. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.user) throw new Error('actorOf called on an anonymous request; the route policy should have refused it')
  return { id: request.user.id, login: request.user.login }
}
