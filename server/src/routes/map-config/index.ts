import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Nullable } from '../common.schemas.js'
import { demoAccountsExist } from '../../services/auth.service.js'
import { FlagRules } from '../../contract/flags.js'
import { PHOTO_TYPES } from '../../features/flags/photos.js'
import { flagRules } from '../../features/flags/settings.js'

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
            flagPhotos: Type.Object({
              maxBytes: Type.Integer(),
              maxCount: Type.Integer(),
              types: Type.Array(Type.String()),
            }),
            today: Type.String({
              format: 'date',
              description: "today's date in the service time zone: the day duties, routing and scopes answer for",
            }),
            timeZone: Type.String({ description: 'the service time zone (SERVICE_TIME_ZONE)' }),
            flagRules: FlagRules,
          }),
        },
      },
    },
    async () => ({
      basemapUrl: app.ctx.config.basemapUrl ?? null,
      publicMap: app.ctx.config.publicMap,
      expiringSoonDays: app.ctx.config.expiringSoonDays,
      demo: await demoAccountsExist(app.ctx.db),
      flagPhotos: {
        maxBytes: app.ctx.config.flagPhotoMaxBytes,
        maxCount: app.ctx.config.flagPhotoMaxCount,
        types: [...PHOTO_TYPES],
      },
      today: app.ctx.today(),
      timeZone: app.ctx.config.serviceTimeZone,
      flagRules: flagRules(app.ctx.config),
    }),
  )
}
export default mapConfig
