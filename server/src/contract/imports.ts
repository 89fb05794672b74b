// POST /api/imports/{regions|cells|parcels}: a streamed GeoJSON import and its report.
import { Type, type Static } from '@sinclair/typebox'
import { Code, errorResponses, type RouteContract } from './common.js'

export const ImportParams = Type.Object({
  kind: Type.Union([Type.Literal('regions'), Type.Literal('cells'), Type.Literal('parcels')], {
    description: 'what the features are',
  }),
})

export const ImportQuerystring = Type.Object(
  {
    invalid: Type.Optional(
      Type.Union([Type.Literal('reject'), Type.Literal('skip'), Type.Literal('repair')], {
        description: 'reject (all or nothing, default), skip, or repair with ST_MakeValid',
      }),
    ),
    region: Type.Optional(Code('region code for top-level cells and parcels (default: the only region)')),
    batch: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10000, description: 'features per insert (default 1000)' }),
    ),
  },
  { additionalProperties: false },
)

const Rejection = Type.Object({
  index: Type.Integer(),
  id: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  location: Type.Optional(Type.Union([Type.Array(Type.Number()), Type.Null()])),
})

const Repair = Type.Object({
  index: Type.Integer(),
  id: Type.Union([Type.String(), Type.Null()]),
  areaBeforeM2: Type.Number(),
  areaAfterM2: Type.Number(),
})

export const ImportReport = Type.Object({
  kind: Type.String(),
  read: Type.Integer(),
  imported: Type.Integer(),
  rejected: Type.Array(Rejection, {
    description: 'the first 100 rejections by feature index; rejectedTotal counts them all',
  }),
  rejectedTotal: Type.Integer({ description: 'every rejected feature, listed or not' }),
  repaired: Type.Array(Repair, {
    description: 'the first 100 repairs by feature index; repairedTotal counts them all',
  }),
  repairedTotal: Type.Integer(),
  skipped: Type.Integer(),
  committed: Type.Boolean(),
  rematched: Type.Integer(),
  warnings: Type.Array(Type.String(), {
    description: 'what was done to the input that the operator should know (e.g. elevations dropped)',
  }),
})
export type ImportReport = Static<typeof ImportReport>

/** 422: nothing was written; the report says why. */
export const ImportRejected = Type.Object(
  {
    error: Type.Object({
      code: Type.Literal('import_rejected'),
      message: Type.String(),
      details: ImportReport,
    }),
  },
  { description: 'nothing was written: the report is in error.details' },
)

export const importsRoutes = {
  'POST /api/imports/:kind': {
    params: ImportParams,
    querystring: ImportQuerystring,
    response: {
      200: ImportReport,
      422: ImportRejected,
      ...errorResponses,
    },
  },
} satisfies Record<string, RouteContract>
