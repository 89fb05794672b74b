import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { removeStaffingRule, setStaffingRule, staffingRules } from '../../services/staffing-rules.service.js'
import { actorOf } from '../actor.js'
import { errorResponses } from '../common.schemas.js'

const Rule = Type.Object({ level: Type.Integer(), chiefsRequired: Type.Integer(), membersRequired: Type.Integer() })
const Level = Type.Object({ level: Type.Integer({ minimum: 1, maximum: 8 }) })

const staffingRuleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staffing-rules',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['cells'],
        summary: 'Staffing rules per level (and the default)',
        response: { 200: Type.Object({ rules: Type.Array(Rule) }, { additionalProperties: true }), ...errorResponses },
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
        params: Level,
        body: Type.Object(
          {
            chiefsRequired: Type.Integer({ minimum: 0, maximum: 10 }),
            membersRequired: Type.Integer({ minimum: 0, maximum: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Rule, ...errorResponses },
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
        params: Level,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await removeStaffingRule(app.ctx.db, actorOf(request), request.params.level)
      return reply.status(204).send(null)
    },
  )
}
export default staffingRuleRoutes
