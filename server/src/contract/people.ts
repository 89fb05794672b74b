// Responsible people: GET/POST /api/people, GET /api/people/:id.
import { Type, type Static } from '@sinclair/typebox'
import { DutyPerson } from './cells.js'
import {
  AtQuery,
  BboxArray,
  errorResponses,
  IdParams,
  Limit,
  Nullable,
  Offset,
  PRINTABLE_PATTERN,
  type RouteContract,
} from './common.js'

export const PersonListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 100,
        pattern: PRINTABLE_PATTERN,
        description: 'part of the name (a literal text: % and _ are not wildcards)',
      }),
    ),
    limit: Type.Optional(Limit(1000, 100)),
    offset: Type.Optional(Offset),
  },
  { additionalProperties: false },
)

export const PersonListItem = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  phone: Nullable(Type.String({ description: 'null unless the reader may see contacts' })),
  organisation: Nullable(Type.String()),
})
export type PersonListItem = Static<typeof PersonListItem>

/** A cell the person is responsible for on the date. */
export const PersonCell = Type.Composite([
  DutyPerson,
  Type.Object({ cellId: Type.Integer(), cellCode: Type.String(), cellName: Type.String(), cellLevel: Type.Integer() }),
])
export type PersonCell = Static<typeof PersonCell>

/** One of the person's responsibilities, past, present or future. */
export const PersonResponsibility = Type.Composite([
  DutyPerson,
  Type.Object({ cellCode: Type.String(), cellName: Type.String() }),
])
export type PersonResponsibility = Static<typeof PersonResponsibility>

export const PersonDetail = Type.Composite([
  PersonListItem,
  Type.Object({
    cells: Type.Array(PersonCell, { description: 'the cells they are responsible for on the date' }),
    bbox: Nullable(BboxArray),
    responsibilities: Type.Array(PersonResponsibility, { description: 'every responsibility, past and future' }),
  }),
])
export type PersonDetail = Static<typeof PersonDetail>

export const PersonCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    nameEn: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    phone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+ -]{3,20}$' }))),
    organisation: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
)

export const peopleRoutes = {
  'GET /api/people': { querystring: PersonListQuery, response: { 200: Type.Array(PersonListItem), ...errorResponses } },
  'GET /api/people/:id': { params: IdParams, querystring: AtQuery, response: { 200: PersonDetail, ...errorResponses } },
  'POST /api/people': { body: PersonCreateBody, response: { 201: PersonListItem, ...errorResponses } },
} satisfies Record<string, RouteContract>
