import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { healthRoutes } from '../../contract/health.js'
import { healthStatus } from '../../services/health.service.js'
const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      config: { access: { public: true } },
      schema: { tags: ['system'], summary: 'Service and database status', ...healthRoutes['GET /api/health'] },
    },
    async () => healthStatus(app.ctx),
  )
}
export default health
