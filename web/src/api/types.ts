// Shapes of the server's JSON (camelCase), as the web app uses them. Geometry types are the shared
// @types/geojson ones. Kept by hand from server/src/routes/** and the services they call.
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson'

export type Bbox = [number, number, number, number]
export type Role = 'grid_chief' | 'grid_member' | 'specialist'
export type UserRole = 'admin' | 'supervisor' | 'inspector' | 'viewer'
export type Staffing = 'staffed' | 'understaffed' | 'vacant'
export type ParcelStatus = 'matched' | 'straddling' | 'unowned' | 'inherited'

export interface MapConfig {
  basemapUrl: string | null
  publicMap: boolean
  expiringSoonDays: number
  demo: boolean
  /** today's date in the service time zone, and that zone: the web's "today" (util/service-day.ts) */
  today: string
  timeZone: string
  /** the flag rules the web checks before it asks (the server stays the judge) */
  flagRules: {
    photos: { maxBytes: number; maxCount: number; types: string[] }
    commentRequired: FlagAction[]
    openStates: FlagState[]
  }
}

export interface SessionUser {
  id: number
  login: string
  displayName: string
  role: UserRole
  personId: number | null
  isDemo: boolean
}

export interface Session {
  user: SessionUser
  csrfToken: string
  expiresAt: string
}

export interface Region {
  code: string
  name: string
  nameEn: string | null
  bbox: number[]
  areaM2: number
}

export interface CellPerson {
  personId: number
  name: string
  nameEn: string | null
  role: Role
  phone: string | null
  endsOn: string | null
}

export interface CellProperties {
  id: number
  code: string
  name: string
  nameEn: string | null
  level: number
  parentCode: string | null
  version: number
  staffing: Staffing
  expiring: boolean
  accountableCode: string | null
  people: CellPerson[]
}

export type CellFeature = Feature<Polygon | MultiPolygon, CellProperties>
export type CellCollection = FeatureCollection<Polygon | MultiPolygon, CellProperties>

export interface ParcelProperties {
  id: number
  externalId: string
  landUse: string
  ownerName: string | null
  status: ParcelStatus
  cellCode: string | null
  accountableCode: string | null
  areaM2: number | null
  uncoveredAreaM2: number | null
}
export type ParcelCollection = FeatureCollection<Polygon | MultiPolygon, ParcelProperties>

export interface DutyPerson {
  responsibilityId: number
  personId: number
  name: string
  nameEn: string | null
  role: Role
  phone: string | null
  organisation: string | null
  startsOn: string
  endsOn: string | null
}

export interface ChainLevel {
  level: number
  cell: { id: number; code: string; name: string; nameEn: string | null; staffing: Staffing | string }
  people: DutyPerson[]
}

export interface Effective {
  cellCode: string | null
  cellName?: string
  level: number | null
  people: DutyPerson[]
  rule: 'direct' | 'fallback_vacant' | 'fallback_gap' | 'nobody'
}

export interface PointAccountability {
  point: [number, number]
  at: string
  covered: boolean
  message: string | null
  chain: ChainLevel[]
  missingLevel: number | null
  involvedCells: { code: string; name: string; level: number; onBoundary: boolean }[]
  effective: Effective | null
  parcel: {
    id: number
    externalId: string
    landUse: string
    status: ParcelStatus | null
    cellCode: string | null
  } | null
  /** the region of the answering cell (or holding the point when no cell does) */
  region: { code: string; name: string } | null
  /** the point lies outside that region: the answering cell overhangs the region's outline */
  outsideRegion: boolean
  /** the point lies in a gap within the sliver tolerance, counted as covered: the nearest cell answers */
  sliverGap: {
    parentCode: string
    areaM2: number
    toleranceM2: number
    nearestCellCodes: string[]
    cellCode: string
  } | null
}

export interface ParcelAccountability {
  parcel: {
    id: number
    externalId: string
    landUse: string
    ownerName: string | null
    status: ParcelStatus | null
    areaM2: number | null
    uncoveredAreaM2: number | null
    shares: { cellId: number; cellCode: string; cellName: string; areaM2: number }[]
  }
  at: string
  chain: ChainLevel[]
  effective: Effective | null
  message: string | null
}

export interface CellDetail {
  id: number
  code: string
  name: string
  nameEn: string | null
  level: number
  /** the boundary's version: every edit names the version it was made from */
  version: number
  retired: boolean
  parentCode: string | null
  parentName: string | null
  regionCode: string
  areaM2: number
  bbox: number[]
  geometry: Geometry
  staffing: string
  accountableCode: string | null
  children: { code: string; name: string; level: number }[]
  people: DutyPerson[]
  /** every responsibility, past and future */
  history: DutyPerson[]
  parcelCounts: Partial<Record<ParcelStatus, number>>
}

