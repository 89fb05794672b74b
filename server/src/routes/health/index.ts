import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { healthStatus } from '../../services/health.service.js'

const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Object({
    kind: Type.Union([Type.Literal('embedded'), Type.Literal('server')]),
    postgis: Type.Union([Type.String(), Type.Null()]),
    migration: Type.Union([Type.String(), Type.Null()]),
    mvt: Type.Boolean({ description: 'ST_AsMVT available' }),
  }),
})

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      config: { access: { public: true } },
      schema: { tags: ['system'], summary: 'Service and database status', response: { 200: Health } },
    },
    async () => healthStatus(app.ctx),
  )
}
export default health
