// Parcels: GET /api/parcels (GeoJSON), a parcel's accountability, and the admin's parcel writes.
import { Type, type Static } from '@sinclair/typebox'
import { ChainLevel, Effective } from './accountability.js'
import {
  AtQuery,
  Bbox,
  Code,
  errorResponses,
  FeatureCollectionOf,
  GeoJSONGeometry,
  IdParams,
  IsoDate,
  LandUse,
  Limit,
  Nullable,
  Offset,
  ParcelStatus,
  Polygonal,
  type RouteContract,
} from './common.js'

export const ParcelListQuery = Type.Object(
  {
    bbox: Type.Optional(Bbox),
    cell: Type.Optional(Code('only parcels matched to this cell or the cells below it', 32)),
    status: Type.Optional(
      Type.String({ maxLength: 100, description: 'comma-separated: matched,straddling,unowned,inherited' }),
    ),
    at: Type.Optional(IsoDate),
    limit: Type.Optional(Limit(20000, 5000)),
    offset: Type.Optional(Offset),
  },
  { additionalProperties: false },
)

export const ParcelProperties = Type.Object({
  id: Type.Integer(),
  externalId: Type.String(),
  landUse: LandUse,
  ownerName: Nullable(Type.String()),
  status: ParcelStatus,
  cellCode: Nullable(Type.String()),
  accountableCode: Nullable(Type.String()),
  areaM2: Nullable(Type.Number()),
  uncoveredAreaM2: Nullable(Type.Number()),
})
export type ParcelProperties = Static<typeof ParcelProperties>
export const ParcelCollection = FeatureCollectionOf(Polygonal, ParcelProperties)
export type ParcelCollection = Static<typeof ParcelCollection>

export const ParcelShare = Type.Object({
  cellId: Type.Integer(),
  cellCode: Type.String(),
  cellName: Type.String(),
  areaM2: Type.Number(),
})

/** A parcel's match (status, every cell's share, uncovered area) and who is accountable for it. */
export const ParcelAccountability = Type.Object({
  parcel: Type.Object({
    id: Type.Integer(),
    externalId: Type.String(),
    landUse: LandUse,
    ownerName: Nullable(Type.String()),
    status: Nullable(ParcelStatus),
    areaM2: Nullable(Type.Number()),
    uncoveredAreaM2: Nullable(Type.Number()),
    shares: Type.Array(ParcelShare),
  }),
  at: Type.String({ format: 'date' }),
  chain: Type.Array(ChainLevel),
  effective: Nullable(Effective),
  reason: Type.Union(
    [Type.Literal('uncovered'), Type.Literal('inherited'), Type.Literal('straddling'), Type.Literal('matched')],
    { description: 'machine-readable: why this cell (or nobody) answers' },
  ),
  message: Nullable(Type.String()),
})
export type ParcelAccountability = Static<typeof ParcelAccountability>

export const ParcelCreateBody = Type.Object(
  {
    externalId: Code('the parcel id in its source', 100),
    landUse: Type.String({ maxLength: 100 }),
    ownerName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    geometry: GeoJSONGeometry,
    region: Type.Optional(Code('region code')),
  },
  { additionalProperties: false },
)

export const ParcelUpdateBody = Type.Object(
  {
    landUse: Type.Optional(Type.String({ maxLength: 100 })),
    ownerName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    geometry: Type.Optional(GeoJSONGeometry),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const parcelsRoutes = {
  'GET /api/parcels': { querystring: ParcelListQuery, response: { 200: ParcelCollection, ...errorResponses } },
  'GET /api/parcels/:id/accountability': {
    params: IdParams,
    querystring: AtQuery,
    response: { 200: ParcelAccountability, ...errorResponses },
  },
  'POST /api/parcels': { body: ParcelCreateBody, response: { 201: ParcelAccountability, ...errorResponses } },
  'PATCH /api/parcels/:id': {
    params: IdParams,
    body: ParcelUpdateBody,
    response: { 200: ParcelAccountability, ...errorResponses },
  },
  'DELETE /api/parcels/:id': { params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
} satisfies Record<string, RouteContract>
