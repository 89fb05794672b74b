import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { accountabilityAtPoint } from '../../services/accountability.service.js'
import { errorResponses, IsoDate, Lat, Lon } from '../common.schemas.js'
import { parseAt } from '../query.js'

const accountability: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/accountability',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['accountability'],
        summary:
          'Who is accountable for this point (on this date): the chain from the finest cell up, and the effective person after the fallback rule',
        querystring: Type.Object({ lon: Lon, lat: Lat, at: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: {
          200: Type.Object(
            {
              covered: Type.Boolean(),
              message: Type.Union([Type.String(), Type.Null()]),
              missingLevel: Type.Union([Type.Integer(), Type.Null()]),
              outsideRegion: Type.Boolean({
                description:
                  "a cell answers for the point, but the point lies outside that cell's region (the cell overhangs the outline)",
              }),
              sliverGap: Type.Union([
                Type.Object(
                  {
                    parentCode: Type.String(),
                    areaM2: Type.Number(),
                    toleranceM2: Type.Number(),
                    nearestCellCodes: Type.Array(Type.String()),
                    cellCode: Type.String({ description: 'the leaf cell answering for the point' }),
                  },
                  {
                    description:
                      'the point lies in a gap within the sliver tolerance, which the coverage report counts as covered; the nearest cell answers',
                  },
                ),
                Type.Null(),
              ]),
            },
            { additionalProperties: true },
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { lon, lat } = request.query
      return accountabilityAtPoint(
        app.ctx.db,
        lon,
        lat,
        parseAt(request, request.query.at),
        request.canSeeContacts,
        app.ctx.today(),
        app.ctx.config.sliverToleranceM2,
      )
    },
  )
}
export default accountability
