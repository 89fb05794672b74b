// Staffing rules per level: /api/staffing-rules.
import { Type, type Static } from '@sinclair/typebox'
import { errorResponses, type RouteContract } from './common.js'

export const StaffingRule = Type.Object({
  level: Type.Integer(),
  chiefsRequired: Type.Integer(),
  membersRequired: Type.Integer(),
})
export type StaffingRule = Static<typeof StaffingRule>

const Requirement = Type.Object({ chiefsRequired: Type.Integer(), membersRequired: Type.Integer() })

export const StaffingRules = Type.Object({
  rules: Type.Array(StaffingRule),
  default: Type.Object(
    { leaf: Requirement, withChildren: Requirement },
    { description: 'what a level without a rule needs (a leaf cell; a cell with children)' },
  ),
})
export type StaffingRules = Static<typeof StaffingRules>

export const StaffingLevelParams = Type.Object({ level: Type.Integer({ minimum: 1, maximum: 8 }) })

export const StaffingRuleBody = Type.Object(
  {
    chiefsRequired: Type.Integer({ minimum: 0, maximum: 10 }),
    membersRequired: Type.Integer({ minimum: 0, maximum: 50 }),
  },
  { additionalProperties: false },
)

export const staffingRulesRoutes = {
  'GET /api/staffing-rules': { response: { 200: StaffingRules, ...errorResponses } },
  'PUT /api/staffing-rules/:level': {
    params: StaffingLevelParams,
    body: StaffingRuleBody,
    response: { 200: StaffingRule, ...errorResponses },
  },
  'DELETE /api/staffing-rules/:level': {
    params: StaffingLevelParams,
    response: { 204: Type.Null(), ...errorResponses },
  },
} satisfies Record<string, RouteContract>
