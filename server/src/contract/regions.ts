// Regions (jurisdictions to be fully covered) and the neighbouring areas drawn for context.
import { Type, type Static } from '@sinclair/typebox'
import {
  BboxArray,
  Code,
  errorResponses,
  FeatureCollectionOf,
  FeatureOf,
  Nullable,
  Polygonal,
  type RouteContract,
} from './common.js'

export const Region = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  bbox: BboxArray,
  areaM2: Type.Number(),
})
export type Region = Static<typeof Region>

export const RegionParams = Type.Object({ code: Code('region code') })

export const RegionOutline = FeatureOf(
  Polygonal,
  Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) }),
)
export type RegionOutline = Static<typeof RegionOutline>

export const ContextCollection = FeatureCollectionOf(
  Polygonal,
  Type.Object({ code: Type.String(), name: Type.String() }),
)
export type ContextCollection = Static<typeof ContextCollection>

export const RematchReport = Type.Object({
  region: Type.String(),
  parcels: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'parcels by status (and unmatched)' }),
  seconds: Type.Number(),
})
export type RematchReport = Static<typeof RematchReport>

export const regionsRoutes = {
  'GET /api/regions': { response: { 200: Type.Array(Region), ...errorResponses } },
  'GET /api/regions/:code/outline': { params: RegionParams, response: { 200: RegionOutline, ...errorResponses } },
  'GET /api/context-areas': { response: { 200: ContextCollection, ...errorResponses } },
  'POST /api/regions/:code/rematch': { params: RegionParams, response: { 200: RematchReport, ...errorResponses } },
} satisfies Record<string, RouteContract>
