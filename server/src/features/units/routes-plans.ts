// Plans, measures and milestones. Creating a measure (or adding a unit to it) creates its ledger
// entries; a milestone's month is 1..12 of the plan year (any other month is refused by the schema).
import { unitsRoutes } from '../../contract/units.js'
import { actorOf } from '../../routes/actor.js'
import { ADMIN, READ, type UnitsApp } from './routes-common.js'
import { createMeasure, createPlan, patchMeasure, planDetail, plans, putMilestone } from './service-plans.js'
import type { UnitsSettings } from './settings.js'

export default function registerPlanRoutes(app: UnitsApp, settings: UnitsSettings) {
  const ctx = app.ctx
  const tags = ['plans']
  app.get(
    '/plans',
    { config: READ, schema: { tags, summary: 'Plans (per line and year)', ...unitsRoutes['GET /api/plans'] } },
    async (request) => plans(ctx.db, request.query.year),
  )
  app.post(
    '/plans',
    {
      config: ADMIN,
      schema: { tags, summary: 'Add the plan of a line for a year', ...unitsRoutes['POST /api/plans'] },
    },
    async (request, reply) =>
      reply.status(201).send(await createPlan(ctx.db, actorOf(request), request.body, ctx.now())),
  )
  app.get(
    '/plans/:id',
    {
      config: READ,
      schema: { tags, summary: 'A plan with its measures, units and milestones', ...unitsRoutes['GET /api/plans/:id'] },
    },
    async (request) => planDetail(ctx.db, request.params.id),
  )
  app.post(
    '/plans/:id/measures',
    {
      config: ADMIN,
      schema: {
        tags,
        summary: 'Add a measure; each responsible unit gets a ledger entry for every month of the plan year',
        ...unitsRoutes['POST /api/plans/:id/measures'],
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createMeasure(ctx.db, settings, actorOf(request), request.params.id, request.body, ctx.now())),
  )
  app.patch(
    '/measures/:id',
    {
      config: ADMIN,
      schema: {
        tags,
        summary: 'Change a measure, or add responsible units (with their ledger entries)',
        ...unitsRoutes['PATCH /api/measures/:id'],
      },
    },
    async (request) => patchMeasure(ctx.db, settings, actorOf(request), request.params.id, request.body, ctx.now()),
  )
  app.put(
    '/measures/:id/milestones/:month',
    {
      config: ADMIN,
      schema: {
        tags,
        summary: "Set a month's milestone; the month's entries still in draft or returned take it too",
        ...unitsRoutes['PUT /api/measures/:id/milestones/:month'],
      },
    },
    async (request) =>
      putMilestone(ctx.db, actorOf(request), request.params.id, request.params.month, request.body, ctx.now()),
  )
}
