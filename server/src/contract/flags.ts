import { Type } from '@sinclair/typebox'
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
  YearMonth,
} from '../common.schemas.js'

const DateTime = Type.String({ format: 'date-time' })
const Id = IdOf()
const LimitUnit = Type.Union([Type.Literal('working_hours'), Type.Literal('working_days')])
const Limit = Type.Object({ amount: Type.Integer({ minimum: 1, maximum: 10000 }), unit: LimitUnit })

export const FlagIdParams = Type.Object({ id: Id })
export const PhotoParams = Type.Object({ id: Id, photoId: Id })

export const Category = Type.Object({
  code: Type.String(),
  name: Type.Object({ zh: Type.String(), en: Type.String() }),
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

const PhotoInput = Type.Object(
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
  categoryName: Type.Object({ zh: Type.String(), en: Type.String() }),
  description: Type.String(),
  state: Type.String({
    description: 'reported | registered | rejected | dispatched | in_progress | feedback | closed',
  }),
  geometry: Type.Unknown(),
  point: Type.Array(Type.Number(), { description: 'the point that routes the flag (an area: a point on its surface)' }),
  unowned: Type.Boolean({ description: 'in a gap or a vacant cell: dispatched by the fallback rule' }),
  routing: Type.Object({
    rule: Nullable(Type.String({ description: 'direct | fallback_gap | fallback_vacant | nobody' })),
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
  allowedActions: Type.Array(Type.String()),
})

export const FlagDetail = Type.Object({
  ...Flag.properties,
  timeline: Type.Array(
    Type.Object({
      id: Type.Integer(),
      at: DateTime,
      action: Type.String(),
      fromState: Nullable(Type.String()),
      toState: Nullable(Type.String()),
      actor: Type.Object({ id: Nullable(Type.Integer()), login: Type.String() }),
      comment: Nullable(Type.String()),
      details: Type.Unknown(),
      photoIds: Type.Array(Type.Integer()),
    }),
  ),
  photos: Type.Array(
    Type.Object({
      id: Type.Integer(),
      eventId: Nullable(Type.Integer()),
      contentType: Type.String(),
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
      reason: Type.String({ description: 'dispatch | escalation' }),
      assignedAt: DateTime,
    }),
  ),
})

export const SameAsResult = Type.Object({
  sameAs: Type.Literal(true),
  eventId: Type.Integer(),
  flag: FlagDetail,
})

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

export const AssessmentQuery = Type.Object(
  {
    month: YearMonth,
    by: Type.Optional(
      Type.Union([Type.Literal('cell'), Type.Literal('township'), Type.Literal('person')], { default: 'cell' }),
    ),
  },
  { additionalProperties: false },
)

const Figures = {
  received: Type.Integer(),
  registered: Type.Integer(),
  due: Type.Integer(),
  dueClosed: Type.Integer(),
  dueClosedOnTime: Type.Integer(),
  closureRate: Nullable(Type.Number()),
  onTimeClosureRate: Nullable(Type.Number()),
  closed: Type.Integer(),
  meanHoursToClose: Nullable(Type.Number()),
  reopened: Type.Integer(),
  reopenRate: Nullable(Type.Number()),
}
const GroupFigures = Type.Object({
  key: Type.String(),
  code: Nullable(Type.String()),
  name: Nullable(Type.String()),
  ...Figures,
})

export const Assessment = Type.Object({
  month: Type.String(),
  by: Type.String(),
  timeZone: Type.String(),
  computedAt: DateTime,
  definitions: Type.Record(Type.String(), Type.String()),
  totals: Type.Object(Figures),
  rows: Type.Array(GroupFigures),
  townshipRanking: Type.Array(Type.Object({ ...GroupFigures.properties, rank: Nullable(Type.Integer()) })),
})

export const EscalationReport = Type.Object({
  at: DateTime,
  escalated: Type.Array(
    Type.Object({
      flagId: Type.Integer(),
      limit: Type.String(),
      fromCellCode: Nullable(Type.String()),
      toCellCode: Nullable(Type.String()),
      escalationLevel: Type.Integer(),
      atTop: Type.Boolean(),
    }),
  ),
})
