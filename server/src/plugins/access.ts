// Access control in one place. Every /api and /tiles route declares `config.access` in its route
// definition; a route without one fails at registration. Who may call a route (signed in, which role)
// is decided in onRequest, before the body is read or validated: an anonymous or wrong-role request
// costs no parsing and learns nothing about the schema. Only a supervisor's cell scope waits for
// preHandler, because its resolver reads the validated params.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { UserRole } from '../db/schema.js'
import { forbidden, unauthorized, AppError } from '../errors.js'
import { resolveSession, type ResolvedSession, type SessionUser } from '../services/auth.service.js'

export const SESSION_COOKIE = 'everyinch_session'
export const CSRF_HEADER = 'x-csrf-token'

export type Access =
  /** Anyone, signed in or not (health, sign-in, the OpenAPI document). */
  | { public: true }
  /** Every signed-in user; anonymous visitors too when the public map is on (contacts hidden). */
  | { read: true }
  /**
   * Only these roles. For supervisors, `supervisorScope` resolves the cells the request acts on;
   * a supervisor passes only when each of them lies in (or under) one of their own cells. For unit
   * officers, `unitScope` resolves the units (ids) the request acts on; a unit officer passes only
   * when each of them is one of their own units (headed or liaised by the account's person).
   */
  | {
      roles: readonly UserRole[]
      supervisorScope?: (request: FastifyRequest) => Promise<number[]>
      unitScope?: (request: FastifyRequest) => Promise<number[]>
    }

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyInstance {
    /** every guarded route and its declared policy (read by the access-matrix test and /docs) */
    accessPolicies: { method: string; url: string; access: Access }[]
  }
  interface FastifyInstance {
    /** forget cached sessions (sign-out, password reset) so they stop working at once in this process */
    forgetSessions: (match: (session: ResolvedSession) => boolean) => void
  }
  interface FastifyRequest {
    session: ResolvedSession | null
    user: SessionUser | null
    /** Whether phone numbers may be shown to this requester. */
    canSeeContacts: boolean
  }
}

export interface AccessOptions {
  publicMap: boolean
  now: () => Date
  /** cells (ids) a supervisor's person is currently responsible for, with all their descendants */
  supervisorCells: (personId: number) => Promise<Set<number>>
  /** units (ids) a unit officer's person heads or liaises for */
  unitsOfPerson: (personId: number) => Promise<number[]>
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function describeAccess(access: Access): string {
  if ('public' in access) return 'public'
  if ('read' in access) return 'read'
  return (
    access.roles.join(',') +
    (access.supervisorScope ? ' (supervisor: own cells)' : '') +
    (access.unitScope ? ' (unit officer: own units)' : '')
  )
}

export default fp<AccessOptions>(async function accessControl(app: FastifyInstance, options) {
  app.decorateRequest('session', null)
  app.decorateRequest('user', null)
  app.decorateRequest('canSeeContacts', false)

  app.decorate('accessPolicies', [] as { method: string; url: string; access: Access }[])
  app.addHook('onRoute', (route) => {
    const guarded = route.url.startsWith('/api') || route.url.startsWith('/tiles')
    if (guarded && !route.config?.access) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access policy (config.access)`)
    }
    if (route.config?.access) {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD')
          app.accessPolicies.push({ method: String(method), url: route.url, access: route.config.access })
      }
      // document the policy in the OpenAPI output
      const schema = (route.schema ??= {}) as Record<string, unknown>
      schema.description = [schema.description, `Access: ${describeAccess(route.config.access)}.`]
        .filter(Boolean)
        .join('\n\n')
    }
  })

  // Resolved sessions are kept a few seconds, so a burst of map requests costs one session lookup.
  // Expiry is still checked on every request; sign-out and password resets evict at once.
  const cache = new Map<string, { session: ResolvedSession; until: number }>()
  const CACHE_MS = 5_000
  app.decorate('forgetSessions', (match: (session: ResolvedSession) => boolean) => {
    for (const [token, entry] of cache) if (match(entry.session)) cache.delete(token)
  })
  async function sessionFor(token: string, now: Date): Promise<ResolvedSession | null> {
    const hit = cache.get(token)
    if (hit && hit.until > now.getTime() && hit.session.expiresAt > now) return hit.session
    cache.delete(token)
    const session = await resolveSession(app.ctx.db, token, now)
    if (session) {
      if (cache.size >= 10_000) cache.delete(cache.keys().next().value!)
      cache.set(token, { session, until: now.getTime() + CACHE_MS })
    }
    return session
  }

  app.addHook('onRequest', async (request) => {
    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
    const token = bearer ?? request.cookies[SESSION_COOKIE]
    if (!token) return
    const session = await sessionFor(token, options.now())
    if (!session) return
    request.session = session
    request.user = session.user
    request.canSeeContacts = true
    // CSRF: a cookie-authenticated state change must echo the session's token in a header that a
    // cross-site form cannot set. Bearer clients are not exposed to CSRF.
    if (!bearer && STATE_CHANGING.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
      throw new AppError(403, 'csrf_failed', `missing or wrong ${CSRF_HEADER} header`)
    }
  })

  // after the session hook above (hooks run in the order they were added)
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access
    if (access) assertAccess(access, request.user, options.publicMap)
  })

  app.addHook('preHandler', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config.access
    const user = request.user
    if (!access || !('roles' in access) || !user) return
    if (access.supervisorScope && user.role === 'supervisor') {
      const targets = await access.supervisorScope(request)
      const own = await options.supervisorCells(user.personId!)
      const outside = targets.filter((id) => !own.has(id))
      if (outside.length > 0) throw forbidden('supervisors may act only within their own cells')
    }
    if (access.unitScope && user.role === 'unit_officer') {
      const targets = await access.unitScope(request)
      const own = new Set(await options.unitsOfPerson(user.personId!))
      const outside = targets.filter((id) => !own.has(id))
      if (outside.length > 0) throw forbidden('unit officers may act only for their own units')
    }
  })
})

/**
 * The signed-in and role part of a policy (not the supervisor's cell scope): throws 401 or 403.
 * Also used by routes that serve several resources under one path (the tile layers).
 */
export function assertAccess(access: Access, user: SessionUser | null, publicMap: boolean): void {
  if ('public' in access) return
  if ('read' in access) {
    if (!user && !publicMap) throw unauthorized()
    return
  }
  if (!user) throw unauthorized()
  if (!access.roles.includes(user.role)) throw forbidden(`this needs one of the roles: ${access.roles.join(', ')}`)
}
