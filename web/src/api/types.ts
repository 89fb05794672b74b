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
  parcel: { id: number; externalId: string; landUse: string; status: ParcelStatus | null; cellCode: string | null } | null
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
  levels: { level: number; cells: number; staffed: number; understaffed: number; vacant: number; gaps: number; gapAreaM2: number; overlapAreaM2: number }[]
  children: CoverageChild[]
  gaps: CoverageGap[]
  overlaps: CoverageOverlap[]
  staffing: {
    vacant: { code: string; name: string; level: number }[]
    understaffed: { code: string; name: string; level: number }[]
    expiring: { code: string; name: string; level: number; endsOn: string | null }[]
  }
  parcels: { unowned: ParcelIssue[]; straddling: ParcelIssue[]; inherited: ParcelIssue[] }
}

export type ContextCollection = FeatureCollection<Polygon | MultiPolygon, { code: string; name: string }>
export type RegionOutline = Feature<Polygon | MultiPolygon, { code: string; name: string; nameEn: string | null }>
export type LabelPoint = Feature<Point, { code: string; name: string; nameEn: string | null; level: number }>
