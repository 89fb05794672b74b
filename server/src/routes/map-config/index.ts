import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Nullable } from '../common.schemas.js'
import { hasDemoUsers } from '../../db/repositories/users.repository.js'

const mapConfig: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/map-config',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['system'],
        summary: 'What the web map needs before sign-in: optional basemap, whether the public map is on',
        response: {
          200: Type.Object({
            basemapUrl: Nullable(Type.String()),
            publicMap: Type.Boolean(),
            expiringSoonDays: Type.Integer(),
            demo: Type.Boolean({ description: 'demo accounts exist' }),
          }),
        },
      },
    },
    async () => ({
      basemapUrl: app.ctx.config.basemapUrl ?? null,
      publicMap: app.ctx.config.publicMap,
      expiringSoonDays: app.ctx.config.expiringSoonDays,
      demo: await hasDemoUsers(app.ctx.db),
    }),
  )
}
export default mapConfig
