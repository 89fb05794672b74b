import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createPerson, listPeople, personDetail } from '../../services/people.service.js'
import { actorOf } from '../actor.js'
import { peopleRoutes as contract } from '../../contract/people.js'
import { parseAt } from '../query.js'

const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/people',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['people'],
        summary: 'Responsible people (phone numbers only for signed-in users)',
        ...contract['GET /api/people'],
      },
    },
    async (request) =>
      listPeople(
        app.ctx.db,
        { q: request.query.q, limit: request.query.limit ?? 100, offset: request.query.offset ?? 0 },
        request.canSeeContacts,
      ),
  )

  app.get(
    '/people/:id',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['people'],
        summary: 'A person, the cells they are responsible for on a date (with bbox) and their responsibility history',
        ...contract['GET /api/people/:id'],
      },
    },
    async (request) =>
      personDetail(app.ctx.db, request.params.id, parseAt(request, request.query.at), request.canSeeContacts),
  )

  app.post(
    '/people',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['people'],
        summary: 'Add a person',
        ...contract['POST /api/people'],
      },
    },
    async (request, reply) => reply.status(201).send(await createPerson(app.ctx.db, actorOf(request), request.body)),
  )
}
export default peopleRoutes
