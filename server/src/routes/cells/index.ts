import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { cellCollection, cellDetail } from '../../services/cells.service.js'
import { AtQuery, errorResponses, FeatureCollection } from '../common.schemas.js'
import { parseAt, parseBbox, sendJsonText } from '../query.js'
import { CellCodeParams, CellDetail, CellListQuery } from './schemas.js'

const cells: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/cells',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['cells'],
        summary: 'Grid cells as GeoJSON (by region, level, parent, bbox) with staffing and current responsible people',
        querystring: CellListQuery,
        response: { 200: FeatureCollection, ...errorResponses },
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
        params: CellCodeParams,
        querystring: AtQuery,
        response: { 200: CellDetail, ...errorResponses },
      },
    },
    async (request) => {
      const at = parseAt(request, request.query.at)
      return cellDetail(app.ctx.db, request.params.code, at, request.canSeeContacts)
    },
  )
}
export default cells
