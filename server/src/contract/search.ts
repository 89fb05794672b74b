// GET /api/search: cells (code or name), people (name), parcels (external id) and, for signed-in
// users, supervised objects (code or name).
import { Type, type Static } from '@sinclair/typebox'
import { BboxArray, errorResponses, Limit, Nullable, PRINTABLE_PATTERN, type RouteContract } from './common.js'

export const SearchQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: PRINTABLE_PATTERN,
      description: 'literal text (% and _ are not wildcards)',
    }),
    limit: Type.Optional(Limit(50, 10)),
  },
  { additionalProperties: false },
)

export const SearchHit = Type.Object({
  type: Type.Union([Type.Literal('cell'), Type.Literal('person'), Type.Literal('parcel'), Type.Literal('object')]),
  id: Type.Integer(),
  key: Type.String({ description: 'cell code, person id, parcel external id or object code' }),
  label: Type.String(),
  detail: Type.String(),
  bbox: Nullable(BboxArray),
})
export type SearchHit = Static<typeof SearchHit>

export const searchRoutes = {
  'GET /api/search': { querystring: SearchQuery, response: { 200: Type.Array(SearchHit), ...errorResponses } },
} satisfies Record<string, RouteContract>
