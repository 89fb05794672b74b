// Grid cells: GET /api/cells (GeoJSON) and GET /api/cells/:code.
import { Type, type Static } from '@sinclair/typebox'
import {
  AtQuery,
  Bbox,
  BboxArray,
  CellRef,
  Code,
  errorResponses,
  FeatureCollectionOf,
  FeatureOf,
  IsoDate,
  Limit,
  Nullable,
  Offset,
  ParcelCounts,
  Polygonal,
  Role,
  Staffing,
  type RouteContract,
} from './common.js'

export const CellListQuery = Type.Object(
  {
    region: Type.Optional(Code('region code')),
    level: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
    parent: Type.Optional(Code('parent cell code')),
    bbox: Type.Optional(Bbox),
    at: Type.Optional(IsoDate),
    simplify: Type.Optional(
      Type.Number({ minimum: 0, maximum: 0.1, description: 'simplification tolerance, degrees' }),
    ),
    limit: Type.Optional(Limit(5000, 1000)),
    offset: Type.Optional(Offset),
  },
  { additionalProperties: false },
)
export type CellListQuery = Static<typeof CellListQuery>

export const CellCodeParams = Type.Object({ code: Code('cell code', 32) })

/** A person on duty in a cell on a date, with the responsibility that puts them there. */
export const DutyPerson = Type.Object({
  responsibilityId: Type.Integer(),
  personId: Type.Integer(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  role: Role,
  phone: Nullable(Type.String({ description: 'null unless the reader may see contacts' })),
  organisation: Nullable(Type.String()),
  startsOn: Type.String({ format: 'date' }),
  endsOn: Nullable(Type.String({ format: 'date' })),
})
export type DutyPerson = Static<typeof DutyPerson>

/** A person as a cell feature lists them (the map's popup and labels). */
export const CellPerson = Type.Object({
  personId: Type.Integer(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  role: Role,
  phone: Nullable(Type.String()),
  endsOn: Nullable(Type.String({ format: 'date' })),
})
export type CellPerson = Static<typeof CellPerson>

export const CellProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  level: Type.Integer(),
  parentCode: Nullable(Type.String()),
  version: Type.Integer(),
  staffing: Staffing,
  expiring: Type.Boolean({ description: 'staffed (or understaffed) today, less so within EXPIRING_SOON_DAYS' }),
  accountableCode: Nullable(Type.String()),
  people: Type.Array(CellPerson),
})
export type CellProperties = Static<typeof CellProperties>
export const CellFeature = FeatureOf(Polygonal, CellProperties)
export type CellFeature = Static<typeof CellFeature>
export const CellCollection = FeatureCollectionOf(Polygonal, CellProperties)
export type CellCollection = Static<typeof CellCollection>

export const CellDetail = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  level: Type.Integer(),
  version: Type.Integer({ description: "the boundary's version: every edit names the version it was made from" }),
  retired: Type.Boolean(),
  parentCode: Nullable(Type.String()),
  parentName: Nullable(Type.String()),
  regionCode: Type.String(),
  areaM2: Type.Number(),
  bbox: BboxArray,
  geometry: Polygonal,
  staffing: Type.Union([Staffing, Type.Literal('retired')], {
    description: "on the date; 'retired' for a retired cell",
  }),
  accountableCode: Nullable(Type.String()),
  children: Type.Array(CellRef),
  people: Type.Array(DutyPerson, { description: 'responsible people on the date' }),
  history: Type.Array(DutyPerson, { description: 'every responsibility, past and future' }),
  parcelCounts: ParcelCounts,
})
export type CellDetail = Static<typeof CellDetail>

export const cellsRoutes = {
  'GET /api/cells': { querystring: CellListQuery, response: { 200: CellCollection, ...errorResponses } },
  'GET /api/cells/:code': {
    params: CellCodeParams,
    querystring: AtQuery,
    response: { 200: CellDetail, ...errorResponses },
  },
} satisfies Record<string, RouteContract>
