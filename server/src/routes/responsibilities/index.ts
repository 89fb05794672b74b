import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { assignResponsibility, endResponsibility } from '../../services/people.service.js'
import { actorOf } from '../actor.js'
import { responsibilitiesRoutes } from '../../contract/responsibilities.js'

const responsibilities: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/responsibilities',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['responsibilities'],
        summary: "Assign a person's duty for a cell, with role and effective dates",
        ...responsibilitiesRoutes['POST /api/responsibilities'],
      },
    },
    async (request, reply) =>
      reply.status(201).send(await assignResponsibility(app.ctx.db, actorOf(request), request.body)),
  )

  app.post(
    '/responsibilities/:id/end',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['responsibilities'],
        summary: 'End a responsibility: endsOn is its last day',
        ...responsibilitiesRoutes['POST /api/responsibilities/:id/end'],
      },
    },
    async (request) =>
      endResponsibility(app.ctx.db, actorOf(request), request.params.id, request.body.endsOn, request.body.reason),
  )
}
export default responsibilities
