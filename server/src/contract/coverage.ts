// Coverage: GET /api/coverage (the report) and the allowed gaps (/api/allowed-gaps).
import { Type, type Static } from '@sinclair/typebox'
import {
  AreaM2,
  BboxArray,
  CellRef,
  Code,
  errorResponses,
  GeoJSONGeometry,
  IdParams,
  IsoDate,
  Nullable,
  ParcelCounts,
  Polygon,
  Polygonal,
  Position,
  type RouteContract,
} from './common.js'

export const CoverageQuery = Type.Object(
  {
    region: Type.Optional(Code('region code')),
    cell: Type.Optional(Code('cell code')),
    at: Type.Optional(IsoDate),
    minArea: Type.Optional(AreaM2('report only gaps/overlaps at least this big (m²)')),
    sliver: Type.Optional(AreaM2('sliver tolerance m² (default: the SLIVER_TOLERANCE_M2 setting)')),
    parcelLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, default: 500 })),
  },
  { additionalProperties: false },
)

const coveredPct = Type.Number({
  description: 'percent, rounded down to two decimals (never 100 with a gap)',
})

export const CoverageGap = Type.Object({
  id: Type.String(),
  parentCode: Type.String(),
  missingLevel: Type.Integer(),
  kind: Type.Union([Type.Literal('hole'), Type.Literal('between'), Type.Literal('edge')]),
  areaM2: Type.Number(),
  neighbourCodes: Type.Array(Type.String()),
  bbox: BboxArray,
  point: Position,
  allowed: Nullable(
    Type.Object({ id: Type.Integer(), reason: Nullable(Type.String()) }, { description: 'the allowed gap it is' }),
  ),
  geometry: Polygon,
})
export type CoverageGap = Static<typeof CoverageGap>

export const CoverageOverlap = Type.Object({
  id: Type.String(),
  parentCode: Type.String(),
  level: Type.Integer(),
  cellCodes: Type.Array(Type.String()),
  areaM2: Type.Number(),
  bbox: BboxArray,
  point: Position,
  geometry: Polygon,
})
export type CoverageOverlap = Static<typeof CoverageOverlap>

export const CoverageChild = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Integer(),
  areaM2: Type.Number(),
  coveredAreaM2: Type.Number(),
  coveredPct,
  gapAreaM2: Type.Number(),
  overlapAreaM2: Type.Number(),
  cells: Type.Integer(),
  vacantCells: Type.Integer(),
  understaffedCells: Type.Integer(),
  parcels: ParcelCounts,
})
export type CoverageChild = Static<typeof CoverageChild>

export const ParcelIssue = Type.Object({
  id: Type.Integer(),
  externalId: Type.String(),
  cellCode: Nullable(Type.String()),
  accountableCode: Nullable(Type.String()),
  areaM2: Type.Number(),
  uncoveredAreaM2: Type.Number(),
  point: Position,
})
export type ParcelIssue = Static<typeof ParcelIssue>

// The flag states, for the report's flags section only; the flags contract (flags.ts) owns FlagState.
const UnownedFlagState = Type.Union([
  Type.Literal('reported'),
  Type.Literal('registered'),
  Type.Literal('rejected'),
  Type.Literal('dispatched'),
  Type.Literal('in_progress'),
  Type.Literal('feedback'),
  Type.Literal('closed'),
])

export const UnownedFlag = Type.Object({
  id: Type.Integer(),
  category: Type.String(),
  state: UnownedFlagState,
  rule: Nullable(Type.String({ description: 'the routing rule' })),
  missingLevel: Nullable(Type.Integer()),
  gapParentCode: Nullable(Type.String()),
  gapId: Nullable(Type.String({ description: 'the coverage gap holding the flag' })),
  vacantCellCode: Nullable(Type.String()),
  accountableCellCode: Nullable(Type.String()),
  point: Position,
  createdAt: Type.String({ format: 'date-time' }),
})
export type UnownedFlag = Static<typeof UnownedFlag>

export const ObjectIssue = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  typeCode: Type.String(),
  cellCode: Nullable(Type.String()),
  accountableCode: Nullable(Type.String()),
  point: Position,
})
export type ObjectIssue = Static<typeof ObjectIssue>

const CellRefEnding = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Integer(),
  endsOn: Nullable(Type.String({ format: 'date' })),
})

