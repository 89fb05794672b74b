import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { allowedGaps, createAllowedGap, removeAllowedGap } from '../../services/allowed-gaps.service.js'
import { actorOf } from '../actor.js'
import { Code, errorResponses, GeoJSONGeometry, IdParams } from '../common.schemas.js'

const AllowedGap = Type.Object(
  { id: Type.Integer(), cellCode: Type.String(), reason: Type.String() },
  { additionalProperties: true },
)

const allowedGapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/allowed-gaps',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['coverage'],
        summary: 'Registered, accepted gaps',
        response: { 200: Type.Array(AllowedGap), ...errorResponses },
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
        body: Type.Object(
          {
            cellCode: Code('the parent cell whose children leave it uncovered', 32),
            geometry: GeoJSONGeometry,
            reason: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: AllowedGap, ...errorResponses },
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
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await removeAllowedGap(app.ctx.db, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    },
  )
}
export default allowedGapRoutes
