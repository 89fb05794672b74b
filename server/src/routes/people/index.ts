import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { createPerson, listPeople, personDetail } from '../../services/people.service.js'
import { actorOf } from '../actor.js'
import { AtQuery, errorResponses, IdParams, Limit, Nullable, Offset, PRINTABLE_PATTERN } from '../common.schemas.js'
import { parseAt } from '../query.js'

const Person = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  organisation: Nullable(Type.String()),
})

const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/people',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['people'],
        summary: 'Responsible people (phone numbers only for signed-in users)',
        querystring: Type.Object(
          {
            q: Type.Optional(
              Type.String({
                maxLength: 100,
                pattern: PRINTABLE_PATTERN,
                description: 'part of the name (a literal text: % and _ are not wildcards)',
              }),
            ),
            limit: Type.Optional(Limit(1000, 100)),
            offset: Type.Optional(Offset),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Person), ...errorResponses },
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
        params: IdParams,
        querystring: AtQuery,
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
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
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            nameEn: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
            phone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+ -]{3,20}$' }))),
            organisation: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
          },
          { additionalProperties: false },
        ),
        response: { 201: Person, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createPerson(app.ctx.db, actorOf(request), request.body)),
  )
}
export default peopleRoutes