export interface PersonCell extends DutyPerson {
  cellId: number
  cellCode: string
  cellName: string
  cellLevel: number
}

export interface PersonDetail {
  id: number
  name: string
  nameEn: string | null
  phone: string | null
  organisation: string | null
  cells: PersonCell[]
  bbox: number[] | null
}

export interface PersonListItem {
  id: number
  name: string
  nameEn: string | null
  phone: string | null
  organisation: string | null
}

export interface SearchHit {
  type: 'cell' | 'person' | 'parcel'
  id: number
  key: string
  label: string
  detail: string
  bbox: number[] | null
}

export interface CoverageGap {
  id: string
  parentCode: string
  missingLevel: number
  kind: 'hole' | 'between' | 'edge'
  areaM2: number
  neighbourCodes: string[]
  bbox: number[]
  point: number[]
  geometry: Polygon | MultiPolygon
}

export interface CoverageOverlap {
  id: string
  parentCode: string
  level: number
  cellCodes: string[]
  areaM2: number
  bbox: number[]
  point: number[]
  geometry: Polygon | MultiPolygon
}

export interface CoverageChild {
  code: string
  name: string
  level: number
  areaM2: number
  coveredAreaM2: number
  /** percent, rounded down to two decimals by the server (never 100 with a gap) */
  coveredPct: number
  gapAreaM2: number
  overlapAreaM2: number
  cells: number
  vacantCells: number
  understaffedCells: number
  parcels: Partial<Record<ParcelStatus, number>>
}

export interface ParcelIssue {
  id: number
  externalId: string
  cellCode: string | null
  accountableCode: string | null
  areaM2: number
  uncoveredAreaM2: number
  point: number[]
}

export interface CoverageReport {
  scope: { kind: 'region' | 'cell'; code: string; name: string; level: number | null }
  at: string
  summary: {
    areaM2: number
    coveredAreaM2: number
    /** percent, rounded down to two decimals by the server (never 100 with a gap) */
    coveredPct: number
    gaps: number
    gapAreaM2: number
    overlaps: number
    overlapAreaM2: number
    vacantCells: number
    understaffedCells: number
    expiringCells: number
    parcels: Partial<Record<ParcelStatus, number>>
  }
  levels: {
    level: number
    cells: number
    staffed: number
    understaffed: number
    vacant: number
    gaps: number
    gapAreaM2: number
    overlapAreaM2: number
  }[]
  /** the scope's direct children, each with all the land under it */
  children: CoverageChild[]
  /** gaps between the children (and overlaps of two children): in no child's row */
  outsideChildren: { gaps: number; gapAreaM2: number; overlaps: number; overlapAreaM2: number }
  /** those at least the requested minimum area (the summary counts all) */
  gaps: CoverageGap[]
  overlaps: CoverageOverlap[]
  staffing: {
    vacant: { code: string; name: string; level: number }[]
    understaffed: { code: string; name: string; level: number }[]
    expiring: { code: string; name: string; level: number; endsOn: string | null }[]
  }
  parcels: { unowned: ParcelIssue[]; straddling: ParcelIssue[]; inherited: ParcelIssue[] }
  /** open flags nobody answers for directly (in a gap or a vacant cell); absent on older servers */
  flags?: { unowned: UnownedFlag[] }
}

export interface UnownedFlag {
  id: number
  category: string
  state: FlagState
  rule: string | null
  missingLevel: number | null
  gapParentCode: string | null
  /** the coverage gap holding the flag's point */
  gapId: string | null
  vacantCellCode: string | null
  accountableCellCode: string | null
  point: number[]
  createdAt: string
}

export type ContextCollection = FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>
export type RegionOutline = Feature<Polygon | MultiPolygon, { code: string; name: string; nameEn: string | null }>
export type LabelPoint = Feature<Point, { code: string; name: string; nameEn: string | null; level: number }>

// ---- boundary edits (POST /api/edits/preview, POST /api/edits, GET /api/cells/:code/history) -------
// From the API contract (server/src/contract/edits.ts): the server's own schemas, not a copy.

export type Polygonal = Polygon | MultiPolygon
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

export interface Responsibility {
  id: number
  personId: number
  cellCode?: string
  role: Role
  startsOn: string
  endsOn: string | null
}

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
