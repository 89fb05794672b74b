import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { accountabilityAtPoint } from '../../services/accountability.service.js'
import { accountabilityRoutes } from '../../contract/accountability.js'
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
        ...accountabilityRoutes['GET /api/accountability'],
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
