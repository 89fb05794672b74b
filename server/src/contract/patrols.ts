// Patrols (巡查): a walk recorded on the phone or read from GPX, its track points (bad ones dropped and
// counted), check-ins at supervised objects, and the month's completion and coverage per cell.
import { Type, type Static } from '@sinclair/typebox'
import {
  Code,
  errorResponses,
  Id,
  IdempotencyHeaders,
  IdParams,
  Lat,
  LineString,
  Lon,
  NON_BLANK_PATTERN,
  Nullable,
  YearMonth,
  type RouteContract,
} from './common.js'
import { PhotoInput } from './flags.js'

const Instant = Type.String({ format: 'date-time', maxLength: 40, description: 'ISO 8601 with a time zone' })
const Accuracy = Type.Number({
  minimum: 0,
  maximum: 100000,
  description: 'horizontal accuracy (m), as the device reports it',
})
const Note = Type.String({ minLength: 1, maxLength: 1000, pattern: NON_BLANK_PATTERN })

export const DroppedPoints = Type.Object(
  {
    duplicate: Type.Integer({ description: 'same instant as a point already kept' }),
    future: Type.Integer({ description: 'time later than the server clock (beyond a 5-minute skew)' }),
    beforeStart: Type.Integer({ description: 'time before the patrol started' }),
    poorAccuracy: Type.Integer({ description: 'accuracy worse than the limit' }),
    jump: Type.Integer({ description: 'faster than anyone moves from the previous point kept' }),
  },
  { description: 'points dropped, by reason; kept points are stored, dropped ones are only counted' },
)
export type DroppedPoints = Static<typeof DroppedPoints>

export const CheckInSummary = Type.Object({
  id: Type.Integer(),
  objectId: Type.Integer(),
  objectCode: Type.String(),
  objectName: Type.String(),
  checkedAt: Type.String({ format: 'date-time' }),
  distanceM: Type.Number(),
  checklist: Type.Array(Type.Object({ code: Type.String(), ok: Type.Boolean() })),
  note: Nullable(Type.String()),
  photos: Type.Integer(),
})
export type CheckInSummary = Static<typeof CheckInSummary>

export const ProblemSummary = Type.Object({
  flagId: Type.Integer({ description: 'the flag the problem became (GET /api/flags/{id})' }),
  category: Type.String(),
  observedAt: Type.String({ format: 'date-time' }),
  state: Type.String({ description: "the flag's state now" }),
})
export type ProblemSummary = Static<typeof ProblemSummary>

export const Patrol = Type.Object({
  id: Type.Integer(),
  walkedBy: Type.String({ description: 'login' }),
  source: Type.Union([Type.Literal('device'), Type.Literal('gpx')]),
  status: Type.Union([Type.Literal('active'), Type.Literal('ended')]),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  note: Nullable(Type.String()),
  pointsReceived: Type.Integer(),
  pointsKept: Type.Integer(),
  pointsDropped: DroppedPoints,
  lengthM: Type.Number({ description: 'geodesic length of the kept track' }),
  track: Nullable(LineString),
  checkIns: Type.Array(CheckInSummary),
  problems: Type.Array(ProblemSummary, { description: 'problems found on the patrol, each a flag' }),
})
export type Patrol = Static<typeof Patrol>

export const PatrolListItem = Type.Object({
  id: Type.Integer(),
  walkedBy: Type.String({ description: 'login' }),
  source: Type.Union([Type.Literal('device'), Type.Literal('gpx')]),
  status: Type.Union([Type.Literal('active'), Type.Literal('ended')]),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  pointsKept: Type.Integer(),
  checkIns: Type.Integer(),
  problems: Type.Integer(),
})
export const PatrolListQuery = Type.Object(
  {
    month: YearMonth,
    mine: Type.Optional(Type.Boolean({ description: "only the signed-in user's patrols" })),
  },
  { additionalProperties: false },
)
export const PatrolList = Type.Object({ month: Type.String(), patrols: Type.Array(PatrolListItem) })
export type PatrolList = Static<typeof PatrolList>

export const PatrolStartBody = Type.Object(
  { startedAt: Type.Optional(Instant), note: Type.Optional(Note) },
  { additionalProperties: false },
)

export const TrackPoint = Type.Object(
  { t: Instant, lon: Lon, lat: Lat, accuracy: Type.Optional(Accuracy) },
  { additionalProperties: false },
)
export const PointsBody = Type.Object(
  { points: Type.Array(TrackPoint, { minItems: 1, maxItems: 5000 }) },
  { additionalProperties: false },
)
export const PointsReport = Type.Object({
  received: Type.Integer(),
  kept: Type.Integer(),
  dropped: DroppedPoints,
  pointsKept: Type.Integer({ description: 'all kept points of the patrol so far' }),
})
export type PointsReport = Static<typeof PointsReport>

