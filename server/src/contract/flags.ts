// The flags API: every request and response of /api/flags…, as TypeBox schemas with their Static<>
// types. Route plugins take their schemas from here; the web app imports the types (import type).
import { Type, type Static } from '@sinclair/typebox'
import {
  Bbox,
  Code,
  GeoJSONGeometry,
  Id as IdOf,
  IsoDate,
  Lat,
  Limit as PageLimit,
  Lon,
  Nullable,
  Offset,
  Version as VersionOf,
} from './common.js'

export * from './flags-assessment.js'

const DateTime = Type.String({ format: 'date-time' })
const Id = IdOf()
const LimitUnit = Type.Union([Type.Literal('working_hours'), Type.Literal('working_days')])
const Limit = Type.Object({ amount: Type.Integer({ minimum: 1, maximum: 10000 }), unit: LimitUnit })
const Names = Type.Object({ zh: Type.String(), en: Type.String() })

const L = Type.Literal

export const FlagState = Type.Union(
  [L('reported'), L('registered'), L('rejected'), L('dispatched'), L('in_progress'), L('feedback'), L('closed')],
  { description: 'where a flag is in its workflow' },
)
export type FlagState = Static<typeof FlagState>

export const FlagAction = Type.Union(
  [L('register'), L('reject'), L('dispatch'), L('acknowledge'), L('feedback'), L('verify'), L('return'), L('reopen')],
  { description: 'a workflow action (dispatch is taken by the system when a flag is registered)' },
)
export type FlagAction = Static<typeof FlagAction>

/** What a flag's timeline records: the workflow actions, the reports, and escalations. */
export const FlagEventAction = Type.Union([...FlagAction.anyOf, L('report'), L('same_as_report'), L('escalate')])
export type FlagEventAction = Static<typeof FlagEventAction>

export const RoutingRule = Type.Union([L('direct'), L('fallback_gap'), L('fallback_vacant'), L('nobody')])
export type RoutingRule = Static<typeof RoutingRule>

const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[lon, lat], WGS84' })
/** Where a flag is: a point, or an area (a polygon). */
export const FlagGeometry = Type.Union([
  Type.Object({ type: L('Point'), coordinates: Position }),
  Type.Object({ type: L('Polygon'), coordinates: Type.Array(Type.Array(Position)) }),
])
export type FlagGeometry = Static<typeof FlagGeometry>

/** The limits on a flag's photos (FLAG_PHOTO_MAX_BYTES, FLAG_PHOTO_MAX_COUNT) and the accepted types. */
export const FlagPhotoLimits = Type.Object({
  maxBytes: Type.Integer({ description: 'the largest photo, in bytes' }),
  maxCount: Type.Integer({ description: 'the most photos in one report or feedback' }),
  types: Type.Array(Type.String(), { description: 'accepted content types (judged by the bytes)' }),
})
export type FlagPhotoLimits = Static<typeof FlagPhotoLimits>

/** The flag rules a client needs before it asks (GET /api/map-config), so it never repeats them. */
export const FlagRules = Type.Object({
  photos: FlagPhotoLimits,
  commentRequired: Type.Array(FlagAction, { description: 'actions that need a comment (reason, note)' }),
  openStates: Type.Array(FlagState, { description: 'states in which a flag still needs someone to act' }),
})
export type FlagRules = Static<typeof FlagRules>

export const FlagIdParams = Type.Object({ id: Id })
export const PhotoParams = Type.Object({ id: Id, photoId: Id })

export const Category = Type.Object({
  code: Type.String(),
  name: Names,
  ackLimit: Limit,
  completeLimit: Limit,
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
})

