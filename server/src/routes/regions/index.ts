import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { contextAreasGeoJSON, listRegions, regionOutline } from '../../services/regions.service.js'
import { rematchRegion } from '../../services/matching.service.js'
import { actorOf } from '../actor.js'
import { regionsRoutes } from '../../contract/regions.js'
import { sendJsonText } from '../query.js'

const regions: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/regions',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['regions'],
        summary: 'Regions (jurisdictions to be fully covered)',
        ...regionsRoutes['GET /api/regions'],
      },
    },
    async () => listRegions(app.ctx.db),
  )

  app.get(
    '/regions/:code/outline',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['regions'],
        summary: "A region's outline as a GeoJSON Feature",
        ...regionsRoutes['GET /api/regions/:code/outline'],
      },
    },
    async (request) => regionOutline(app.ctx.db, request.params.code),
  )

  app.get(
    '/context-areas',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['regions'],
        summary: 'Neighbouring areas drawn for context',
        ...regionsRoutes['GET /api/context-areas'],
      },
    },
    async (_request, reply) => sendJsonText(reply, await contextAreasGeoJSON(app.ctx.db)),
  )

  app.post(
    '/regions/:code/rematch',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['regions'],
        summary: "Full rematch of a region's parcels; counts by status",
        ...regionsRoutes['POST /api/regions/:code/rematch'],
      },
    },
    async (request) =>
      rematchRegion(
        app.ctx.db,
        actorOf(request),
        request.params.code,
        app.ctx.config.matchToleranceM2,
        app.ctx.today(),
      ),
  )
}
export default regions
