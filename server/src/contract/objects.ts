// Supervised objects (监管清单): the inventory of pollution sources, risk sources and environmental
// objects, each matched to its cell by the parcel rules, filed by grid members and reviewed above them.
import { Type, type Static } from '@sinclair/typebox'
import { ChainLevel, Effective } from './accountability.js'
import {
  AtQuery,
  Bbox,
  Code,
  errorResponses,
  FeatureCollectionOf,
  FeatureOf,
  GeoJSONGeometry,
  IdempotencyHeaders,
  IdParams,
  IsoDate,
  Limit,
  MultiPolygon,
  NON_BLANK_PATTERN,
  Nullable,
  Offset,
  ParcelStatus,
  Point,
  Polygon,
  Position,
  PRINTABLE_PATTERN,
  Version,
  type RouteContract,
} from './common.js'

export const RiskLevel = Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')])
export type RiskLevel = Static<typeof RiskLevel>

/** 填报 → 审核: filed by a grid member, then accepted or returned with a reason; retired when gone. */
export const ObjectReviewStatus = Type.Union([
  Type.Literal('filed'),
  Type.Literal('accepted'),
  Type.Literal('returned'),
  Type.Literal('retired'),
])
export type ObjectReviewStatus = Static<typeof ObjectReviewStatus>

/**
 * Free attributes: flat values only (address, permit number, contact...), at most 50 of them. The values
 * are checked by the service, not here: with type coercion on, a union schema would turn 40 into "40".
 */
export const ObjectAttributes = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
  maxProperties: 50,
  description: 'flat attributes: string (≤ 2000 characters), number, boolean or null',
})
export type ObjectAttributes = Static<typeof ObjectAttributes>
/** Attributes as answered: always flat values. */
export const ObjectAttributeValues = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
)

export const ObjectGeometry = Type.Union([Point, Polygon, MultiPolygon])

export const ObjectProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  typeCode: Type.String(),
  typeName: Type.String(),
  riskLevel: RiskLevel,
  visitsPerMonth: Type.Integer({ description: 'required patrol visits per month at its risk level' }),
  status: ObjectReviewStatus,
  returnReason: Nullable(Type.String()),
  matchStatus: Nullable(ParcelStatus),
  cellCode: Nullable(Type.String({ description: 'the leaf cell it is matched to' })),
  accountableCode: Nullable(Type.String({ description: 'the cell answering for it after the fallback rule' })),
  attributes: ObjectAttributeValues,
  version: Type.Integer(),
  anchor: Position,
})
export type ObjectProperties = Static<typeof ObjectProperties>
export const ObjectCollection = FeatureCollectionOf(ObjectGeometry, ObjectProperties)
export type ObjectCollection = Static<typeof ObjectCollection>

const Share = Type.Object({
  cellId: Type.Integer(),
  cellCode: Type.String(),
  cellName: Type.String(),
  areaM2: Type.Number(),
})

/** One object with its match and who answers for it on a date (the parcel rules and chain). */
export const ObjectDetail = Type.Object({
  object: FeatureOf(
    ObjectGeometry,
    Type.Composite([
      ObjectProperties,
      Type.Object({
        regionCode: Type.String(),
        areaM2: Nullable(Type.Number({ description: 'null for a point' })),
        uncoveredAreaM2: Nullable(Type.Number()),
        shares: Type.Array(Share),
        retiredReason: Nullable(Type.String()),
        filedBy: Nullable(Type.String({ description: 'login of the filer' })),
        reviewedBy: Nullable(Type.String()),
        reviewedAt: Nullable(Type.String({ format: 'date-time' })),
        createdAt: Type.String({ format: 'date-time' }),
        updatedAt: Type.String({ format: 'date-time' }),
      }),
    ]),
  ),
  at: Type.String({ format: 'date' }),
  chain: Type.Array(ChainLevel),
  effective: Nullable(Effective),
  reason: Type.Union([
    Type.Literal('uncovered'),
    Type.Literal('inherited'),
    Type.Literal('straddling'),
    Type.Literal('matched'),
  ]),
  message: Nullable(Type.String()),
})
export type ObjectDetail = Static<typeof ObjectDetail>

export const ObjectType = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  geometryKind: Type.Union([Type.Literal('point'), Type.Literal('polygon'), Type.Literal('any')]),
  checklist: Type.Array(Type.Object({ code: Type.String(), labelZh: Type.String(), labelEn: Type.String() })),
})
export const ObjectTypes = Type.Object({
  types: Type.Array(ObjectType),
  frequencies: Type.Array(Type.Object({ riskLevel: RiskLevel, visitsPerMonth: Type.Integer() })),
})
export type ObjectTypes = Static<typeof ObjectTypes>

