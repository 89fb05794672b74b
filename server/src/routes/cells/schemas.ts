import { Type } from '@sinclair/typebox'
import { Bbox, Code, IsoDate, Limit, Nullable, Offset } from '../common.schemas.js'

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

export const CellCodeParams = Type.Object({ code: Code('cell code', 32) })

const Person = Type.Object({
  responsibilityId: Type.Integer(),
  personId: Type.Integer(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  role: Type.String(),
  phone: Nullable(Type.String()),
  organisation: Nullable(Type.String()),
  startsOn: Type.String(),
  endsOn: Nullable(Type.String()),
})
export const PersonOnDuty = Person

export const CellDetail = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  level: Type.Integer(),
  version: Type.Integer(),
  retired: Type.Boolean(),
  parentCode: Nullable(Type.String()),
  parentName: Nullable(Type.String()),
  regionCode: Type.String(),
  areaM2: Type.Number(),
  bbox: Type.Array(Type.Number()),
  geometry: Type.Unknown(),
  staffing: Type.String({ description: 'staffed | understaffed | vacant' }),
  accountableCode: Nullable(Type.String()),
  children: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.Integer() })),
  people: Type.Array(Person, { description: 'responsible people on the date' }),
  history: Type.Array(Person, { description: 'every responsibility, past and future' }),
  parcelCounts: Type.Record(Type.String(), Type.Integer()),
})
