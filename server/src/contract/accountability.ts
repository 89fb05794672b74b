// Who is accountable: GET /api/accountability (a point); the chain and the fallback rule shared with
// GET /api/parcels/:id/accountability (parcels.ts).
import { Type, type Static } from '@sinclair/typebox'
import { DutyPerson } from './cells.js'
import {
  errorResponses,
  IsoDate,
  Lat,
  LandUse,
  Lon,
  Nullable,
  ParcelStatus,
  Position,
  Staffing,
  type RouteContract,
} from './common.js'

/** One level of the chain: a cell covering the point (or parcel) and its people on the date. */
export const ChainLevel = Type.Object({
  level: Type.Integer(),
  cell: Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    nameEn: Nullable(Type.String()),
    staffing: Staffing,
  }),
  people: Type.Array(DutyPerson),
})
export type ChainLevel = Static<typeof ChainLevel>

/** The accountable cell after the territorial fallback rule, and its people. */
export const Effective = Type.Object({
  cellCode: Nullable(Type.String()),
  cellName: Type.Optional(Type.String({ description: 'absent when nobody is accountable' })),
  level: Nullable(Type.Integer()),
  people: Type.Array(DutyPerson),
  rule: Type.Union([
    Type.Literal('direct'),
    Type.Literal('fallback_vacant'),
    Type.Literal('fallback_gap'),
    Type.Literal('nobody'),
  ]),
})
export type Effective = Static<typeof Effective>

export const SliverGap = Type.Object(
  {
    parentCode: Type.String(),
    areaM2: Type.Number(),
    toleranceM2: Type.Number(),
    nearestCellCodes: Type.Array(Type.String(), {
      description: 'the cells bordering the gap as near to the point as the nearest one',
    }),
    cellCode: Type.String({ description: 'the leaf cell answering for the point' }),
  },
  {
    description:
      'the point lies in a gap within the sliver tolerance, which the coverage report counts as covered; the nearest cell answers',
  },
)
export type SliverGap = Static<typeof SliverGap>

export const PointAccountabilityQuery = Type.Object(
  { lon: Lon, lat: Lat, at: Type.Optional(IsoDate) },
  { additionalProperties: false },
)

export const PointAccountability = Type.Object({
  point: Position,
  at: Type.String({ format: 'date' }),
  covered: Type.Boolean(),
  message: Nullable(Type.String()),
  chain: Type.Array(ChainLevel, { description: 'from the finest cell covering the point up to the top' }),
  missingLevel: Nullable(Type.Integer()),
  involvedCells: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), level: Type.Integer(), onBoundary: Type.Boolean() }),
    { description: 'every cell covering the point (several on a shared boundary or in an overlap)' },
  ),
  effective: Nullable(Effective),
  parcel: Nullable(
    Type.Object({
      id: Type.Integer(),
      externalId: Type.String(),
      landUse: LandUse,
      status: Nullable(ParcelStatus),
      cellCode: Nullable(Type.String()),
    }),
  ),
  region: Nullable(
    Type.Object(
      { code: Type.String(), name: Type.String() },
      { description: 'the region of the answering cell (or holding the point when no cell does)' },
    ),
  ),
  outsideRegion: Type.Boolean({
    description:
      "a cell answers for the point, but the point lies outside that cell's region (the cell overhangs the outline)",
  }),
  sliverGap: Nullable(SliverGap),
})
export type PointAccountability = Static<typeof PointAccountability>

export const accountabilityRoutes = {
  'GET /api/accountability': {
    querystring: PointAccountabilityQuery,
    response: { 200: PointAccountability, ...errorResponses },
  },
} satisfies Record<string, RouteContract>