export const ObjectListQuery = Type.Object(
  {
    bbox: Type.Optional(Bbox),
    type: Type.Optional(Type.String({ maxLength: 500, description: 'comma-separated type codes' })),
    status: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'comma-separated: filed,accepted,returned,retired (default: all but retired)',
      }),
    ),
    match: Type.Optional(
      Type.String({ maxLength: 100, description: 'comma-separated: matched,straddling,unowned,inherited' }),
    ),
    risk: Type.Optional(Type.String({ maxLength: 30, description: 'comma-separated: high,medium,low' })),
    cell: Type.Optional(Code('only objects matched to this cell or the cells below it', 32)),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: PRINTABLE_PATTERN,
        description: 'part of the code or name',
      }),
    ),
    at: Type.Optional(IsoDate),
    limit: Type.Optional(Limit(20000, 5000)),
    offset: Type.Optional(Offset),
  },
  { additionalProperties: false },
)

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: NON_BLANK_PATTERN })
const Reason = Type.String({ minLength: 1, maxLength: 1000, pattern: NON_BLANK_PATTERN })
const ObjectCode = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  description: 'stable business key: letters, digits, _ . - (credit code, permit number or a county code)',
})

export const ObjectCreateBody = Type.Object(
  {
    code: ObjectCode,
    name: Name,
    type: Code('object type code (GET /api/object-types)'),
    riskLevel: RiskLevel,
    geometry: GeoJSONGeometry,
    attributes: Type.Optional(ObjectAttributes),
  },
  { additionalProperties: false },
)

export const ObjectUpdateBody = Type.Object(
  {
    version: Version(),
    name: Type.Optional(Name),
    type: Type.Optional(Code('object type code')),
    riskLevel: Type.Optional(RiskLevel),
    geometry: Type.Optional(GeoJSONGeometry),
    attributes: Type.Optional(ObjectAttributes),
  },
  { additionalProperties: false, minProperties: 2 },
)

export const ObjectReviewBody = Type.Object({ version: Version() }, { additionalProperties: false })
export const ObjectReasonBody = Type.Object({ version: Version(), reason: Reason }, { additionalProperties: false })

export const ObjectImportBody = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('geojson')]),
    content: Type.String({
      minLength: 1,
      maxLength: 5_000_000,
      description:
        'the file: CSV with a header row (code, name, type, risk_level, lon, lat; other columns become attributes) ' +
        'or a GeoJSON FeatureCollection (properties code, name, type, risk_level; the rest become attributes)',
    }),
    defaultType: Type.Optional(Code('type for rows without one')),
    defaultRiskLevel: Type.Optional(RiskLevel),
    dryRun: Type.Optional(Type.Boolean({ description: 'check and report, write nothing' })),
  },
  { additionalProperties: false },
)

export const ObjectImportReport = Type.Object({
  dryRun: Type.Boolean(),
  read: Type.Integer(),
  imported: Type.Integer(),
  defaulted: Type.Array(Type.String({ description: 'what was taken from a default, e.g. "type for 3 rows"' })),
  matches: Type.Record(Type.String(), Type.Integer(), { description: 'objects by match status after the import' }),
})
export type ObjectImportReport = Static<typeof ObjectImportReport>

export const objectsRoutes = {
  'GET /api/object-types': { response: { 200: ObjectTypes, ...errorResponses } },
  'GET /api/objects': { querystring: ObjectListQuery, response: { 200: ObjectCollection, ...errorResponses } },
  'GET /api/objects/:id': {
    params: IdParams,
    querystring: AtQuery,
    response: { 200: ObjectDetail, ...errorResponses },
  },
  'POST /api/objects': {
    headers: IdempotencyHeaders,
    body: ObjectCreateBody,
    response: { 201: ObjectDetail, ...errorResponses, 422: errorResponses[400] },
  },
  'PATCH /api/objects/:id': {
    params: IdParams,
    body: ObjectUpdateBody,
    response: { 200: ObjectDetail, ...errorResponses },
  },
  'POST /api/objects/:id/accept': {
    params: IdParams,
    body: ObjectReviewBody,
    response: { 200: ObjectDetail, ...errorResponses },
  },
  'POST /api/objects/:id/return': {
    params: IdParams,
    body: ObjectReasonBody,
    response: { 200: ObjectDetail, ...errorResponses },
  },
  'POST /api/objects/:id/retire': {
    params: IdParams,
    body: ObjectReasonBody,
    response: { 200: ObjectDetail, ...errorResponses },
  },
  'POST /api/objects/import': { body: ObjectImportBody, response: { 200: ObjectImportReport, ...errorResponses } },
} satisfies Record<string, RouteContract>
