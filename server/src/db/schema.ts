// Table types, generated from the migrated database by `npm run db:types` (server/src/db/schema-codegen.ts).
// Do not edit by hand: test/db/schema-drift.test.ts fails when this file and the migrations disagree.
// Geometry columns are written through geomFromGeoJSON and read through asGeoJSON (postgis.ts), so their
// TypeScript type is the opaque string PostGIS hands back. Dates stay 'YYYY-MM-DD' strings and bigint
// and numeric are read as numbers (see the type parsers in database.ts).
import type { ColumnType, Generated } from 'kysely'

type Geometry = ColumnType<string, string, string>
/** timestamptz with a default: optional on insert */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** timestamptz without a default: every insert gives it */
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>
type Json<T> = ColumnType<T, string, string>

export interface SchemaMigrationsTable {
  name: string
  sha256: string
  applied_at: Timestamp
}

export interface RegionsTable {
  id: Generated<number>
  code: string
  name: string
  name_en: string | null
  boundary: Geometry
  created_at: Timestamp
}

export interface ContextAreasTable {
  id: Generated<number>
  code: string
  name: string
  boundary: Geometry
}

export interface GridCellsTable {
  id: Generated<number>
  region_id: number
  code: string
  name: string
  name_en: string | null
  level: number
  parent_id: number | null
  boundary: Geometry
  version: Generated<number>
  retired_at: Date | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface PeopleTable {
  id: Generated<number>
  name: string
  name_en: string | null
  phone: string | null
  organisation: string | null
  created_at: Timestamp
}

export type Role = 'grid_chief' | 'grid_member' | 'specialist'

export interface ResponsibilitiesTable {
  id: Generated<number>
  person_id: number
  cell_id: number
  role: Role
  starts_on: string
  ends_on: string | null
  created_at: Timestamp
}

export type LandUse = 'farmland' | 'enterprise' | 'construction_site' | 'water' | 'residential' | 'road' | 'other'

export interface ParcelsTable {
  id: Generated<number>
  region_id: number
  external_id: string
  land_use: LandUse
  owner_name: string | null
  boundary: Geometry
  anchor: ColumnType<string, never, never> | null
  created_at: Timestamp
  updated_at: Timestamp
}

export type FlagState = 'reported' | 'registered' | 'rejected' | 'dispatched' | 'in_progress' | 'feedback' | 'closed'
export type RoutingRule = 'direct' | 'fallback_gap' | 'fallback_vacant' | 'nobody'

export interface FlagsTable {
  id: Generated<number>
  category: string
  description: Generated<string>
  location: Geometry
  state: Generated<FlagState>
  cell_id: number | null
  reported_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  // added by 20261128000400_flags
  version: Generated<number>
  anchor: ColumnType<string, never, never> | null
  routing_rule: RoutingRule | null
  routed_on: string | null
  unowned: Generated<boolean>
  accountable_cell_id: number | null
  township_cell_id: number | null
  missing_level: number | null
  gap_parent_cell_id: number | null
  registered_at: Date | null
  rejected_at: Date | null
  dispatched_at: Date | null
  acknowledged_at: Date | null
  feedback_at: Date | null
  feedback_by: number | null
  closed_at: Date | null
  completed_at: Date | null
  ack_due_at: Date | null
  complete_due_at: Date | null
  ack_escalated_at: Date | null
  complete_escalated_at: Date | null
  escalation_level: Generated<number>
  escalated_to_cell_id: number | null
}

export interface AuditLogTable {
  id: Generated<number>
  at: Timestamp
  actor_id: number | null
  actor_login: string | null
  action: string
  entity_type: string
  entity_id: string | null
  reason: string | null
  before: Json<unknown> | null
  after: Json<unknown> | null
  /** position in the hash chain, assigned by the insert trigger (see migrations/…_system_of_record.sql) */
  chain_pos: Generated<number>
  prev_hash: Generated<string>
  hash: Generated<string>
}

export type UserRole = 'admin' | 'supervisor' | 'inspector' | 'viewer' | 'unit_officer'

export interface UsersTable {
  id: Generated<number>
  login: string
  display_name: string
  role: UserRole
  person_id: number | null
  password_hash: string
  is_demo: Generated<boolean>
  disabled: Generated<boolean>
  failed_signins: Generated<number>
  locked_until: Date | null
  created_at: Timestamp
}

export interface SessionsTable {
  id: string
  user_id: number
  csrf_token: string
  created_at: Timestamp
  expires_at: RequiredTimestamp
}

export interface StaffingRulesTable {
  level: number
  chiefs_required: number
  members_required: number
}

export type Placement = 'inside' | 'straddling' | 'uncovered'

export interface ParcelMatchesTable {
  parcel_id: number
  cell_id: number | null
  placement: Placement
  shares: ColumnType<{ cellId: number; areaM2: number }[], string | undefined, string>
  parcel_area_m2: number
  uncovered_area_m2: number
  matched_at: Timestamp
}

export interface AllowedGapsTable {
  id: Generated<number>
  cell_id: number
  boundary: Geometry
  reason: string
  created_by: number | null
  created_at: Timestamp
}

export type LimitUnit = 'working_hours' | 'working_days'

export interface FlagCategoriesTable {
  code: string
  name_zh: string
  name_en: string
  ack_limit: number
  ack_unit: LimitUnit
  complete_limit: number
  complete_unit: LimitUnit
  sort_order: Generated<number>
  active: Generated<boolean>
}

export interface HolidaysTable {
  day: string
  name: Generated<string>
  working: Generated<boolean>
}

export interface FlagEventsTable {
  id: Generated<number>
  flag_id: number
  at: RequiredTimestamp
  actor_id: number | null
  actor_login: string
  action: string
  from_state: string | null
  to_state: string | null
  comment: string | null
  details: Json<unknown> | null
}

export interface FlagPhotosTable {
  id: Generated<number>
  flag_id: number
  event_id: number | null
  content_type: 'image/jpeg' | 'image/png' | 'image/webp'
  size_bytes: number
  sha256: string
  filename: string | null
  data: Uint8Array
  uploaded_by: number | null
  created_at: RequiredTimestamp
}

export interface FlagAssigneesTable {
  id: Generated<number>
  flag_id: number
  person_id: number
  cell_id: number
  role: string
  reason: 'dispatch' | 'escalation'
  assigned_at: RequiredTimestamp
}

export interface CellVersionsTable {
  id: Generated<number>
  cell_id: number
  version: number
  code: string
  name: string
  level: number
  parent_id: number | null
  boundary: Geometry | null
  retired: Generated<boolean>
  valid_from: RequiredTimestamp
  valid_to: Date | null
  changed_by: string | null
  reason: string | null
  edit_id: number | null
}

export interface GridCellsSubdividedTable {
  cell_id: number
  code: string
  level: number
  is_leaf: boolean
  geom: Geometry
}

export interface BoundaryEditsTable {
  id: Generated<number>
  operation: string
  undoes: number | null
  changed_by: string | null
  reason: string | null
  created_at: RequiredTimestamp
}

export interface UnitsTable {
  id: Generated<number>
  code: string
  name: string
  name_en: string | null
  kind: 'township' | 'department'
  cell_id: number | null
  head_person_id: number | null
  sort_order: Generated<number>
  created_at: RequiredTimestamp
}

export interface UnitLiaisonsTable {
  unit_id: number
  person_id: number
}

export interface WorkLinesTable {
  code: string
  name: string
  name_en: string
  lead_unit_id: number
  sort_order: Generated<number>
}

export interface IndicatorsTable {
  code: string
  name: string
  name_en: string
  unit_of_measure: Generated<string>
  direction: 'higher_is_better' | 'lower_is_better'
  min_value: number | null
  max_value: number | null
}

export interface PlansTable {
  id: Generated<number>
  line_code: string
  year: number
  title: string
  created_at: RequiredTimestamp
}

export interface MeasuresTable {
  id: Generated<number>
  plan_id: number
  code: string
  title: string
  title_en: string | null
  lead_unit_id: number
  indicator_code: string
  target_value: number
  responsible_person_id: number
  created_at: RequiredTimestamp
}

export interface MeasureUnitsTable {
  measure_id: number
  unit_id: number
}

export interface MeasureMilestonesTable {
  measure_id: number
  month: number
  description: string
  planned_value: number | null
}

export interface LedgerEntriesTable {
  id: Generated<number>
  measure_id: number
  unit_id: number
  month: string
  milestone: Generated<string>
  done_value: number | null
  done_text: Generated<string>
  progress: Generated<'done' | 'on_track' | 'late' | 'not_started'>
  state: Generated<'draft' | 'submitted' | 'accepted' | 'returned'>
  version: Generated<number>
  due_at: RequiredTimestamp
  submitted_at: Date | null
  submitted_by: number | null
  reviewed_at: Date | null
  reviewed_by: number | null
  return_reason: string | null
  escalation_level: Generated<number>
  escalated_at: Date | null
  created_at: RequiredTimestamp
  updated_at: RequiredTimestamp
}

export interface LedgerEntryVersionsTable {
  entry_id: number
  version: number
  action: 'create' | 'save' | 'submit' | 'accept' | 'return' | 'escalate' | 'milestone'
  at: RequiredTimestamp
  actor_id: number | null
  actor_login: string
  state: string
  progress: string
  done_value: number | null
  done_text: string
  reason: string | null
}

export interface LedgerEvidenceTable {
  id: Generated<number>
  entry_id: number
  version: number
  content_type: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf'
  size_bytes: number
  sha256: string
  filename: string | null
  data: Uint8Array
  uploaded_by: number | null
  created_at: RequiredTimestamp
}

export interface ResponsibilityLettersTable {
  id: Generated<number>
  unit_id: number
  year: number
  signed_on: string | null
  unit_signatory_person_id: number | null
  county_signatory_person_id: number | null
  version: Generated<number>
  created_at: RequiredTimestamp
  updated_at: RequiredTimestamp
}

export interface LetterTargetsTable {
  letter_id: number
  indicator_code: string
  target_value: number
}

export interface LetterScansTable {
  id: Generated<number>
  letter_id: number
  content_type: string
  size_bytes: number
  sha256: string
  filename: string | null
  data: Uint8Array
  uploaded_by: number | null
  created_at: RequiredTimestamp
}

export interface EnvironmentFiguresTable {
  unit_id: number
  month: string
  indicator_code: string
  value: number
  source: Generated<string>
  entered_by: number | null
  entered_at: RequiredTimestamp
}

export interface AssessmentSchemesTable {
  year: number
  red_list_size: Generated<number>
  black_list_size: Generated<number>
  updated_at: RequiredTimestamp
}

export interface AssessmentIndicatorsTable {
  year: number
  code: string
  kind: 'ledger_timeliness' | 'ledger_completion' | 'flag_closure' | 'flag_on_time' | 'gap_area' | 'vacancy_days' | 'understaffed_days' | 'environment' | 'inspection_findings' | 'patrol_completion'
  name: string
  name_en: string
  weight: number
  applies_to: Generated<'township' | 'department' | 'all'>
  indicator_code: string | null
  sort_order: Generated<number>
}

export interface AssessmentMonthsTable {
  month: string
  closed_at: RequiredTimestamp
  closed_by: number | null
  red_list_size: Generated<number>
  black_list_size: Generated<number>
}

export interface AssessmentScoresTable {
  month: string
  unit_id: number
  peer_group: 'township' | 'department'
  score: number | null
  rank: number | null
  previous_score: number | null
  previous_rank: number | null
  unit_name: string | null
  unit_name_en: string | null
}

export interface AssessmentScorePartsTable {
  month: string
  unit_id: number
  indicator_code: string
  raw_value: number | null
  score: number | null
  weight: number
  details: ColumnType<unknown, string | undefined, string>
  kind: Generated<string>
  name: Generated<string>
  name_en: Generated<string>
  position: Generated<number>
}

export interface BulletinSnapshotsTable {
  month: string
  data: Json<unknown>
  created_at: RequiredTimestamp
}

export interface ObjectTypesTable {
  code: string
  name_zh: string
  name_en: string
  geometry_kind: 'point' | 'polygon' | 'any'
  checklist: ColumnType<unknown, string | undefined, string>
  sort_order: Generated<number>
  active: Generated<boolean>
}

export interface PatrolFrequenciesTable {
  risk_level: 'high' | 'medium' | 'low'
  visits_per_month: number
}

export interface SupervisedObjectsTable {
  id: Generated<number>
  region_id: number
  code: string
  name: string
  type_code: string
  risk_level: string
  geom: Geometry
  anchor: ColumnType<string, never, never> | null
  attributes: ColumnType<unknown, string | undefined, string>
  status: Generated<'filed' | 'accepted' | 'returned' | 'retired'>
  return_reason: string | null
  filed_by: number | null
  reviewed_by: number | null
  reviewed_at: Date | null
  version: Generated<number>
  created_at: RequiredTimestamp
  updated_at: RequiredTimestamp
  retired_reason: string | null
}

export interface ObjectMatchesTable {
  object_id: number
  cell_id: number | null
  placement: 'inside' | 'straddling' | 'uncovered'
  shares: ColumnType<unknown, string | undefined, string>
  matched_at: Timestamp
  object_area_m2: number | null
  uncovered_area_m2: number | null
}

export interface IdempotencyKeysTable {
  user_id: number
  key: string
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  route: string
  request_hash: string
  status_code: number | null
  response_body: string | null
  content_type: string | null
  created_at: Timestamp
}

export interface PatrolsTable {
  id: Generated<number>
  user_id: number
  person_id: number | null
  source: 'device' | 'gpx'
  status: 'active' | 'ended'
  started_at: RequiredTimestamp
  ended_at: Date | null
  note: string | null
  points_received: Generated<number>
  points_dropped: ColumnType<unknown, string | undefined, string>
  created_at: RequiredTimestamp
}

export interface PatrolPointsTable {
  patrol_id: number
  recorded_at: RequiredTimestamp
  geom: Geometry
  accuracy_m: number | null
}

export interface PatrolCheckInsTable {
  id: Generated<number>
  patrol_id: number
  object_id: number
  checked_at: RequiredTimestamp
  geom: Geometry
  accuracy_m: number | null
  distance_m: number
  checklist: ColumnType<unknown, string | undefined, string>
  note: string | null
  created_by: number
  created_at: RequiredTimestamp
}

export interface PatrolCheckInPhotosTable {
  id: Generated<number>
  check_in_id: number
  content_type: 'image/jpeg' | 'image/png' | 'image/webp'
  size_bytes: number
  sha256: string
  filename: string | null
  data: Uint8Array
  created_at: RequiredTimestamp
}

export interface PatrolProblemsTable {
  patrol_id: number
  flag_id: number
  observed_at: RequiredTimestamp
}

export interface NotificationsTable {
  id: Generated<number>
  user_id: number
  kind: string
  subject_type: string
  subject_id: number
  event_key: string
  payload: ColumnType<unknown, string | undefined, string>
  created_at: RequiredTimestamp
  read_at: Date | null
}

export interface NotificationDeliveriesTable {
  notification_id: number
  attempts: Generated<number>
  next_attempt_at: RequiredTimestamp
  delivered_at: Date | null
  last_error: string | null
  created_at: RequiredTimestamp
}

export interface InspectionCampaignsTable {
  id: Generated<number>
  code: string
  name: string
  line_of_work: string
  starts_on: string
  ends_on: string
  category: string
  created_by: number | null
  created_at: RequiredTimestamp
}

export interface CampaignChecklistItemsTable {
  campaign_id: number
  code: string
  label: string
  sort_order: number
}

export interface CampaignLimitsTable {
  campaign_id: number
  severity: 'general' | 'major' | 'serious'
  amount: number
  unit: 'working_hours' | 'working_days'
}

export interface CampaignCellsTable {
  campaign_id: number
  cell_id: number
}

export interface CampaignUnitsTable {
  campaign_id: number
  unit_id: number
}

export interface InspectionFindingsTable {
  id: Generated<number>
  campaign_id: number
  flag_id: number
  checklist_code: string
  severity: 'general' | 'major' | 'serious'
  unit_id: number | null
  observed_at: RequiredTimestamp
  recorded_by: number
  created_at: RequiredTimestamp
}

export interface DB {
  schema_migrations: SchemaMigrationsTable
  regions: RegionsTable
  context_areas: ContextAreasTable
  grid_cells: GridCellsTable
  people: PeopleTable
  responsibilities: ResponsibilitiesTable
  parcels: ParcelsTable
  flags: FlagsTable
  audit_log: AuditLogTable
  users: UsersTable
  sessions: SessionsTable
  staffing_rules: StaffingRulesTable
  parcel_matches: ParcelMatchesTable
  allowed_gaps: AllowedGapsTable
  flag_categories: FlagCategoriesTable
  holidays: HolidaysTable
  flag_events: FlagEventsTable
  flag_photos: FlagPhotosTable
  flag_assignees: FlagAssigneesTable
  cell_versions: CellVersionsTable
  grid_cells_subdivided: GridCellsSubdividedTable
  boundary_edits: BoundaryEditsTable
  units: UnitsTable
  unit_liaisons: UnitLiaisonsTable
  work_lines: WorkLinesTable
  indicators: IndicatorsTable
  plans: PlansTable
  measures: MeasuresTable
  measure_units: MeasureUnitsTable
  measure_milestones: MeasureMilestonesTable
  ledger_entries: LedgerEntriesTable
  ledger_entry_versions: LedgerEntryVersionsTable
  ledger_evidence: LedgerEvidenceTable
  responsibility_letters: ResponsibilityLettersTable
  letter_targets: LetterTargetsTable
  letter_scans: LetterScansTable
  environment_figures: EnvironmentFiguresTable
  assessment_schemes: AssessmentSchemesTable
  assessment_indicators: AssessmentIndicatorsTable
  assessment_months: AssessmentMonthsTable
  assessment_scores: AssessmentScoresTable
  assessment_score_parts: AssessmentScorePartsTable
  bulletin_snapshots: BulletinSnapshotsTable
  object_types: ObjectTypesTable
  patrol_frequencies: PatrolFrequenciesTable
  supervised_objects: SupervisedObjectsTable
  object_matches: ObjectMatchesTable
  idempotency_keys: IdempotencyKeysTable
  patrols: PatrolsTable
  patrol_points: PatrolPointsTable
  patrol_check_ins: PatrolCheckInsTable
  patrol_check_in_photos: PatrolCheckInPhotosTable
  patrol_problems: PatrolProblemsTable
  notifications: NotificationsTable
  notification_deliveries: NotificationDeliveriesTable
  inspection_campaigns: InspectionCampaignsTable
  campaign_checklist_items: CampaignChecklistItemsTable
  campaign_limits: CampaignLimitsTable
  campaign_cells: CampaignCellsTable
  campaign_units: CampaignUnitsTable
  inspection_findings: InspectionFindingsTable
}
