// Duty continuity routes. Internal government figures: every signed-in role reads them, nobody
// anonymous (not even with the public map on).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { UserRole } from '../../db/schema.js'
import { continuityRoutes } from '../../contract/continuity.js'
import { dutiesEnding, dutyTimeline, shortfalls, vacancyDays } from './service-read.js'

export const CONTINUITY_READERS: readonly UserRole[] = ['admin', 'viewer', 'inspector', 'supervisor', 'unit_officer']
const access = { roles: CONTINUITY_READERS }

const continuity: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx
  app.get(
    '/cells/:code/duty-timeline',
    {
      config: { access },
      schema: {
        tags: ['continuity'],
        summary:
          "A cell's duty timeline: every duty overlapping the range (default: this year so far) and the periods its staffing rule was not met",
        ...continuityRoutes['GET /api/cells/:code/duty-timeline'],
      },
    },
    async (request) => dutyTimeline(ctx.db, request.params.code, request.query, ctx.today()),
  )
  app.get(
    '/continuity/shortfalls',
    {
      config: { access },
      schema: {
        tags: ['continuity'],
        summary:
          'Shortfall periods (vacant or understaffed runs of days) of every cell in the scope (default: the whole grid), this year so far unless from/to say otherwise',
        ...continuityRoutes['GET /api/continuity/shortfalls'],
      },
    },
    async (request) => shortfalls(ctx.db, request.query, ctx.today()),
  )
  app.get(
    '/continuity/vacancy-days',
    {
      config: { access },
      schema: {
        tags: ['continuity'],
        summary:
          'Vacant and understaffed cell-days per township (itself and every cell below) in a month (default: this month, up to today)',
        ...continuityRoutes['GET /api/continuity/vacancy-days'],
      },
    },
    async (request) => vacancyDays(ctx.db, request.query, ctx.today()),
  )
  app.get(
    '/continuity/duties-ending',
    {
      config: { access },
      schema: {
        tags: ['continuity'],
        summary:
          'Duties ending within `within` days (default EXPIRING_SOON_DAYS) that leave their cell short, with nobody known to take over',
        ...continuityRoutes['GET /api/continuity/duties-ending'],
      },
    },
    async (request) =>
      dutiesEnding(
        ctx.db,
        { within: request.query.within ?? ctx.config.expiringSoonDays, scope: request.query.scope },
        ctx.today(),
      ),
  )
}
export default continuity
