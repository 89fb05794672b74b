import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { assignResponsibility, endResponsibility } from '../../services/people.service.js'
import { actorOf } from '../actor.js'
import { Code, errorResponses, Id, IdParams, IsoDate, Nullable } from '../common.schemas.js'

const Role = Type.Union([Type.Literal('grid_chief'), Type.Literal('grid_member'), Type.Literal('specialist')])
const Responsibility = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  cellCode: Type.Optional(Type.String()),
  role: Role,
  startsOn: Type.String(),
  endsOn: Nullable(Type.String()),
})

const responsibilities: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/responsibilities',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['responsibilities'],
        summary: "Assign a person's duty for a cell, with role and effective dates",
        body: Type.Object(
          {
            personId: Id(),
            cellCode: Code('cell code', 32),
            role: Role,
            startsOn: IsoDate,
            endsOn: Type.Optional(Nullable(IsoDate)),
            reason: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Responsibility, ...errorResponses },
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
        params: IdParams,
        body: Type.Object(
          { endsOn: IsoDate, reason: Type.Optional(Type.String({ maxLength: 1000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Responsibility, ...errorResponses },
      },
    },
    async (request) =>
      endResponsibility(app.ctx.db, actorOf(request), request.params.id, request.body.endsOn, request.body.reason),
  )
}
export default responsibilities
