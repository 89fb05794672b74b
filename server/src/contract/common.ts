// Shared pieces of the API contract: the error shape, scalar parameters with their bounds, GeoJSON
// geometries and the domain words every resource uses. Imports nothing but TypeBox.
import { Type, type Static, type TSchema } from '@sinclair/typebox'

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'The one error shape' },
)

/** Error responses every protected route can give. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  429: ErrorResponse,
  503: ErrorResponse,
}

export type ErrorResponse = Static<typeof ErrorResponse>

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** A request body's geometry: any GeoJSON geometry; the service checks its type and validity and says what is wrong. */
export const GeoJSONGeometry = Type.Object(
  { type: Type.String(), coordinates: Type.Optional(Type.Unknown()) },
  { additionalProperties: true, description: 'GeoJSON geometry (RFC 7946), WGS84 lon/lat' },
)

// ---------------------------------------------------------------- GeoJSON in responses (RFC 7946)

/** [lon, lat] in WGS84 degrees. */
export const Position = Type.Array(Type.Number(), { description: '[lon, lat], WGS84 degrees' })
/** minLon, minLat, maxLon, maxLat */
export const BboxArray = Type.Array(Type.Number(), { description: '[minLon, minLat, maxLon, maxLat]' })
export const Point = Type.Object({ type: Type.Literal('Point'), coordinates: Position })
export const LineString = Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Position) })
export const Polygon = Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Position)) })
export const MultiPolygon = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(Type.Array(Position))),
})
/** A boundary: cells, regions and parcels are stored as MultiPolygon; pieces of a gap or overlap are Polygons. */
export const Polygonal = Type.Union([Polygon, MultiPolygon])
export type Point = Static<typeof Point>
export type LineString = Static<typeof LineString>
export type Polygon = Static<typeof Polygon>
export type MultiPolygon = Static<typeof MultiPolygon>
export type Polygonal = Static<typeof Polygonal>

/** A GeoJSON Feature with its geometry and properties named. */
export const FeatureOf = <G extends TSchema, P extends TSchema>(geometry: G, properties: P) =>
  Type.Object({ type: Type.Literal('Feature'), id: Type.Integer(), geometry, properties })

/** A GeoJSON FeatureCollection whose features all have this geometry and these properties. */
export const FeatureCollectionOf = <G extends TSchema, P extends TSchema>(geometry: G, properties: P) =>
  Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(FeatureOf(geometry, properties)) })

// ---------------------------------------------------------------- domain words

/** A person's duty in a cell. */
export const Role = Type.Union([Type.Literal('grid_chief'), Type.Literal('grid_member'), Type.Literal('specialist')])
export type Role = Static<typeof Role>
/** An account's role. */
export const UserRole = Type.Union([
  Type.Literal('admin'),
  Type.Literal('supervisor'),
  Type.Literal('inspector'),
  Type.Literal('viewer'),
  Type.Literal('unit_officer'),
])
export type UserRole = Static<typeof UserRole>
/** A cell's staffing on a date, against its level's staffing rule. */
export const Staffing = Type.Union([Type.Literal('staffed'), Type.Literal('understaffed'), Type.Literal('vacant')])
export type Staffing = Static<typeof Staffing>
/** How a parcel is matched to the grid (and whether its cell is staffed). */
export const ParcelStatus = Type.Union([
  Type.Literal('matched'),
  Type.Literal('straddling'),
  Type.Literal('unowned'),
  Type.Literal('inherited'),
])
export type ParcelStatus = Static<typeof ParcelStatus>
/** Parcel counts by status (a status without parcels is absent). */
export const ParcelCounts = Type.Partial(
  Type.Object({
    matched: Type.Integer(),
    straddling: Type.Integer(),
    unowned: Type.Integer(),
    inherited: Type.Integer(),
  }),
)
export type ParcelCounts = Static<typeof ParcelCounts>
/** What a parcel's land is used for. */
export const LandUse = Type.Union([
  Type.Literal('farmland'),
  Type.Literal('enterprise'),
  Type.Literal('construction_site'),
  Type.Literal('water'),
  Type.Literal('residential'),
  Type.Literal('road'),
  Type.Literal('other'),
])
export type LandUse = Static<typeof LandUse>
/** A cell named in a list: code, name, level. */
export const CellRef = Type.Object({ code: Type.String(), name: Type.String(), level: Type.Integer() })
export type CellRef = Static<typeof CellRef>

/** A response that is not JSON, given by media type (OpenAPI's `content`; fastify does not serialise it). */
export interface MediaResponse {
  description: string
  content: Record<string, { schema: TSchema }>
}

/** Every route: the schemas of its request and of each of its responses, keyed 'METHOD /path'. */
export interface RouteContract {
  /** request media types other than JSON (a form with files); the route parses them into the body */
  consumes?: string[]
  params?: TSchema
  querystring?: TSchema
  headers?: TSchema
  body?: TSchema
  response: Record<number, TSchema | MediaResponse>
}

