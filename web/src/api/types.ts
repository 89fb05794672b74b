// The server's JSON as the web app uses it: types from the API contract (server/src/contract), the one
// source of both the route schemas and these types. Only types cross over (import type): the web bundle
// holds no server code.
export type {
  BboxArray,
  CellCollection,
  CellDetail,
  CellFeature,
  CellPerson,
  CellProperties,
  ChainLevel,
  ContextCollection,
  CoverageChild,
  CoverageGap,
  CoverageOverlap,
  CoverageReport,
  DutyPerson,
  Effective,
  ErrorResponse,
  Health,
  ImportReport,
  MapConfig,
  ObjectCollection,
  ObjectDetail,
  ObjectProperties,
  ObjectTypes,
  Patrol,
  PatrolCompletion,
  ProblemSummary,
  ParcelAccountability,
  ParcelCollection,
  ParcelCounts,
  ParcelIssue,
  ParcelProperties,
  ParcelStatus,
  PersonCell,
  PersonDetail,
  PersonListItem,
  PersonResponsibility,
  PointAccountability,
  Polygonal,
  Region,
  RegionOutline,
  RematchReport,
  Responsibility,
  Role,
  SearchHit,
  Session,
  SessionUser,
  SliverGap,
  Staffing,
  StaffingRule,
  StaffingRules,
  UnownedFlag,
  User,
  UserRole,
} from '../../../server/src/contract/index.js'

/** A bbox the web app asks for (the `bbox` query parameter): minLon, minLat, maxLon, maxLat. */
export type Bbox = [number, number, number, number]

// ---- boundary edits (POST /api/edits/preview, POST /api/edits, GET /api/cells/:code/history) -------
export type {
  AccountableState,
  AreaDiff,
  AreaPiece,
  CellChange,
  CellVersion,
  EditChange,
  EditOperation,
  EditRequest,
  EditResult,
  ParcelChange,
} from '../../../server/src/contract/edits.js'

// ---- flags (/api/flags…) ------------------------------------------------------------------------
import type {
  Category,
  CreateFlagBody,
  FlagDetail,
  FlagFeatureCollection,
  FlagListQuery,
  FlagState,
  SameAsResult,
  Flag,
} from '../../../server/src/contract/index.js'

export type {
  DuplicateCandidate,
  Flag,
  FlagAction,
  FlagAssignee,
  FlagDetail,
  FlagEvent,
  FlagList,
  FlagPhoto,
  FlagRules,
  FlagState,
} from '../../../server/src/contract/index.js'
export type FlagCategory = Category
export type FlagLimit = Category['ackLimit']
export type FlagRouting = Flag['routing']
export type { Inbox as FlagInbox } from '../../../server/src/contract/index.js'
export type FlagCollection = FlagFeatureCollection
export type FlagFeatureProperties = FlagFeatureCollection['features'][number]['properties']

/** The flag filters the web keeps (GET /api/flags's query; `state` as a list the client joins with commas). */
export type FlagFilters = Pick<FlagListQuery, 'category' | 'township' | 'overdue' | 'mine'> & { state?: FlagState[] }

/** The report form (POST /api/flags): a point or an area, and photo files sent as multipart/form-data. */
export type FlagReport = Pick<CreateFlagBody, 'category' | 'description' | 'confirmNotDuplicate' | 'sameAs'> & {
  /** a point (tap or device location) or an area */
  location: { lon: number; lat: number } | { geometry: Extract<Flag['geometry'], { type: 'Polygon' }> }
  photos?: File[]
  /** names this report to the server: sent again (or kept for later) with it, it is stored once */
  idempotencyKey?: string
}

/** What reporting came to: a new flag (201), or the report added to an open flag (200, SameAsResult). */
export type FlagReportResult =
  { kind: 'created'; flag: FlagDetail } | { kind: 'same_as'; eventId: SameAsResult['eventId']; flag: FlagDetail }

// ---- the accountability loop (issue 12): units, letters, ledgers, assessment, continuity ------------
export type {
  Indicator,
  Letter,
  Line,
  Measure,
  Progress as UnitProgress,
  Unit,
  UnitDetail,
  UnitRef,
} from '../../../server/src/contract/units.js'
export type {
  LedgerEntry,
  LedgerEntryDetail,
  LedgerEvidence,
  LedgerList,
  LedgerProgress,
  LedgerState,
  LedgerSummary,
  LedgerVersion,
  ReviewQueue,
} from '../../../server/src/contract/ledgers.js'
export type {
  AssessmentRow,
  AssessmentTrend,
  DetailRow as AssessmentDetailRow,
  MonthAssessment,
  ScorePart,
  UnitAssessment,
} from '../../../server/src/contract/assessment.js'
export type { TownshipVacancy, VacancyDays } from '../../../server/src/contract/continuity.js'
export type {
  MarkReadBody,
  MarkReadResult,
  Notification,
  NotificationList,
  NotificationSummary,
} from '../../../server/src/contract/index.js'

// ---- inspections and rectification (督查、整改) -------------------------------------------------------
export type {
  Campaign,
  CampaignBody,
  CampaignList,
  CampaignReport,
  Finding,
  FindingBody,
  FindingCounts,
  FindingList,
  Severity,
} from '../../../server/src/contract/inspections.js'
