// The units feature's plugin: responsible units, lines of work and indicators here; plans and measures
// in routes-plans.ts, letters and progress in routes-letters.ts. Reads are for every signed-in role
// (these are internal government figures: never anonymous, even with the public map); writes are the
// admin's. Schemas come from the contract (contract/units.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { unitsRoutes } from '../../contract/units.js'
import { actorOf } from '../../routes/actor.js'
import { ADMIN, READ } from './routes-common.js'
import registerLetterRoutes from './routes-letters.js'
import registerPlanRoutes from './routes-plans.js'
import { indicators, lines, putIndicator, putLine } from './service-catalog.js'
import { unitDetail } from './service-progress.js'
import { createUnit, myUnits, patchUnit, syncTownshipUnits, units } from './service.js'
import { unitsSettings } from './settings.js'

const unitsPlugin: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx
  const settings = unitsSettings(ctx.config)
  const tags = ['units']

  app.get(
    '/units',
    {
      config: READ,
      schema: { tags, summary: 'Responsible units: townships, then departments', ...unitsRoutes['GET /api/units'] },
    },
    async () => units(ctx.db),
  )
  app.get(
    '/units/mine',
    {
      config: { access: { roles: ['unit_officer'] } },
      schema: {
        tags,
        summary: "A unit officer's units: those their person heads or liaises for",
        ...unitsRoutes['GET /api/units/mine'],
      },
    },
    async (request) => myUnits(ctx.db, request.user!.personId),
  )
  app.post(
    '/units/sync',
    {
      config: ADMIN,
      schema: {
        tags,
        summary: 'Make a township unit for every current level-2 cell that has none (idempotent)',
        ...unitsRoutes['POST /api/units/sync'],
      },
    },
    async (request) => syncTownshipUnits(ctx.db, actorOf(request), ctx.now()),
  )
  app.post(
    '/units',
    { config: ADMIN, schema: { tags, summary: 'Add a county department', ...unitsRoutes['POST /api/units'] } },
    async (request, reply) =>
      reply.status(201).send(await createUnit(ctx.db, actorOf(request), request.body, ctx.now())),
  )
  app.get(
    '/units/:code',
    {
      config: READ,
      schema: {
        tags,
        summary: "A unit with this year's measures it carries out and its letter",
        ...unitsRoutes['GET /api/units/:code'],
      },
    },
    async (request) => unitDetail(ctx.db, request.params.code, Number(ctx.today().slice(0, 4))),
  )
  app.patch(
    '/units/:code',
    {
      config: ADMIN,
      schema: { tags, summary: "Change a unit's names, head or liaisons", ...unitsRoutes['PATCH /api/units/:code'] },
    },
    async (request) => patchUnit(ctx.db, actorOf(request), request.params.code, request.body),
  )

  app.get(
    '/lines',
    {
      config: READ,
      schema: { tags, summary: 'Lines of work with their lead units', ...unitsRoutes['GET /api/lines'] },
    },
    async () => lines(ctx.db),
  )
  app.put(
    '/lines/:code',
    {
      config: ADMIN,
      schema: { tags, summary: 'Add or change a line of work', ...unitsRoutes['PUT /api/lines/:code'] },
    },
    async (request) => putLine(ctx.db, actorOf(request), request.params.code, request.body),
  )
  app.get(
    '/indicators',
    { config: READ, schema: { tags, summary: 'Indicators', ...unitsRoutes['GET /api/indicators'] } },
    async () => indicators(ctx.db),
  )
  app.put(
    '/indicators/:code',
    {
      config: ADMIN,
      schema: { tags, summary: 'Add or change an indicator', ...unitsRoutes['PUT /api/indicators/:code'] },
    },
    async (request) => putIndicator(ctx.db, actorOf(request), request.params.code, request.body),
  )

  registerPlanRoutes(app, settings)
  await registerLetterRoutes(app, settings)
}
export default unitsPlugin
