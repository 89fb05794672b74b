// The monthly ledgers (台账, /api/ledgers…): one entry per measure, responsible unit and month, filled in
// by the unit's officers, submitted by the deadline and reviewed by the line's lead unit. Evidence files
// (photos and PDF documents) are uploaded like flag photos: JSON with base64, or multipart/form-data.
import { Type, type Static } from '@sinclair/typebox'
import {
  Code,
  errorResponses,
  Id,
  IdempotencyHeaders,
  Limit,
  Nullable,
  Offset,
  Version,
  YearMonth,
  type MediaResponse,
  type RouteContract,
} from './common.js'

const L = Type.Literal
const DateTime = Type.String({ format: 'date-time' })

export const LedgerState = Type.Union([L('draft'), L('submitted'), L('accepted'), L('returned')], {
  description: 'where an entry is in submission and review; accepted is final',
})
export type LedgerState = Static<typeof LedgerState>

export const LedgerProgress = Type.Union([L('done'), L('on_track'), L('late'), L('not_started')], {
  description: "the unit's own account of the month's milestone",
})
export type LedgerProgress = Static<typeof LedgerProgress>

export const LedgerAction = Type.Union(
  [L('create'), L('save'), L('submit'), L('accept'), L('return'), L('escalate'), L('milestone')],
  { description: "what a version of an entry records ('milestone': the admin changed the month's milestone)" },
)
export type LedgerAction = Static<typeof LedgerAction>

const UnitRef = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  kind: Type.Union([L('township'), L('department')]),
})
const LineRef = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() })
const IndicatorRef = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  unitOfMeasure: Type.String(),
  direction: Type.Union([L('higher_is_better'), L('lower_is_better')]),
  minValue: Nullable(Type.Number()),
  maxValue: Nullable(Type.Number()),
})

/** An entry as lists show it. */
export const LedgerEntry = Type.Object({
  id: Type.Integer(),
  month: Type.String({ description: 'YYYY-MM' }),
  unit: UnitRef,
  line: LineRef,
  measure: Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    title: Type.String(),
    titleEn: Nullable(Type.String()),
    targetValue: Type.Number(),
    indicator: IndicatorRef,
    /** the lead unit of the measure (who answers for it as a whole) */
    leadUnitCode: Type.String(),
  }),
  /** the month's milestone (工作节点) and its planned value */
  milestone: Type.String(),
  plannedValue: Nullable(Type.Number()),
  doneValue: Nullable(Type.Number()),
  doneText: Type.String(),
  /** null when withheld */
  progress: Nullable(LedgerProgress),
  state: LedgerState,
  version: Type.Integer(),
  dueAt: DateTime,
  submittedAt: Nullable(DateTime),
  submittedBy: Nullable(Type.String({ description: 'login' })),
  reviewedAt: Nullable(DateTime),
  reviewedBy: Nullable(Type.String({ description: 'login' })),
  returnReason: Nullable(Type.String()),
  /** past due and still draft or returned */
  overdue: Type.Boolean(),
  /** submitted or accepted, and (last) submitted at or before the deadline */
  onTime: Type.Boolean(),
  escalationLevel: Type.Integer({
    description: '0 none, 1 the unit head told (at due), 2 the county (5 working days late)',
  }),
  escalatedAt: Nullable(DateTime),
  /** null when withheld */
  evidenceCount: Nullable(Type.Integer()),
  /**
   * true when the requester is a unit officer of another unit (a reviewer of the line too) and the entry
   * is not handed in (draft or returned): what was done is not shown (doneValue, progress and
   * evidenceCount null, doneText '')
   */
  withheld: Type.Boolean(),
  updatedAt: DateTime,
})
export type LedgerEntry = Static<typeof LedgerEntry>

export const LedgerVersion = Type.Object({
  version: Type.Integer(),
  action: LedgerAction,
  at: DateTime,
  actorLogin: Type.String(),
  state: LedgerState,
  progress: LedgerProgress,
  doneValue: Nullable(Type.Number()),
  doneText: Type.String(),
  reason: Nullable(Type.String()),
})
export type LedgerVersion = Static<typeof LedgerVersion>

export const LedgerEvidence = Type.Object({
  id: Type.Integer(),
  /** the entry version it was attached at */
  version: Type.Integer(),
  contentType: Type.Union([L('image/jpeg'), L('image/png'), L('image/webp'), L('application/pdf')]),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  filename: Nullable(Type.String()),
  uploadedBy: Nullable(Type.String({ description: 'login' })),
  createdAt: DateTime,
})
export type LedgerEvidence = Static<typeof LedgerEvidence>