export const CategoryBody = Type.Object(
  {
    nameZh: Type.String({ minLength: 1, maxLength: 100 }),
    nameEn: Type.String({ minLength: 1, maxLength: 100 }),
    ackLimit: Limit,
    completeLimit: Limit,
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 32767 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const Holiday = Type.Object({ day: Type.String(), name: Type.String(), working: Type.Boolean() })
export const HolidayParams = Type.Object({ day: IsoDate })
export const HolidayBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    working: Type.Optional(
      Type.Boolean({ description: 'true: a make-up working day on a weekend (调休); false (default): a day off' }),
    ),
  },
  { additionalProperties: false },
)

export const PhotoInput = Type.Object(
  {
    data: Type.String({ minLength: 1, description: 'the image, base64 (a data: URL is accepted)' }),
    contentType: Type.Optional(
      Type.String({ maxLength: 100, description: 'image/jpeg, image/png or image/webp; checked against the content' }),
    ),
    filename: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
)

export const CreateFlagBody = Type.Object(
  {
    category: Code('a flag category code (GET /api/flags/categories)'),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    geometry: Type.Optional(GeoJSONGeometry),
    lon: Type.Optional(Lon),
    lat: Type.Optional(Lat),
    photos: Type.Optional(
      Type.Array(PhotoInput, { description: 'JSON only; with multipart/form-data send files in the "photos" field' }),
    ),
    confirmNotDuplicate: Type.Optional(
      Type.Boolean({ description: 'report it even though an open flag of the category is near' }),
    ),
    sameAs: Type.Optional(IdOf('add this report (and photos) to that open flag instead')),
  },
  {
    additionalProperties: false,
    description:
      'JSON, or multipart/form-data with the same fields as text ("geometry" as GeoJSON text, or "lon" and "lat") and photo files in "photos"',
  },
)

const Version = VersionOf("the flag's version as last read (optimistic concurrency)")
const Comment = Type.String({ maxLength: 4000 })
const Required = Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' })

export const TransitionBody = Type.Object(
  { version: Version, comment: Type.Optional(Comment) },
  { additionalProperties: false },
)
export const RejectBody = Type.Object({ version: Version, reason: Required }, { additionalProperties: false })
export const CommentRequiredBody = Type.Object({ version: Version, comment: Required }, { additionalProperties: false })
export const FeedbackBody = Type.Object(
  { version: Version, note: Required, photos: Type.Optional(Type.Array(PhotoInput)) },
  {
    additionalProperties: false,
    description: 'JSON, or multipart/form-data with "version", "note" and photo files in "photos"',
  },
)

const CellRef = Type.Object({ code: Type.String(), name: Nullable(Type.String()) })

export const Flag = Type.Object({
  id: Type.Integer(),
  version: Type.Integer(),
  category: Type.String(),
  categoryName: Names,
  description: Type.String(),
  state: FlagState,
  geometry: FlagGeometry,
  point: Type.Array(Type.Number(), {
    minItems: 2,
    maxItems: 2,
    description: 'the point that routes the flag (an area: a point on its surface)',
  }),
  unowned: Type.Boolean({ description: 'in a gap or a vacant cell: dispatched by the fallback rule' }),
  routing: Type.Object({
    rule: Nullable(RoutingRule),
    routedOn: Nullable(Type.String()),
    cellCode: Nullable(Type.String({ description: 'the finest cell covering the point' })),
    cellName: Nullable(Type.String()),
    accountableCellCode: Nullable(Type.String({ description: 'the cell it is (or will be) dispatched to' })),
    accountableCellName: Nullable(Type.String()),
    townshipCode: Nullable(Type.String()),
    townshipName: Nullable(Type.String()),
    missingLevel: Nullable(Type.Integer({ description: 'in a gap: the level no cell covers' })),
    gapParentCode: Nullable(Type.String({ description: 'in a gap: the cell whose children leave it uncovered' })),
  }),
  reportedBy: Nullable(
    Type.Object({ id: Type.Integer(), login: Nullable(Type.String()), displayName: Nullable(Type.String()) }),
  ),
  createdAt: DateTime,
  updatedAt: DateTime,
  registeredAt: Nullable(DateTime),
  rejectedAt: Nullable(DateTime),
  dispatchedAt: Nullable(DateTime),
  acknowledgedAt: Nullable(DateTime),
  feedbackAt: Nullable(DateTime),
  closedAt: Nullable(DateTime),
  completedAt: Nullable(DateTime),
  ackDueAt: Nullable(DateTime),
  completeDueAt: Nullable(DateTime),
  overdue: Type.Object({ ack: Type.Boolean(), completion: Type.Boolean(), any: Type.Boolean() }),
  escalationLevel: Type.Integer(),
  escalatedTo: Nullable(CellRef),
  ackEscalatedAt: Nullable(DateTime),
  completeEscalatedAt: Nullable(DateTime),
  sameAsReports: Type.Integer(),
  allowedActions: Type.Array(FlagAction, {
    description: 'the actions the requesting user may take on the flag now: its state, their role, their cells',
  }),
})

export const FlagDetail = Type.Object({
  ...Flag.properties,
  timeline: Type.Array(
    Type.Object({
      id: Type.Integer(),
      at: DateTime,
      action: FlagEventAction,
      fromState: Nullable(FlagState),
      toState: Nullable(FlagState),
      actor: Type.Object({ id: Nullable(Type.Integer()), login: Type.String() }),
      comment: Nullable(Type.String()),
      details: Type.Unknown({ description: "what the action recorded (routing, deadlines, a report's location…)" }),
      photoIds: Type.Array(Type.Integer()),
    }),
  ),
  photos: Type.Array(
    Type.Object({
      id: Type.Integer(),
      eventId: Nullable(Type.Integer()),
      contentType: Type.String({ description: 'image/jpeg, image/png or image/webp' }),
      sizeBytes: Type.Integer(),
      filename: Nullable(Type.String()),
      createdAt: DateTime,
      url: Type.String(),
    }),
  ),
  assignees: Type.Array(
    Type.Object({
      personId: Type.Integer(),
      name: Type.String(),
      nameEn: Nullable(Type.String()),
      phone: Nullable(Type.String()),
      role: Type.String(),
      cellCode: Type.String(),
      cellName: Type.String(),
      reason: Type.Union([L('dispatch'), L('escalation')]),
      assignedAt: DateTime,
    }),
  ),
})

export const SameAsResult = Type.Object({
  sameAs: Type.Literal(true),
  eventId: Type.Integer(),
  flag: FlagDetail,
})

/** details.candidates of a 409 possible_duplicate (POST /api/flags): open flags of the category nearby. */
export const DuplicateCandidate = Type.Object({
  id: Type.Integer(),
  category: Type.String(),
  state: FlagState,
  description: Type.String(),
  createdAt: DateTime,
  point: Position,
  distanceM: Type.Number({ description: 'metres from the new report, to 0.1 m' }),
})
export type DuplicateCandidate = Static<typeof DuplicateCandidate>

export const FlagList = Type.Object({
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  flags: Type.Array(Flag),
})

export const Inbox = Type.Object({
  counts: Type.Object({
    dispatched: Type.Integer(),
    in_progress: Type.Integer(),
    feedback: Type.Integer(),
    closed: Type.Integer(),
  }),
  overdue: Type.Integer(),
  total: Type.Integer(),
  flags: Type.Array(Flag),
})

const filters = {
  state: Type.Optional(
    Type.String({
      pattern: '^[a-z_]+(,[a-z_]+)*$',
      maxLength: 200,
      description: 'one state or several, comma-separated',
    }),
  ),
  category: Type.Optional(Code('a flag category code')),
  township: Type.Optional(Code('township (level-2 cell) code', 32)),
  overdue: Type.Optional(
    Type.Boolean({ description: 'only flags past a limit now (true), or only those not (false)' }),
  ),
  bbox: Type.Optional(Bbox),
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
}

export const FlagListQuery = Type.Object(
  {
    ...filters,
    mine: Type.Optional(Type.Boolean({ description: 'only the flags I reported' })),
    limit: Type.Optional(PageLimit(1000, 100)),
    offset: Type.Optional(Offset),
  },
  { additionalProperties: false },
)

export const InboxQuery = Type.Object(
  {
    state: filters.state,
    category: filters.category,
    overdue: filters.overdue,
    limit: Type.Optional(PageLimit(1000, 100)),
    offset: Type.Optional(Offset),
  },
  { additionalProperties: false },
)

export const MapQuery = Type.Object(
  { ...filters, limit: Type.Optional(PageLimit(20000, 5000)) },
  { additionalProperties: false },
)

export const ExportQuery = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('geojson')]),
    ...filters,
    mine: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const EscalationReport = Type.Object({
  at: DateTime,
  escalated: Type.Array(
    Type.Object({
      flagId: Type.Integer(),
      limit: Type.Union([L('ack'), L('complete')]),
      fromCellCode: Nullable(Type.String()),
      toCellCode: Nullable(Type.String()),
      escalationLevel: Type.Integer(),
      atTop: Type.Boolean(),
    }),
  ),
})

