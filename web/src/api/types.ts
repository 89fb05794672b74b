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

import type { FeatureCollection, Point, Polygon } from 'geojson'

// ---- flags ---------------------------------------------------------------------------------------

export type FlagState = 'reported' | 'registered' | 'rejected' | 'dispatched' | 'in_progress' | 'feedback' | 'closed'
export type FlagAction = 'register' | 'reject' | 'acknowledge' | 'feedback' | 'verify' | 'return' | 'reopen'

export interface FlagLimit {
  amount: number
  unit: 'working_hours' | 'working_days'
}

export interface FlagCategory {
  code: string
  name: { zh: string; en: string }
  ackLimit: FlagLimit
  completeLimit: FlagLimit
  sortOrder: number
  active: boolean
}

export interface FlagRouting {
  rule: 'direct' | 'fallback_gap' | 'fallback_vacant' | 'nobody' | null
  routedOn: string | null
  cellCode: string | null
  cellName: string | null
  accountableCellCode: string | null
  accountableCellName: string | null
  townshipCode: string | null
  townshipName: string | null
  missingLevel: number | null
  gapParentCode: string | null
}

export interface Flag {
  id: number
  version: number
  category: string
  categoryName: { zh: string; en: string }
  description: string
  state: FlagState
  geometry: Point | Polygon
  point: number[]
  unowned: boolean
  routing: FlagRouting
  reportedBy: { id: number; login: string | null; displayName: string | null } | null
  createdAt: string
  updatedAt: string
  registeredAt: string | null
  rejectedAt: string | null
  dispatchedAt: string | null
  acknowledgedAt: string | null
  feedbackAt: string | null
  closedAt: string | null
  completedAt: string | null
  ackDueAt: string | null
  completeDueAt: string | null
  overdue: { ack: boolean; completion: boolean; any: boolean }
  escalationLevel: number
  escalatedTo: { code: string; name: string | null } | null
  ackEscalatedAt: string | null
  completeEscalatedAt: string | null
  sameAsReports: number
  /** the actions this user may take on the flag now (its state, their role and their scope) */
  allowedActions: FlagAction[]
}

export interface FlagEvent {
  id: number
  at: string
  action: string
  fromState: FlagState | null
  toState: FlagState | null
  actor: { id: number | null; login: string }
  comment: string | null
  details: unknown
  photoIds: number[]
}

export interface FlagPhoto {
  id: number
  eventId: number | null
  contentType: string
  sizeBytes: number
  filename: string | null
  createdAt: string
  url: string
}

export interface FlagAssignee {
  personId: number
  name: string
  nameEn: string | null
  phone: string | null
  role: string
  cellCode: string
  cellName: string
  reason: 'dispatch' | 'escalation' | string
  assignedAt: string
}

export interface FlagDetail extends Flag {
  timeline: FlagEvent[]
  photos: FlagPhoto[]
  assignees: FlagAssignee[]
}

export interface FlagList {
  total: number
  limit: number
  offset: number
  flags: Flag[]
}

export interface FlagInbox {
  counts: { dispatched: number; in_progress: number; feedback: number; closed: number }
  overdue: number
  total: number
  flags: Flag[]
}

/** details.candidates of a 409 possible_duplicate */
export interface DuplicateCandidate {
  id: number
  category: string
  state: FlagState
  description: string
  createdAt: string
  point: number[]
  distanceM: number
}

export interface FlagFilters {
  state?: FlagState[]
  category?: string
  township?: string
  overdue?: boolean
  mine?: boolean
}

export interface FlagReport {
  category: string
  description?: string
  /** a point (tap or device location) or an area */
  location: { lon: number; lat: number } | { geometry: Polygon }
  photos?: File[]
  confirmNotDuplicate?: boolean
  sameAs?: number
}

export type FlagReportResult =
  { kind: 'created'; flag: FlagDetail } | { kind: 'same_as'; eventId: number; flag: FlagDetail }

export interface FlagFeatureProperties {
  id: number
  category: string
  categoryZh: string
  categoryEn: string
  state: FlagState
  unowned: boolean
  escalationLevel: number
  overdue: boolean
}
export type FlagCollection = FeatureCollection<Point | Polygon, FlagFeatureProperties>