/**
 * GET /api/ledgers/{id}: the entry, its versions (oldest first), its evidence and what the requester may
 * do. Never withheld (a withheld entry's detail is 403), so progress and evidenceCount are always there.
 */
export const LedgerEntryDetail = Type.Composite([
  Type.Omit(LedgerEntry, ['progress', 'evidenceCount']),
  Type.Object({
    progress: LedgerProgress,
    evidenceCount: Type.Integer(),
    versions: Type.Array(LedgerVersion),
    evidence: Type.Array(LedgerEvidence),
    can: Type.Object({
      /** save, submit, add evidence (an officer of the unit; the entry draft or returned) */
      edit: Type.Boolean(),
      /** accept or return (a reviewer of the line, not the submitter nor an officer of its unit; the entry submitted) */
      review: Type.Boolean(),
    }),
  }),
])
export type LedgerEntryDetail = Static<typeof LedgerEntryDetail>

export const LedgerIdParams = Type.Object({ id: Id() })
export type LedgerIdParams = Static<typeof LedgerIdParams>
export const EvidenceParams = Type.Object({ id: Id(), evidenceId: Id() })
export type EvidenceParams = Static<typeof EvidenceParams>

export const LedgerListQuery = Type.Object(
  {
    month: Type.Optional(YearMonth),
    unit: Type.Optional(Code('a unit code; a unit officer without it gets their own units')),
    line: Type.Optional(Code('a line of work code')),
    measure: Type.Optional(Id('a measure id')),
    state: Type.Optional(LedgerState),
    overdue: Type.Optional(Type.Boolean({ description: 'true: only overdue entries; false: only the others' })),
    all: Type.Optional(Type.Boolean({ description: "a unit officer: every unit's entries, not only their own" })),
    limit: Type.Optional(Limit(1000, 200)),
    offset: Type.Optional(Offset),
  },
  { additionalProperties: false },
)
export type LedgerListQuery = Static<typeof LedgerListQuery>

export const LedgerList = Type.Object({ total: Type.Integer(), entries: Type.Array(LedgerEntry) })
export type LedgerList = Static<typeof LedgerList>

const Text = Type.String({ maxLength: 4000 })
const Reason = Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' })
const EntryVersion = Version("the entry's version as last read (optimistic concurrency)")

/** PUT /api/ledgers/{id}: what was done; fields left out keep their value. */
export const SaveLedgerBody = Type.Object(
  {
    version: EntryVersion,
    doneValue: Type.Optional(
      Nullable(Type.Number({ minimum: -1e15, maximum: 1e15, description: "within the indicator's min/max" })),
    ),
    doneText: Type.Optional(Text),
    progress: Type.Optional(LedgerProgress),
  },
  { additionalProperties: false },
)
export type SaveLedgerBody = Static<typeof SaveLedgerBody>

export const LedgerVersionBody = Type.Object(
  { version: EntryVersion, comment: Type.Optional(Text) },
  { additionalProperties: false },
)
export type LedgerVersionBody = Static<typeof LedgerVersionBody>

export const ReturnLedgerBody = Type.Object({ version: EntryVersion, reason: Reason }, { additionalProperties: false })
export type ReturnLedgerBody = Static<typeof ReturnLedgerBody>

const EvidenceInput = Type.Object(
  {
    data: Type.String({ minLength: 1, description: 'the file, base64 (a data: URL is accepted)' }),
    contentType: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'image/jpeg, image/png, image/webp or application/pdf; checked against the content',
      }),
    ),
    filename: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
)

/** POST /api/ledgers/{id}/evidence: files added to a draft or returned entry (a new version). */
export const EvidenceBody = Type.Object(
  {
    version: EntryVersion,
    files: Type.Optional(
      Type.Array(EvidenceInput, { description: 'JSON only; with multipart/form-data send files in the "files" field' }),
    ),
  },
  {
    additionalProperties: false,
    description: 'JSON, or multipart/form-data with "version" and the files in "files"',
  },
)
export type EvidenceBody = Static<typeof EvidenceBody>

export const ReviewQueueQuery = Type.Object(
  { month: Type.Optional(YearMonth), line: Type.Optional(Code('a line of work code')) },
  { additionalProperties: false },
)
export type ReviewQueueQuery = Static<typeof ReviewQueueQuery>

