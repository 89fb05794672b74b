// /api/patrols and /api/patrol-completion. Grid supervisors (and admins) walk patrols; only the walker
// writes to one. The phone's writes carry an Idempotency-Key each, so an offline queue sent again after
// a lost answer stores every batch, check-in and end exactly once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { patrolsRoutes } from '../../contract/patrols.js'
import type { UserRole } from '../../db/schema.js'
import { actorOf } from '../../routes/actor.js'
import { flagUser } from '../flags/routes-common.js'
import { flagSettings } from '../flags/settings.js'
import { patrolCompletion } from './completion.js'
import { reportProblem } from './problems.js'
import { addPoints, checkIn, endPatrol, importGpx, listPatrols, patrolView, startPatrol } from './service.js'

const READERS: readonly UserRole[] = ['admin', 'supervisor', 'inspector', 'viewer', 'unit_officer']
const WALKERS: readonly UserRole[] = ['admin', 'supervisor']

const patrols: FastifyPluginAsyncTypebox = async (app) => {
  const walker = (request: FastifyRequest) => ({
    id: request.user!.id,
    login: actorOf(request).login,
    personId: request.user!.personId ?? null,
  })
  const now = () => app.ctx.now()
  const photoLimits = { maxBytes: app.ctx.config.flagPhotoMaxBytes, maxCount: app.ctx.config.flagPhotoMaxCount }
  // base64 grows by a third; the rest of a check-in is small
  const checkInBodyLimit = Math.ceil(photoLimits.maxBytes * photoLimits.maxCount * 1.4) + 256 * 1024
  const walk = { access: { roles: WALKERS }, idempotency: true }

  app.post(
    '/patrols',
    {
      config: walk,
      schema: {
        tags: ['patrols'],
        summary: 'Start a patrol (巡查) on this device',
        ...patrolsRoutes['POST /api/patrols'],
      },
    },
    async (request, reply) =>
      reply.status(201).send(await startPatrol(app.ctx.db, walker(request), request.body, now())),
  )

  app.post(
    '/patrols/gpx',
    {
      config: { access: { roles: WALKERS } },
      bodyLimit: 11 * 1024 * 1024,
      schema: {
        tags: ['patrols'],
        summary: 'A whole patrol from a GPX track recorded by another device; bad points dropped and counted',
        ...patrolsRoutes['POST /api/patrols/gpx'],
      },
    },
    async (request, reply) => reply.status(201).send(await importGpx(app.ctx.db, walker(request), request.body, now())),
  )

  app.get(
    '/patrols/:id',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['patrols'],
        summary: 'A patrol: its track, points kept and dropped, and its check-ins',
        ...patrolsRoutes['GET /api/patrols/:id'],
      },
    },
    async (request) => patrolView(app.ctx.db, request.params.id),
  )

  app.post(
    '/patrols/:id/points',
    {
      config: walk,
      schema: {
        tags: ['patrols'],
        summary: 'Add a batch of track points: duplicates, future times, poor fixes and jumps are dropped and counted',
        ...patrolsRoutes['POST /api/patrols/:id/points'],
      },
    },
    async (request) => addPoints(app.ctx.db, walker(request), request.params.id, request.body.points, now()),
  )

  app.post(
    '/patrols/:id/end',
    {
      config: walk,
      schema: { tags: ['patrols'], summary: 'End a patrol', ...patrolsRoutes['POST /api/patrols/:id/end'] },
    },
    async (request) => endPatrol(app.ctx.db, walker(request), request.params.id, request.body, now()),
  )

  app.post(
    '/patrols/:id/check-ins',
    {
      config: walk,
      bodyLimit: checkInBodyLimit,
      schema: {
        tags: ['patrols'],
        summary: "Check in at an object nearby: its type's checklist, a note and photos",
        ...patrolsRoutes['POST /api/patrols/:id/check-ins'],
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await checkIn(app.ctx.db, walker(request), request.params.id, request.body, photoLimits, now())),
  )

  app.post(
    '/patrols/:id/problems',
    {
      config: walk,
      bodyLimit: checkInBodyLimit,
      schema: {
        tags: ['patrols'],
        summary:
          'Report a problem found on the patrol: it becomes a flag, routed like any report and linked to the patrol. ' +
          'Refused with 409 possible_duplicate when an open flag of the category is near and recent, unless confirmNotDuplicate.',
        ...patrolsRoutes['POST /api/patrols/:id/problems'],
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await reportProblem(
            app.ctx.db,
            flagSettings(app.ctx.config),
            flagUser(request),
            request.params.id,
            request.body,
            now(),
          ),
        ),
  )

  app.get(
    '/patrols',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['patrols'],
        summary: 'The patrols started in a month, newest first (mine=true: only my own)',
        ...patrolsRoutes['GET /api/patrols'],
      },
    },
    async (request) => listPatrols(app.ctx.db, request.query, request.user!.id, app.ctx.config.serviceTimeZone),
  )

  app.get(
    '/patrol-completion',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['patrols'],
        summary:
          "A month's patrol completion and coverage per leaf cell, objects behind schedule and cells with no patrol",
        ...patrolsRoutes['GET /api/patrol-completion'],
      },
    },
    async (request) => patrolCompletion(app.ctx.db, request.query, app.ctx.config.serviceTimeZone),
  )
}
export default patrols