/**
 * The optional Idempotency-Key header of the routes a phone may send again after being offline
 * (README, "Idempotency-Key"). Its value is checked by the idempotency plugin, which answers a bad one
 * with 400 invalid_idempotency_key; the schema only documents it.
 */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description:
        'Optional; 8 to 200 visible ASCII characters, unique per request, kept per user for 7 days. A repeat of the same ' +
        'request with the key gets the first answer again (header Idempotent-Replayed: true) without applying it twice; ' +
        'the key on a different request: 422 idempotency_key_reused; while the first is still running: 409 idempotency_key_in_flight.',
    }),
  ),
})

// ---------------------------------------------------------------- scalar parameters
// Every number a request carries has finite bounds: Ajv skips minimum/maximum for a non-finite number
// once strictNumbers is off (app.ts), and a query string's "Infinity" or "1e20" is coerced to one, so
// the bounds are what refuses them (and keeps them inside PostgreSQL's int4/int8). Every date lies in
// the supported years, and identifiers refuse control characters. A NUL byte anywhere in the URL or
// a JSON body is refused before this (plugins/input-guard.ts): PostgreSQL cannot store it.

/** The largest int4 (ids, versions, offsets): beyond it PostgreSQL raises instead of answering. */
export const MAX_INT32 = 2147483647

/** A row id (serial). */
export const Id = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: MAX_INT32, ...(description ? { description } : {}) })
export const IdParams = Type.Object({ id: Id() })
/** A version as last read (optimistic concurrency). */
export const Version = (description = 'the version as last read (optimistic concurrency)') =>
  Type.Integer({ minimum: 1, maximum: MAX_INT32, description })
/** Page size with its own ceiling. */
export const Limit = (maximum: number, defaultValue: number) =>
  Type.Integer({ minimum: 1, maximum, default: defaultValue })
export const Offset = Type.Integer({ minimum: 0, maximum: MAX_INT32, default: 0 })
/** An area in m² (a tolerance or a threshold): at most the Earth's surface, 5.1e14 m². */
export const AreaM2 = (description: string) => Type.Number({ minimum: 0, maximum: 1e15, description })

export const Lon = Type.Number({ minimum: -180, maximum: 180, description: 'longitude, WGS84 degrees' })
export const Lat = Type.Number({ minimum: -90, maximum: 90, description: 'latitude, WGS84 degrees' })

/** Printable characters only (no C0 controls, no DEL): identifiers, codes, logins, search text. */
export const PRINTABLE_PATTERN = '^[^\\u0000-\\u001F\\u007F]*$'
/** At least one visible character (a reason, a comment). */
export const NON_BLANK_PATTERN = '\\S'
/** A code or identifier (region, cell, category, township, login): 1..maxLength printable characters. */
export const Code = (description: string, maxLength = 64) =>
  Type.String({ minLength: 1, maxLength, pattern: PRINTABLE_PATTERN, description })

/** Supported days: 1900-01-01 … 2999-12-31 (date arithmetic such as "+60 days" must stay in range). */
export const FIRST_DAY = '1900-01-01'
export const LAST_DAY = '2999-12-31'
const DAY_PATTERN = '^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
const DAY_MESSAGE = `must be a date YYYY-MM-DD from ${FIRST_DAY} to ${LAST_DAY}`
export const IsoDate = Type.String({
  format: 'date',
  pattern: DAY_PATTERN,
  description: `YYYY-MM-DD, ${FIRST_DAY} to ${LAST_DAY}`,
})
const MONTH_PATTERN = '^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])$'
export const YearMonth = Type.String({ pattern: MONTH_PATTERN, description: 'YYYY-MM, 1900-01 to 2999-12' })

/** A real calendar day in the supported range. */
export function isSupportedDay(raw: string): boolean {
  if (!new RegExp(DAY_PATTERN).test(raw)) return false
  const d = new Date(`${raw}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === raw
}
export const dayMessage = (where: string, name: string, raw: string) =>
  `${where} parameter "${name}" ${DAY_MESSAGE}, got ${JSON.stringify(raw)}`

const BBOX_PATTERN = '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$'
export const Bbox = Type.String({ pattern: BBOX_PATTERN, maxLength: 200, description: 'minLon,minLat,maxLon,maxLat' })

/**
 * What a pattern or format error means, in words (the error handler uses it instead of printing the
 * regular expression).
 */
export const VALIDATION_MESSAGES: { pattern: Record<string, string>; format: Record<string, string> } = {
  pattern: {
    [PRINTABLE_PATTERN]: 'must not contain control characters',
    [NON_BLANK_PATTERN]: 'must not be blank',
    [DAY_PATTERN]: DAY_MESSAGE,
    [MONTH_PATTERN]: 'must be a month YYYY-MM from 1900-01 to 2999-12',
    [BBOX_PATTERN]: 'must be minLon,minLat,maxLon,maxLat',
  },
  format: { date: DAY_MESSAGE },
}

export const AtQuery = Type.Object({ at: Type.Optional(IsoDate) }, { additionalProperties: false })