/** Submitted entries of the lines the requester reviews (admins: every line), oldest submission first. */
export const ReviewQueue = Type.Object({ entries: Type.Array(LedgerEntry) })
export type ReviewQueue = Static<typeof ReviewQueue>

export const LedgerSummaryQuery = Type.Object({ month: YearMonth }, { additionalProperties: false })
export type LedgerSummaryQuery = Static<typeof LedgerSummaryQuery>

/** GET /api/ledgers/summary: per unit with entries that month (units in sort order). */
export const LedgerSummary = Type.Object({
  month: Type.String({ description: 'YYYY-MM' }),
  /** the month's deadline (the entries' due_at; null when the month has no entries) */
  dueAt: Nullable(DateTime),
  units: Type.Array(
    Type.Object({
      unit: UnitRef,
      entries: Type.Integer(),
      /** handed in: submitted or accepted */
      submitted: Type.Integer(),
      /** handed in at or before the deadline */
      onTime: Type.Integer(),
      accepted: Type.Integer(),
      returned: Type.Integer(),
      /** past due and still draft or returned */
      overdue: Type.Integer(),
    }),
  ),
})
export type LedgerSummary = Static<typeof LedgerSummary>

export const LedgerEscalationReport = Type.Object({
  at: DateTime,
  escalated: Type.Array(
    Type.Object({
      entryId: Type.Integer(),
      month: Type.String({ description: 'YYYY-MM' }),
      unitCode: Type.String(),
      measureCode: Type.String(),
      dueAt: DateTime,
      escalationLevel: Type.Integer({ description: '1: the unit head; 2: the county (the line’s lead unit)' }),
      /** the unit told: the entry's own unit (level 1) or the line's lead unit (level 2) */
      toUnitCode: Type.String(),
    }),
  ),
})
export type LedgerEscalationReport = Static<typeof LedgerEscalationReport>

const Binary = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' })

/** An evidence file, sent with the content type it was stored with. */
export const LedgerEvidenceFile: MediaResponse = {
  description: 'Default Response',
  content: {
    'image/jpeg': { schema: Binary },
    'image/png': { schema: Binary },
    'image/webp': { schema: Binary },
    'application/pdf': { schema: Binary },
  },
}

/** Refusals of an upload: a file too large (413), a type not taken (415). */
const uploadErrors = { 413: errorResponses[400], 415: errorResponses[400] }

const action = <B extends typeof LedgerVersionBody | typeof ReturnLedgerBody>(body: B) => ({
  params: LedgerIdParams,
  body,
  response: { 200: LedgerEntryDetail, ...errorResponses },
})

export const ledgersRoutes = {
  'GET /api/ledgers': { querystring: LedgerListQuery, response: { 200: LedgerList, ...errorResponses } },
  'GET /api/ledgers/review-queue': {
    querystring: ReviewQueueQuery,
    response: { 200: ReviewQueue, ...errorResponses },
  },
  'GET /api/ledgers/summary': { querystring: LedgerSummaryQuery, response: { 200: LedgerSummary, ...errorResponses } },
  'POST /api/ledgers/escalate': { response: { 200: LedgerEscalationReport, ...errorResponses } },
  'GET /api/ledgers/:id': { params: LedgerIdParams, response: { 200: LedgerEntryDetail, ...errorResponses } },
  'PUT /api/ledgers/:id': {
    params: LedgerIdParams,
    headers: IdempotencyHeaders,
    body: SaveLedgerBody,
    response: { 200: LedgerEntryDetail, ...errorResponses },
  },
  'POST /api/ledgers/:id/submit': { ...action(LedgerVersionBody), headers: IdempotencyHeaders },
  'POST /api/ledgers/:id/accept': action(LedgerVersionBody),
  'POST /api/ledgers/:id/return': action(ReturnLedgerBody),
  'POST /api/ledgers/:id/evidence': {
    consumes: ['application/json', 'multipart/form-data'],
    params: LedgerIdParams,
    headers: IdempotencyHeaders,
    body: EvidenceBody,
    response: { 200: LedgerEntryDetail, ...uploadErrors, ...errorResponses },
  },
  'GET /api/ledgers/:id/evidence/:evidenceId': {
    params: EvidenceParams,
    response: { 200: LedgerEvidenceFile, ...errorResponses },
  },
} satisfies Record<string, RouteContract>