export const PatrolEndBody = Type.Object({ endedAt: Type.Optional(Instant) }, { additionalProperties: false })

export const CheckInBody = Type.Object(
  {
    objectId: Id('the supervised object'),
    lon: Lon,
    lat: Lat,
    accuracy: Type.Optional(Accuracy),
    checkedAt: Instant,
    checklist: Type.Array(
      Type.Object(
        { code: Code('checklist item of the object type'), ok: Type.Boolean() },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, pattern: NON_BLANK_PATTERN })),
    photos: Type.Optional(Type.Array(PhotoInput, { maxItems: 20 })),
  },
  { additionalProperties: false },
)

export const ProblemBody = Type.Object(
  {
    category: Code('a flag category code (GET /api/flags/categories)'),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    lon: Lon,
    lat: Lat,
    accuracy: Type.Optional(Accuracy),
    observedAt: Instant,
    photos: Type.Optional(Type.Array(PhotoInput, { maxItems: 20 })),
    confirmNotDuplicate: Type.Optional(
      Type.Boolean({ description: 'report it even though an open flag of the category is near' }),
    ),
  },
  { additionalProperties: false },
)
export type ProblemBody = Static<typeof ProblemBody>

export const GpxBody = Type.Object(
  {
    gpx: Type.String({ minLength: 1, maxLength: 10_000_000, description: 'the GPX 1.0/1.1 file as text' }),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
)

export const CompletionQuery = Type.Object(
  {
    month: YearMonth,
    region: Type.Optional(Code('region code')),
    cell: Type.Optional(Code('cell code: its leaf cells', 32)),
  },
  { additionalProperties: false },
)

export const CellCompletion = Type.Object({
  code: Type.String(),
  name: Type.String(),
  objects: Type.Integer({ description: 'accepted objects matched to the cell' }),
  requiredVisits: Type.Integer(),
  visitsMade: Type.Integer({
    description: 'visits counted against the requirement: one a day per object, at most its requirement',
  }),
  completionPct: Nullable(Type.Number({ description: 'null when nothing is required' })),
  objectsOnSchedule: Type.Integer(),
  patrols: Type.Integer({ description: 'patrols with a track point in the cell' }),
  parcels: Type.Integer(),
  parcelsCovered: Type.Integer({ description: 'parcels within the coverage distance of a track' }),
  coveragePct: Nullable(Type.Number()),
})

export const PatrolCompletion = Type.Object({
  month: Type.String(),
  scope: Type.Object({ kind: Type.Union([Type.Literal('region'), Type.Literal('cell')]), code: Type.String() }),
  coverageDistanceM: Type.Number(),
  cells: Type.Array(CellCompletion),
  missed: Type.Array(
    Type.Object({
      objectId: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      cellCode: Type.String(),
      requiredVisits: Type.Integer(),
      visitsMade: Type.Integer(),
    }),
    { description: 'objects visited less often than their risk level requires' },
  ),
  cellsWithoutPatrol: Type.Array(Type.String()),
})
export type PatrolCompletion = Static<typeof PatrolCompletion>

export const patrolsRoutes = {
  'POST /api/patrols': {
    headers: IdempotencyHeaders,
    body: PatrolStartBody,
    response: { 201: Patrol, ...errorResponses },
  },
  'GET /api/patrols': { querystring: PatrolListQuery, response: { 200: PatrolList, ...errorResponses } },
  'POST /api/patrols/gpx': { body: GpxBody, response: { 201: Patrol, ...errorResponses } },
  'GET /api/patrols/:id': { params: IdParams, response: { 200: Patrol, ...errorResponses } },
  'POST /api/patrols/:id/points': {
    params: IdParams,
    headers: IdempotencyHeaders,
    body: PointsBody,
    response: { 200: PointsReport, ...errorResponses },
  },
  'POST /api/patrols/:id/end': {
    params: IdParams,
    headers: IdempotencyHeaders,
    body: PatrolEndBody,
    response: { 200: Patrol, ...errorResponses },
  },
  'POST /api/patrols/:id/check-ins': {
    params: IdParams,
    headers: IdempotencyHeaders,
    body: CheckInBody,
    response: { 201: CheckInSummary, ...errorResponses, 413: errorResponses[400], 415: errorResponses[400] },
  },
  'POST /api/patrols/:id/problems': {
    params: IdParams,
    headers: IdempotencyHeaders,
    body: ProblemBody,
    response: { 201: ProblemSummary, ...errorResponses, 413: errorResponses[400], 415: errorResponses[400] },
  },
  'GET /api/patrol-completion': {
    querystring: CompletionQuery,
    response: { 200: PatrolCompletion, ...errorResponses },
  },
} satisfies Record<string, RouteContract>
