// /api/inspections: campaigns (督查), their findings and the campaign report. Inspectors and county
// officers run campaigns and record findings (each an Idempotency-Key write, as the phone sends them
// again after being offline); every signed-in role reads, a supervisor and a unit officer only the
// findings that are theirs. Rectifying and verifying a finding are its flag's workflow routes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { inspectionsRoutes } from '../../contract/inspections.js'
import type { UserRole } from '../../db/schema.js'
import { flagUser } from '../flags/routes-common.js'
import { photoBodyLimit } from '../flags/routes-upload.js'
import { flagSettings } from '../flags/settings.js'
import { campaignReport, listFindings } from './service-read.js'
import { campaignView, campaignViews, createCampaign, recordFinding } from './service.js'

const READERS: readonly UserRole[] = ['admin', 'supervisor', 'inspector', 'viewer', 'unit_officer']
const INSPECTORS: readonly UserRole[] = ['admin', 'inspector']

const inspections: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx
  const settings = flagSettings(ctx.config)

  app.post(
    '/inspections',
    {
      config: { access: { roles: INSPECTORS } },
      schema: {
        tags: ['inspections'],
        summary: 'Open an inspection campaign (专项督察): period, line of work, cells and units, checklist, limits',
        ...inspectionsRoutes['POST /api/inspections'],
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createCampaign(ctx.db, flagUser(request), request.body, ctx.now())),
  )

  app.get(
    '/inspections',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['inspections'],
        summary: 'Every campaign, newest first, with its findings counted',
        ...inspectionsRoutes['GET /api/inspections'],
      },
    },
    async () => ({ campaigns: await campaignViews(ctx.db, ctx.now()) }),
  )

  app.get(
    '/inspections/:id',
    {
      config: { access: { roles: READERS } },
      schema: { tags: ['inspections'], summary: 'A campaign', ...inspectionsRoutes['GET /api/inspections/:id'] },
    },
    async (request) => campaignView(ctx.db, request.params.id, ctx.now()),
  )

  app.post(
    '/inspections/:id/findings',
    {
      config: { access: { roles: INSPECTORS }, idempotency: true },
      bodyLimit: photoBodyLimit(settings),
      schema: {
        tags: ['inspections'],
        summary:
          'Record a finding: it becomes a flag routed to the accountable cell and its unit, dispatched at once ' +
          "with the campaign's rectification deadline for its severity",
        ...inspectionsRoutes['POST /api/inspections/:id/findings'],
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await recordFinding(ctx.db, settings, flagUser(request), request.params.id, request.body, ctx.now())),
  )

  app.get(
    '/inspections/:id/findings',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['inspections'],
        summary: "A campaign's findings with their rectification state (a supervisor's and a unit officer's own)",
        ...inspectionsRoutes['GET /api/inspections/:id/findings'],
      },
    },
    async (request) => listFindings(ctx.db, flagUser(request), request.params.id, ctx.now(), ctx.today()),
  )

  app.get(
    '/inspections/:id/report',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['inspections'],
        summary: 'The campaign report: findings by unit, checklist item and severity; rectified on time, late, open',
        ...inspectionsRoutes['GET /api/inspections/:id/report'],
      },
    },
    async (request) => campaignReport(ctx.db, request.params.id, ctx.now()),
  )
}
export default inspections
