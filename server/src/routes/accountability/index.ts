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
        summary: 'Who is accountable for this point (on this date): the chain from the finest cell up, and the effective person after the fallback rule',
        querystring: Type.Object({ lon: Lon, lat: Lat, at: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
      },
    },
    async (request) => {
      const { lon, lat } = request.query
      return accountabilityAtPoint(app.ctx.db, lon, lat, parseAt(request, request.query.at), request.canSeeContacts, app.ctx.today())
    },
  )
}
export default accountability
