// Reading flags: lists with filters, a supervisor's inbox, the map layer, exports, the monthly figures,
// escalation on demand, a flag with its timeline, and its photos.
import type { UserRole } from '../../db/schema.js'
import { flagsRoutes } from '../../contract/flags-routes.js'
import { actorOf } from '../../routes/actor.js'
import { sendJsonText } from '../../routes/query.js'
import { FLAG_MAP_ACCESS } from './access.js'
import { escalateOverdue } from './escalation.js'
import { flagCellScope, listQuery, parseStates, viewerOf, type FlagRouteDeps, type FlagsApp } from './routes-common.js'
import { assessment } from './service-assessment.js'
import { exportFlags } from './service-export.js'
import { flagDetail, flagMap, flagPhoto, inbox, listFlags } from './service-read.js'

// a unit officer reads what a county officer (viewer) reads
const READERS: UserRole[] = ['admin', 'viewer', 'inspector', 'unit_officer']
const OFFICERS: UserRole[] = ['admin', 'viewer', 'unit_officer']

export default function registerReadRoutes(app: FlagsApp, { settings }: FlagRouteDeps) {
  const ctx = app.ctx
  app.get(
    '/flags',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['flags'],
        summary:
          "Flags with filters, newest first. County officers see all; inspectors too (they verify others' flags), mine=true for their own",
        ...flagsRoutes['GET /api/flags'],
      },
    },
    async (request) => {
      const q = request.query
      return listFlags(
        ctx.db,
        { ...listQuery(q), reportedBy: q.mine ? request.user!.id : undefined, limit: q.limit, offset: q.offset },
        ctx.now(),
        settings.timeZone,
        await viewerOf(request),
      )
    },
  )

  app.get(
    '/flags/inbox',
    {
      config: { access: { roles: ['supervisor'] } },
      schema: {
        tags: ['flags'],
        summary:
          "A supervisor's flags: dispatched or escalated to their cells and the cells below (open ones unless state is given), with counts by state",
        ...flagsRoutes['GET /api/flags/inbox'],
      },
    },
    async (request) => {
      const q = request.query
      const viewer = await viewerOf(request)
      return inbox(
        ctx.db,
        [...(viewer?.cellIds ?? [])],
        { state: parseStates(q.state), category: q.category, overdue: q.overdue, limit: q.limit, offset: q.offset },
        ctx.now(),
        settings.timeZone,
        viewer,
      )
    },
  )

  app.get(
    '/flags.geojson',
    {
      config: { access: FLAG_MAP_ACCESS },
      schema: {
        tags: ['flags'],
        summary:
          'Map layer: flags as a GeoJSON FeatureCollection with state and its colour (supervisors: their cells only)',
        ...flagsRoutes['GET /api/flags.geojson'],
      },
    },
    async (request, reply) => {
      const q = request.query
      const cellIds = request.user!.role === 'supervisor' ? [...((await viewerOf(request))?.cellIds ?? [])] : undefined
      const { geojson, total } = await flagMap(
        ctx.db,
        { ...listQuery(q), cellIds, limit: q.limit },
        ctx.now(),
        settings.timeZone,
      )
      return sendJsonText(reply, geojson, { 'x-total-count': String(total) })
    },
  )

  app.get(
    '/flags/export',
    {
      config: { access: { roles: OFFICERS } },
      schema: {
        tags: ['flags'],
        summary: 'The filtered list as CSV (UTF-8 with BOM) or GeoJSON, as a download',
        ...flagsRoutes['GET /api/flags/export'],
      },
    },
    async (request, reply) => {
      const q = request.query
      const out = await exportFlags(
        ctx.db,
        q.format,
        { ...listQuery(q), reportedBy: q.mine ? request.user!.id : undefined },
        ctx.now(),
        settings.timeZone,
      )
      return reply
        .type(out.contentType)
        .header('content-disposition', `attachment; filename="${out.filename}"`)
        .send(out.body)
    },
  )

  app.get(
    '/flags/assessment',
    {
      config: { access: { roles: OFFICERS } },
      schema: {
        tags: ['flags'],
        summary:
          'Monthly figures per cell, township or person: received, registered, due, closure and on-time closure rates, mean time to close, reopen rate; township ranking',
        ...flagsRoutes['GET /api/flags/assessment'],
      },
    },
    async (request) =>
      assessment(ctx.db, request.query.month, request.query.by ?? 'cell', ctx.now(), settings.timeZone),
  )

  app.post(
    '/flags/escalate',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['flags'],
        summary: 'Escalate overdue flags now (the server also does it periodically)',
        ...flagsRoutes['POST /api/flags/escalate'],
      },
    },
    async (request) => escalateOverdue(ctx.db, settings, ctx.now(), actorOf(request)),
  )

  app.get(
    '/flags/:id',
    {
      config: { access: { roles: [...READERS, 'supervisor'], supervisorScope: flagCellScope } },
      schema: {
        tags: ['flags'],
        summary: 'A flag with its timeline, photos and the people it was dispatched (and escalated) to',
        ...flagsRoutes['GET /api/flags/:id'],
      },
    },
    async (request) =>
      flagDetail(ctx.db, request.params.id, ctx.now(), request.canSeeContacts, await viewerOf(request)),
  )

  app.get(
    '/flags/:id/photos/:photoId',
    {
      config: { access: { roles: [...READERS, 'supervisor'], supervisorScope: flagCellScope } },
      schema: {
        tags: ['flags'],
        summary: "A flag's photo, served with its content type",
        ...flagsRoutes['GET /api/flags/:id/photos/:photoId'],
      },
    },
    async (request, reply) => {
      const photo = await flagPhoto(ctx.db, request.params.id, request.params.photoId)
      return reply
        .type(photo.contentType)
        .header('cache-control', 'private, max-age=86400')
        .header('content-disposition', 'inline')
        .send(photo.data)
    },
  )
}
