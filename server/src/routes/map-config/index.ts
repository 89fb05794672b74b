import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { mapConfigRoutes } from '../../contract/map-config.js'
import { demoAccountsExist } from '../../services/auth.service.js'
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
        ...mapConfigRoutes['GET /api/map-config'],
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
