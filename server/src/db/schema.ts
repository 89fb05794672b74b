// Table types, kept by hand beside migrations/; test/db/schema.test.ts checks them against the database.
// Geometry columns are written through ST_GeomFromGeoJSON and read through ST_AsGeoJSON, so their
// TypeScript type is the opaque string PostGIS hands back.
import type { ColumnType, Generated } from 'kysely'

type Geometry = ColumnType<string, string, string>
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T> = ColumnType<T, string, string>

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
  created_at: Timestamp
  updated_at: Timestamp
}

export interface FlagsTable {
  id: Generated<number>
  category: string
  description: Generated<string>
  location: Geometry
  state: Generated<string>
  cell_id: number | null
  reported_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
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
  expires_at: Timestamp
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
  shares: Json<{ cellId: number; areaM2: number }[]>
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

export interface SchemaMigrationsTable {
  name: string
  sha256: string
  applied_at: Timestamp
}

export interface DB {
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
  schema_migrations: SchemaMigrationsTable
}