export const CoverageReport = Type.Object({
  scope: Type.Object({
    kind: Type.Union([Type.Literal('region'), Type.Literal('cell')]),
    code: Type.String(),
    name: Type.String(),
    level: Type.Integer({ description: '0 for a region' }),
  }),
  at: Type.String({ format: 'date' }),
  thresholds: Type.Object({ sliverM2: Type.Number(), minGapM2: Type.Number(), expiringSoonDays: Type.Integer() }),
  summary: Type.Object({
    areaM2: Type.Number(),
    coveredAreaM2: Type.Number(),
    coveredPct,
    gaps: Type.Integer(),
    gapAreaM2: Type.Number(),
    allowedGaps: Type.Integer(),
    overlaps: Type.Integer(),
    overlapAreaM2: Type.Number(),
    spills: Type.Integer(),
    multipartCells: Type.Integer(),
    vacantCells: Type.Integer(),
    understaffedCells: Type.Integer(),
    expiringCells: Type.Integer(),
    parcels: ParcelCounts,
  }),
  levels: Type.Array(
    Type.Object({
      level: Type.Integer(),
      cells: Type.Integer(),
      staffed: Type.Integer(),
      understaffed: Type.Integer(),
      vacant: Type.Integer(),
      gaps: Type.Integer(),
      gapAreaM2: Type.Number(),
      overlapAreaM2: Type.Number(),
    }),
  ),
  children: Type.Array(CoverageChild, { description: "the scope's direct children, each with all the land under it" }),
  outsideChildren: Type.Object(
    { gaps: Type.Integer(), gapAreaM2: Type.Number(), overlaps: Type.Integer(), overlapAreaM2: Type.Number() },
    { description: "gaps between the children (and overlaps of two children): in no child's row" },
  ),
  gaps: Type.Array(CoverageGap, { description: 'defects at least minArea big (the summary counts all)' }),
  allowedGaps: Type.Array(CoverageGap, { description: 'registered, accepted gaps at least minArea big' }),
  overlaps: Type.Array(CoverageOverlap),
  spills: Type.Array(
    Type.Object({ code: Type.String(), parentCode: Type.String(), areaM2: Type.Number(), point: Position }),
    { description: 'child area outside its parent' },
  ),
  multipartCells: Type.Array(Type.Object({ code: Type.String(), parts: Type.Integer() })),
  staffing: Type.Object({
    vacant: Type.Array(CellRef),
    understaffed: Type.Array(CellRef),
    expiring: Type.Array(CellRefEnding),
  }),
  parcels: Type.Object({
    unowned: Type.Array(ParcelIssue),
    straddling: Type.Array(ParcelIssue),
    inherited: Type.Array(ParcelIssue),
  }),
  objects: Type.Optional(
    Type.Object(
      { unowned: Type.Array(ObjectIssue), straddling: Type.Array(ObjectIssue), inherited: Type.Array(ObjectIssue) },
      {
        description:
          'supervised objects in force nobody answers for directly, by the parcel rules; absent for an anonymous reader',
      },
    ),
  ),
  flags: Type.Optional(
    Type.Object(
      { unowned: Type.Array(UnownedFlag) },
      { description: 'open flags nobody answers for directly; absent for an anonymous reader' },
    ),
  ),
})
export type CoverageReport = Static<typeof CoverageReport>

/** An allowed gap as registered (POST answers these fields only). */
export const AllowedGapCreated = Type.Object({ id: Type.Integer(), cellCode: Type.String(), reason: Type.String() })
export type AllowedGapCreated = Static<typeof AllowedGapCreated>
export const AllowedGap = Type.Object({
  id: Type.Integer(),
  cellCode: Type.String(),
  reason: Type.String(),
  areaM2: Type.Number(),
  geometry: Polygonal,
})
export type AllowedGap = Static<typeof AllowedGap>

export const AllowedGapBody = Type.Object(
  {
    cellCode: Code('the parent cell whose children leave it uncovered', 32),
    geometry: GeoJSONGeometry,
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
)

export const coverageRoutes = {
  'GET /api/coverage': { querystring: CoverageQuery, response: { 200: CoverageReport, ...errorResponses } },
  'GET /api/allowed-gaps': { response: { 200: Type.Array(AllowedGap), ...errorResponses } },
  'POST /api/allowed-gaps': { body: AllowedGapBody, response: { 201: AllowedGapCreated, ...errorResponses } },
  'DELETE /api/allowed-gaps/:id': { params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
} satisfies Record<string, RouteContract>