/** GET /api/flags.geojson: the map layer, built in SQL (properties as the map draws them). */
export const FlagFeatureCollection = Type.Object({
  type: L('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: L('Feature'),
      id: Type.Integer(),
      geometry: FlagGeometry,
      properties: Type.Object({
        id: Type.Integer(),
        category: Type.String(),
        categoryZh: Type.String(),
        categoryEn: Type.String(),
        state: FlagState,
        color: Type.String({ description: "the state's colour, #rrggbb" }),
        description: Type.String(),
        unowned: Type.Boolean(),
        routingRule: Nullable(RoutingRule),
        cellCode: Nullable(Type.String()),
        accountableCellCode: Nullable(Type.String()),
        townshipCode: Nullable(Type.String()),
        missingLevel: Nullable(Type.Integer()),
        escalationLevel: Type.Integer(),
        escalatedToCode: Nullable(Type.String()),
        overdue: Type.Boolean(),
        point: Position,
        createdAt: Type.String(),
        dispatchedAt: Nullable(Type.String()),
        ackDueAt: Nullable(Type.String()),
        completeDueAt: Nullable(Type.String()),
        closedAt: Nullable(Type.String()),
      }),
    }),
  ),
})

export type FlagIdParams = Static<typeof FlagIdParams>
export type PhotoParams = Static<typeof PhotoParams>
export type Category = Static<typeof Category>
export type CategoryBody = Static<typeof CategoryBody>
export type Holiday = Static<typeof Holiday>
export type HolidayParams = Static<typeof HolidayParams>
export type HolidayBody = Static<typeof HolidayBody>
export type CreateFlagBody = Static<typeof CreateFlagBody>
export type TransitionBody = Static<typeof TransitionBody>
export type RejectBody = Static<typeof RejectBody>
export type CommentRequiredBody = Static<typeof CommentRequiredBody>
export type FeedbackBody = Static<typeof FeedbackBody>
export type Flag = Static<typeof Flag>
export type FlagDetail = Static<typeof FlagDetail>
export type FlagEvent = FlagDetail['timeline'][number]
export type FlagPhoto = FlagDetail['photos'][number]
export type FlagAssignee = FlagDetail['assignees'][number]
export type SameAsResult = Static<typeof SameAsResult>
export type FlagList = Static<typeof FlagList>
export type Inbox = Static<typeof Inbox>
export type FlagListQuery = Static<typeof FlagListQuery>
export type InboxQuery = Static<typeof InboxQuery>
export type MapQuery = Static<typeof MapQuery>
export type ExportQuery = Static<typeof ExportQuery>
export type EscalationReport = Static<typeof EscalationReport>
export type FlagFeatureCollection = Static<typeof FlagFeatureCollection>
