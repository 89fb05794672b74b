import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { search } from '../../services/search.service.js'
import { errorResponses, Limit, PRINTABLE_PATTERN } from '../common.schemas.js'

const Hit = Type.Object({
  type: Type.Union([Type.Literal('cell'), Type.Literal('person'), Type.Literal('parcel')]),
  id: Type.Integer(),
  key: Type.String({ description: 'cell code, person id or parcel external id' }),
  label: Type.String(),
  detail: Type.String(),
  bbox: Type.Union([Type.Array(Type.Number()), Type.Null()]),
})

const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/search',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['search'],
        summary: 'Find cells (code or name), people (name) and parcels (external id)',
        querystring: Type.Object(
          {
            q: Type.String({
              minLength: 1,
              maxLength: 100,
              pattern: PRINTABLE_PATTERN,
              description: 'literal text (% and _ are not wildcards)',
            }),
            limit: Type.Optional(Limit(50, 10)),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Hit), ...errorResponses },
      },
    },
    async (request) => search(app.ctx.db, request.query.q.trim(), request.query.limit ?? 10, app.ctx.today()),
  )
}
export default searchRoutes
