// Inspector flags: the plugin, categories and the working calendar, and reporting (JSON or
// multipart/form-data, so a phone web form can post photos). Reading is in routes-read.ts, the
// workflow in routes-workflow.ts; schemas come from the contract (contract/flags.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import multipart from '@fastify/multipart'
import { flagsRoutes } from '../../contract/flags-routes.js'
import { actorOf } from '../../routes/actor.js'
import { parseDay } from '../../routes/query.js'
import { flagUser, viewerOf, type FlagRouteDeps } from './routes-common.js'
import registerReadRoutes from './routes-read.js'
import { multipartBody, multipartLimits, photoBodyLimit, uploadsOf } from './routes-upload.js'
import registerWorkflowRoutes from './routes-workflow.js'
import { createFlag } from './service.js'
import { categories, holidays, putCategory, putHoliday, removeHoliday } from './service-calendar.js'
import { flagDetail } from './service-read.js'
import { flagSettings } from './settings.js'

const flags: FastifyPluginAsyncTypebox = async (app) => {
  const settings = flagSettings(app.ctx.config)
  const ctx = app.ctx
  const deps: FlagRouteDeps = {
    settings,
    photoBodyLimit: photoBodyLimit(settings),
    multipartBody: multipartBody(settings),
  }

  // multipart only for the routes of this plugin (encapsulated)
  await app.register(multipart, { limits: multipartLimits(settings) })
  app.decorateRequest('flagUploads', null)

  // ------------------------------------------------------------ categories and the working calendar

  app.get(
    '/flags/categories',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['flags'],
        summary: 'Flag categories with their acknowledgement and completion limits',
        ...flagsRoutes['GET /api/flags/categories'],
      },
    },
    async () => categories(ctx.db),
  )

  app.put(
    '/flags/categories/:code',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['flags'],
        summary: 'Add or change a flag category; new limits apply to flags dispatched from now on',
        ...flagsRoutes['PUT /api/flags/categories/:code'],
      },
    },
    async (request) => putCategory(ctx.db, actorOf(request), request.params.code, request.body),
  )

  app.get(
    '/flags/holidays',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['flags'],
        summary: 'Exceptions to the working week: holidays and make-up working days',
        ...flagsRoutes['GET /api/flags/holidays'],
      },
    },
    async () => holidays(ctx.db),
  )

  app.put(
    '/flags/holidays/:day',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['flags'],
        summary:
          'Mark a day as a holiday (or, with working: true, a make-up working day); applies to flags dispatched from now on',
        ...flagsRoutes['PUT /api/flags/holidays/:day'],
      },
    },
    async (request) => {
      parseDay('day', request.params.day, 'path')
      return putHoliday(ctx.db, actorOf(request), request.params.day, request.body)
    },
  )

  app.delete(
    '/flags/holidays/:day',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['flags'],
        summary: 'Remove a holiday or make-up working day',
        ...flagsRoutes['DELETE /api/flags/holidays/:day'],
      },
    },
    async (request, reply) => {
      await removeHoliday(ctx.db, actorOf(request), request.params.day)
      return reply.status(204).send(null)
    },
  )

  // ------------------------------------------------------------ reporting

  app.post(
    '/flags',
    {
      // a phone queues reports offline and sends them again: the key names one report, photos included
      config: { access: { roles: ['inspector', 'admin'] }, idempotency: { files: (request) => request.flagUploads } },
      bodyLimit: deps.photoBodyLimit,
      preValidation: deps.multipartBody,
      schema: {
        tags: ['flags'],
        summary:
          'Report a flag at a point or over an area, with optional photos. Refused with 409 possible_duplicate when an open flag of the ' +
          'category is near and recent, unless confirmNotDuplicate; with sameAs the report is added to that flag instead (200).',
        ...flagsRoutes['POST /api/flags'],
      },
    },
    async (request, reply) => {
      const body = request.body
      const now = ctx.now()
      const result = await createFlag(ctx.db, settings, now, flagUser(request), {
        ...body,
        photos: uploadsOf(request, body.photos),
      })
      const flag = await flagDetail(ctx.db, result.id, now, request.canSeeContacts, await viewerOf(request))
      if (result.kind === 'same_as')
        return reply.status(200).send({ sameAs: true as const, eventId: result.eventId, flag })
      return reply.status(201).send(flag)
    },
  )

  registerReadRoutes(app, deps)
  registerWorkflowRoutes(app, deps)
}
export default flags
