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

export type UserRole = 'admin' | 'supervisor' | 'inspector' | 'viewer'

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
}
