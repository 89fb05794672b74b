import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { cellCollection, cellDetail } from '../../services/cells.service.js'
import { cellsRoutes } from '../../contract/cells.js'
import { parseAt, parseBbox, sendJsonText } from '../query.js'

const cells: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/cells',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['cells'],
        summary: 'Grid cells as GeoJSON (by region, level, parent, bbox) with staffing and current responsible people',
        ...cellsRoutes['GET /api/cells'],
      },
    },
    async (request, reply) => {
      const q = request.query
      const { geojson, total } = await cellCollection(app.ctx.db, {
        region: q.region,
        level: q.level,
        parent: q.parent,
        bbox: parseBbox(q.bbox),
        at: parseAt(request, q.at),
        expiringSoonDays: app.ctx.config.expiringSoonDays,
        contacts: request.canSeeContacts,
        simplify: q.simplify ?? 0,
        limit: q.limit ?? 1000,
        offset: q.offset ?? 0,
      })
      return sendJsonText(reply, geojson, { 'x-total-count': String(total) })
    },
  )

  app.get(
    '/cells/:code',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['cells'],
        summary: "A cell's boundary, children, people, parcels by status and responsibility history",
        ...cellsRoutes['GET /api/cells/:code'],
      },
    },
    async (request) => {
      const at = parseAt(request, request.query.at)
      return cellDetail(app.ctx.db, request.params.code, at, request.canSeeContacts)
    },
  )
}
export default cells
