// Notifications (the bell): events sent to a user (a flag dispatched or escalated to their cell, a ledger
// entry of their unit returned) and reminders derived when read (a deadline within a working day, an
// object whose patrols this month are behind), their counts per kind, marking them read, and the daily
// digest of a supervisor's cells.
import { Type, type Static } from '@sinclair/typebox'
import { Id, IsoDate, Limit, MAX_INT32, Nullable, Offset, errorResponses, type RouteContract } from './common.js'

const Instant = Type.String({ format: 'date-time', maxLength: 40, description: 'ISO 8601 with a time zone' })

/** Events, stored when they happen. */
export const EVENT_KINDS = ['flag_dispatched', 'flag_escalated', 'ledger_returned'] as const
/** Reminders, derived when read; stored only once marked read. */
export const REMINDER_KINDS = ['deadline_soon', 'patrol_due'] as const
export const NOTIFICATION_KINDS = [...EVENT_KINDS, ...REMINDER_KINDS] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]
export const SUBJECT_TYPES = ['flag', 'ledger_entry', 'supervised_object'] as const
export type SubjectType = (typeof SUBJECT_TYPES)[number]

const EventKindSchema = Type.Union([
  Type.Literal('flag_dispatched'),
  Type.Literal('flag_escalated'),
  Type.Literal('ledger_returned'),
])
export const NotificationKindSchema = Type.Union(
  [...EventKindSchema.anyOf, Type.Literal('deadline_soon'), Type.Literal('patrol_due')],
  { description: 'what happened (events) or what is due (reminders: deadline_soon, patrol_due)' },
)
const SubjectTypeSchema = Type.Union([
  Type.Literal('flag'),
  Type.Literal('ledger_entry'),
  Type.Literal('supervised_object'),
])

/** What the message says, besides its kind and subject; each kind fills its own fields. */
export const NotificationPayload = Type.Object(
  {
    category: Type.Optional(Type.String({ description: 'flag category code' })),
    description: Type.Optional(Type.String({ description: 'start of the flag description' })),
    cellCode: Type.Optional(Type.String({ description: 'the cell the flag went to; of a patrol_due object' })),
    limit: Type.Optional(
      Type.Union([Type.Literal('ack'), Type.Literal('complete'), Type.Literal('ledger')], {
        description: 'which deadline: a flag acknowledgement or completion limit, or a ledger entry due date',
      }),
    ),
    dueAt: Type.Optional(Type.String({ format: 'date-time' })),
    measureCode: Type.Optional(Type.String()),
    measureTitle: Type.Optional(Type.String()),
    month: Type.Optional(Type.String({ description: 'YYYY-MM of a ledger entry, or of a patrol_due reminder' })),
    reason: Type.Optional(Type.String({ description: 'why a ledger entry was returned' })),
    objectCode: Type.Optional(Type.String()),
    objectName: Type.Optional(Type.String()),
    requiredVisits: Type.Optional(Type.Integer()),
    visitsMade: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
)
export type NotificationPayload = Static<typeof NotificationPayload>

export const Notification = Type.Object({
  id: Nullable(Type.Integer({ description: 'null for a reminder not yet read (it is not stored until then)' })),
  key: Type.String({ description: 'kind:subjectType:subjectId:event — names a reminder when marking it read' }),
  kind: NotificationKindSchema,
  reminder: Type.Boolean(),
  subject: Type.Object({
    type: SubjectTypeSchema,
    id: Type.Integer(),
  }),
  payload: NotificationPayload,
  createdAt: Type.String({ format: 'date-time', description: 'a reminder: when it was computed (now)' }),
  readAt: Nullable(Type.String({ format: 'date-time' })),
})
export type Notification = Static<typeof Notification>

export const NotificationListQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'only unread ones' })),
    limit: Type.Optional(Limit(200, 50)),
    offset: Type.Optional(Offset),
  },
  { additionalProperties: false },
)
export type NotificationListQuery = Static<typeof NotificationListQuery>

export const NotificationList = Type.Object({
  at: Type.String({ format: 'date-time', description: 'when the list was made: send it as upTo to mark all read' }),
  total: Type.Integer(),
  items: Type.Array(Notification),
})
export type NotificationList = Static<typeof NotificationList>

export const NotificationSummary = Type.Object({
  unread: Type.Integer({ description: 'every unread notification and reminder' }),
  byKind: Type.Object(
    Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, Type.Integer()])) as Record<
      NotificationKind,
      ReturnType<typeof Type.Integer>
    >,
    { additionalProperties: false },
  ),
})
export type NotificationSummary = Static<typeof NotificationSummary>

const Key = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[a-z_]+:[a-z_]+:[0-9]+:[^\\u0000-\\u001F\\u007F]+$',
})

export const MarkReadBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Id(), { maxItems: 500, description: 'stored notifications' })),
    keys: Type.Optional(Type.Array(Key, { maxItems: 500, description: 'reminders (their key)' })),
    upTo: Type.Optional(Type.String({ ...Instant, description: 'every stored notification created at or before' })),
  },
  { additionalProperties: false },
)
export type MarkReadBody = Static<typeof MarkReadBody>

export const MarkReadResult = Type.Object({
  marked: Type.Integer({ description: 'notifications that were unread and are now read' }),
  unread: Type.Integer({ description: 'unread left' }),
})
export type MarkReadResult = Static<typeof MarkReadResult>

export const DigestQuery = Type.Object(
  { date: Type.Optional({ ...IsoDate, description: 'the digest day (default today): events of the day before' }) },
  { additionalProperties: false },
)

const DigestEvent = Type.Object({
  kind: EventKindSchema,
  subject: Type.Object({ type: SubjectTypeSchema, id: Type.Integer() }),
  payload: NotificationPayload,
  at: Type.String({ format: 'date-time' }),
  recipients: Type.Integer({ minimum: 0, maximum: MAX_INT32, description: 'users notified' }),
})
const DigestDue = Type.Object({
  kind: Type.Union([Type.Literal('flag'), Type.Literal('ledger_entry')]),
  id: Type.Integer(),
  limit: Type.Union([Type.Literal('ack'), Type.Literal('complete'), Type.Literal('ledger')]),
  dueAt: Type.String({ format: 'date-time' }),
  label: Type.String({ description: 'flag category, or ledger measure code and unit' }),
  cellCode: Nullable(Type.String()),
})
const DigestPatrol = Type.Object({
  objectId: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  cellCode: Type.String(),
  requiredVisits: Type.Integer(),
  visitsMade: Type.Integer(),
})

export const Digest = Type.Object({
  date: Type.String({ format: 'date' }),
  scope: Type.Union([Type.Literal('all'), Type.Literal('own_cells')]),
  events: Type.Array(DigestEvent, { description: "the day before's events in the scope, oldest first" }),
  due: Type.Array(DigestDue, { description: 'open flags and unsubmitted ledger entries due on the day' }),
  patrolsBehind: Type.Array(DigestPatrol, { description: "objects visited less than required in the day's month" }),
})
export type Digest = Static<typeof Digest>

export const notificationsRoutes = {
  'GET /api/notifications': {
    querystring: NotificationListQuery,
    response: { 200: NotificationList, ...errorResponses },
  },
  'GET /api/notifications/summary': { response: { 200: NotificationSummary, ...errorResponses } },
  'POST /api/notifications/read': { body: MarkReadBody, response: { 200: MarkReadResult, ...errorResponses } },
  'GET /api/notifications/digest': { querystring: DigestQuery, response: { 200: Digest, ...errorResponses } },
} satisfies Record<string, RouteContract>
