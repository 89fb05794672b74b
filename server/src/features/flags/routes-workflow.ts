// The flag workflow over HTTP: one route per action. Each route's access policy is the workflow's own
// table (ACTION_ROLES, SUPERVISOR_SCOPED), so the gate and the rule cannot disagree.
import type { FastifyRequest } from 'fastify'
import { flagsRoutes } from '../../contract/flags-routes.js'
import type { PhotoUpload } from './photos.js'
import { flagCellScope, flagUnitScope, flagUser, viewerOf, type FlagRouteDeps, type FlagsApp } from './routes-common.js'
import { uploadsOf } from './routes-upload.js'
import { flagDetail } from './service-read.js'
import { transition } from './service-transition.js'
import { ACTION_ROLES, SUPERVISOR_SCOPED, UNIT_SCOPED, type FlagAction } from './workflow.js'

export default function registerWorkflowRoutes(
  app: FlagsApp,
  { settings, photoBodyLimit, multipartBody }: FlagRouteDeps,
) {
  const ctx = app.ctx

  const act = async (
    request: FastifyRequest,
    action: Exclude<FlagAction, 'dispatch'>,
    input: { version: number; comment?: string | null; photos?: PhotoUpload[] },
  ) => {
    const now = ctx.now()
    await transition(ctx.db, settings, now, flagUser(request), (request.params as { id: number }).id, action, input)
    const id = (request.params as { id: number }).id
    return flagDetail(ctx.db, id, now, request.canSeeContacts, await viewerOf(request))
  }
  // a supervisor acts only on flags dispatched to their cells, a unit officer only on flags in their
  // township; the others' actions are not cell-bound
  const policy = (action: FlagAction) => ({
    access: {
      roles: ACTION_ROLES[action],
      ...(SUPERVISOR_SCOPED.has(action) ? { supervisorScope: flagCellScope } : {}),
      ...(UNIT_SCOPED.has(action) ? { unitScope: flagUnitScope } : {}),
    },
  })

  app.post(
    '/flags/:id/register',
    {
      config: policy('register'),
      schema: {
        tags: ['flags'],
        summary: 'Register a reported flag (county officer); it is routed and dispatched at once',
        ...flagsRoutes['POST /api/flags/:id/register'],
      },
    },
    async (request) => act(request, 'register', request.body),
  )
  app.post(
    '/flags/:id/reject',
    {
      config: policy('reject'),
      schema: {
        tags: ['flags'],
        summary: 'Reject a reported flag, with a reason (county officer)',
        ...flagsRoutes['POST /api/flags/:id/reject'],
      },
    },
    async (request) => act(request, 'reject', { version: request.body.version, comment: request.body.reason }),
  )
  app.post(
    '/flags/:id/acknowledge',
    {
      config: policy('acknowledge'),
      schema: {
        tags: ['flags'],
        summary: 'Acknowledge a dispatched flag: work starts (a supervisor of its cell, or an admin)',
        ...flagsRoutes['POST /api/flags/:id/acknowledge'],
      },
    },
    async (request) => act(request, 'acknowledge', request.body),
  )
  app.post(
    '/flags/:id/feedback',
    {
      config: policy('feedback'),
      bodyLimit: photoBodyLimit,
      preValidation: multipartBody,
      schema: {
        tags: ['flags'],
        summary: "The handler's feedback: a note and optional photos (JSON or multipart/form-data)",
        ...flagsRoutes['POST /api/flags/:id/feedback'],
      },
    },
    async (request) =>
      act(request, 'feedback', {
        version: request.body.version,
        comment: request.body.note,
        photos: uploadsOf(request, request.body.photos),
      }),
  )
  app.post(
    '/flags/:id/verify',
    {
      config: policy('verify'),
      schema: {
        tags: ['flags'],
        summary: 'Verify the feedback and close the flag (an inspector or officer other than the handler)',
        ...flagsRoutes['POST /api/flags/:id/verify'],
      },
    },
    async (request) => act(request, 'verify', request.body),
  )
  app.post(
    '/flags/:id/return',
    {
      config: policy('return'),
      schema: {
        tags: ['flags'],
        summary: 'Return the feedback as not done, with a comment',
        ...flagsRoutes['POST /api/flags/:id/return'],
      },
    },
    async (request) => act(request, 'return', request.body),
  )
  app.post(
    '/flags/:id/reopen',
    {
      config: policy('reopen'),
      schema: {
        tags: ['flags'],
        summary: 'Reopen a closed flag, with a comment',
        ...flagsRoutes['POST /api/flags/:id/reopen'],
      },
    },
    async (request) => act(request, 'reopen', request.body),
  )
}
