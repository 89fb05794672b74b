import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createUser, listAccounts, resetPassword } from '../../services/auth.service.js'
import { actorOf } from '../actor.js'
import { usersRoutes } from '../../contract/users.js'
import type { UserRole } from '../../contract/common.js'

const adminOnly = { access: { roles: ['admin'] as const } }

const toApi = (u: {
  id: number
  login: string
  display_name: string
  role: string
  person_id: number | null
  is_demo: boolean
  disabled: boolean
}) => ({
  id: u.id,
  login: u.login,
  displayName: u.display_name,
  role: u.role as UserRole,
  personId: u.person_id,
  isDemo: u.is_demo,
  disabled: u.disabled,
})

const users: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/users',
    {
      config: adminOnly,
      schema: { tags: ['users'], summary: 'List accounts', ...usersRoutes['GET /api/users'] },
    },
    async () => (await listAccounts(app.ctx.db)).map(toApi),
  )

  app.post(
    '/users',
    {
      config: adminOnly,
      schema: {
        tags: ['users'],
        summary: 'Create an account',
        ...usersRoutes['POST /api/users'],
      },
    },
    async (request, reply) => {
      const user = await createUser(app.ctx.db, actorOf(request), request.body)
      return reply.status(201).send(toApi(user))
    },
  )

  app.put(
    '/users/:login/password',
    {
      config: adminOnly,
      schema: {
        tags: ['users'],
        summary: "Reset a user's password (ends their sessions)",
        ...usersRoutes['PUT /api/users/:login/password'],
      },
    },
    async (request, reply) => {
      await resetPassword(app.ctx.db, actorOf(request), request.params.login, request.body.password)
      app.forgetSessions((s) => s.user.login === request.params.login.trim().toLowerCase())
      return reply.status(204).send(null)
    },
  )
}
export default users
