// A person's duty for a cell over a period: POST /api/responsibilities, POST /api/responsibilities/:id/end.
import { Type, type Static } from '@sinclair/typebox'
import { Code, errorResponses, Id, IdParams, IsoDate, Nullable, Role, type RouteContract } from './common.js'

export const Responsibility = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  cellCode: Type.Optional(Type.String({ description: 'on assignment' })),
  role: Role,
  startsOn: Type.String({ format: 'date' }),
  endsOn: Nullable(Type.String({ format: 'date' })),
})
export type Responsibility = Static<typeof Responsibility>

export const AssignResponsibilityBody = Type.Object(
  {
    personId: Id(),
    cellCode: Code('cell code', 32),
    role: Role,
    startsOn: IsoDate,
    endsOn: Type.Optional(Nullable(IsoDate)),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
)

export const EndResponsibilityBody = Type.Object(
  { endsOn: IsoDate, reason: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
)

export const responsibilitiesRoutes = {
  'POST /api/responsibilities': {
    body: AssignResponsibilityBody,
    response: { 201: Responsibility, ...errorResponses },
  },
  'POST /api/responsibilities/:id/end': {
    params: IdParams,
    body: EndResponsibilityBody,
    response: { 200: Responsibility, ...errorResponses },
  },
} satisfies Record<string, RouteContract>
