import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SESSION_COOKIE } from '../../plugins/access.js'
import { signIn, signOut } from '../../services/auth.service.js'
import { signinThrottle } from '../../services/signin-throttle.js'
import { AppError } from '../../errors.js'
import { sessionRoutes } from '../../contract/session.js'

const session: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.ctx
  const throttle = signinThrottle({ perMinute: config.signinRatePerMinute, now: app.ctx.now })

  app.post(
    '/session',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['session'],
        summary: 'Sign in; sets an HttpOnly session cookie and returns the CSRF token (and a bearer token)',
        ...sessionRoutes['POST /api/session'],
      },
    },
    async (request, reply) => {
      throttle.check(request.ip)
      const { token, session } = await signIn(
        app.ctx.db,
        config,
        app.ctx.now(),
        request.body.login,
        request.body.password,
        request.ip,
      )
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: config.cookieSecure,
        expires: session.expiresAt,
      })
      return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString(), token }
    },
  )

  app.get(
    '/session',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['session'],
        summary: 'The signed-in user, or 401',
        ...sessionRoutes['GET /api/session'],
      },
    },
    async (request) => {
      if (!request.session) throw new AppError(401, 'not_signed_in', 'not signed in')
      const s = request.session
      return { user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() }
    },
  )

  app.delete(
    '/session',
    {
      config: { access: { roles: ['admin', 'supervisor', 'inspector', 'viewer', 'unit_officer'] } },
      schema: { tags: ['session'], summary: 'Sign out', ...sessionRoutes['DELETE /api/session'] },
    },
    async (request, reply) => {
      const { sessionId, user } = request.session!
      await signOut(app.ctx.db, { id: user.id, login: user.login }, sessionId)
      app.forgetSessions((s) => s.sessionId === sessionId)
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.status(204).send(null)
    },
  )
}
export default session
