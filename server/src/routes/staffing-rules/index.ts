import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { removeStaffingRule, setStaffingRule, staffingRules } from '../../services/staffing-rules.service.js'
import { actorOf } from '../actor.js'
import { staffingRulesRoutes } from '../../contract/staffing-rules.js'

const staffingRuleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staffing-rules',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['cells'],
        summary: 'Staffing rules per level (and the default)',
        ...staffingRulesRoutes['GET /api/staffing-rules'],
      },
    },
    async () => staffingRules(app.ctx.db),
  )
  app.put(
    '/staffing-rules/:level',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['cells'],
        summary: 'Set the staffing rule of a level (e.g. two grid members per village)',
        ...staffingRulesRoutes['PUT /api/staffing-rules/:level'],
      },
    },
    async (request) => setStaffingRule(app.ctx.db, actorOf(request), { level: request.params.level, ...request.body }),
  )
  app.delete(
    '/staffing-rules/:level',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['cells'],
        summary: 'Return a level to the default rule',
        ...staffingRulesRoutes['DELETE /api/staffing-rules/:level'],
      },
    },
    async (request, reply) => {
      await removeStaffingRule(app.ctx.db, actorOf(request), request.params.level)
      return reply.status(204).send(null)
    },
  )
}
export default staffingRuleRoutes
