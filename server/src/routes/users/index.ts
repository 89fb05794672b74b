import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { createUser, listAccounts, resetPassword } from '../../services/auth.service.js'
import { actorOf } from '../actor.js'
import { Code, errorResponses, Id, Nullable, PRINTABLE_PATTERN } from '../common.schemas.js'

const Role = Type.Union([
  Type.Literal('admin'),
  Type.Literal('supervisor'),
  Type.Literal('inspector'),
  Type.Literal('viewer'),
])
const User = Type.Object({
  id: Type.Integer(),
  login: Type.String(),
  displayName: Type.String(),
  role: Role,
  personId: Nullable(Type.Integer()),
  isDemo: Type.Boolean(),
  disabled: Type.Boolean(),
})
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
  role: u.role as 'admin',
  personId: u.person_id,
  isDemo: u.is_demo,
  disabled: u.disabled,
})

const users: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/users',
    {
      config: adminOnly,
      schema: { tags: ['users'], summary: 'List accounts', response: { 200: Type.Array(User), ...errorResponses } },
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
        body: Type.Object(
          {
            login: Type.String({ minLength: 3, maxLength: 64, pattern: PRINTABLE_PATTERN }),
            displayName: Type.String({ minLength: 1, maxLength: 200 }),
            role: Role,
            personId: Type.Optional(Nullable(Id())),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: User, ...errorResponses },
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
        params: Type.Object({ login: Code('login') }),
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses },
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
