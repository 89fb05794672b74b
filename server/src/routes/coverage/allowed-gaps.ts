import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { allowedGaps, createAllowedGap, removeAllowedGap } from '../../services/allowed-gaps.service.js'
import { actorOf } from '../actor.js'
import { coverageRoutes } from '../../contract/coverage.js'

const allowedGapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/allowed-gaps',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['coverage'],
        summary: 'Registered, accepted gaps',
        ...coverageRoutes['GET /api/allowed-gaps'],
      },
    },
    async () => allowedGaps(app.ctx.db),
  )
  app.post(
    '/allowed-gaps',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['coverage'],
        summary: 'Register a known, accepted gap (reported separately, not as a defect)',
        ...coverageRoutes['POST /api/allowed-gaps'],
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createAllowedGap(app.ctx.db, actorOf(request), request.body)),
  )
  app.delete(
    '/allowed-gaps/:id',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['coverage'],
        summary: 'Withdraw an allowed gap',
        ...coverageRoutes['DELETE /api/allowed-gaps/:id'],
      },
    },
    async (request, reply) => {
      await removeAllowedGap(app.ctx.db, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    },
  )
}
export default allowedGapRoutes
