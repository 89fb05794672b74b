import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { search } from '../../services/search.service.js'
import { searchRoutes as contract } from '../../contract/search.js'

const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/search',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['search'],
        summary: 'Find cells (code or name), people (name), parcels (external id) and, signed in, supervised objects',
        ...contract['GET /api/search'],
      },
    },
    async (request) =>
      search(app.ctx.db, request.query.q.trim(), request.query.limit ?? 10, app.ctx.today(), request.user !== null),
  )
}
export default searchRoutes
