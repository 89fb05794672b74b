// Assessment and ranking (考核, issue 12): the yearly scheme of weighted indicators, the monthly
// environmental figures (entered or imported as CSV), the monthly scores and ranks per peer group with
// red and black lists, a unit's drill-down and trend, and closing a month (its figures then frozen).
// The formulas are in README.md "Assessment and ranking".
import { Type, type Static } from '@sinclair/typebox'
import { Code, errorResponses, Nullable, YearMonth, type RouteContract } from './common.js'

const L = Type.Literal
const DateTime = Type.String({ format: 'date-time' })
const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'the scheme year' })

// ---------------------------------------------------------------- the scheme
export const AssessmentKind = Type.Union([
  L('ledger_timeliness'),
  L('ledger_completion'),
  L('flag_closure'),
  L('flag_on_time'),
  L('gap_area'),
  L('vacancy_days'),
  L('understaffed_days'),
  L('environment'),
  L('inspection_findings'),
  L('patrol_completion'),
])
export type AssessmentKind = Static<typeof AssessmentKind>

export const PeerGroup = Type.Union([L('township'), L('department')])
export type PeerGroup = Static<typeof PeerGroup>
export const AppliesTo = Type.Union([L('township'), L('department'), L('all')])
export type AppliesTo = Static<typeof AppliesTo>

const IndicatorCodePattern = '^[a-z][a-z0-9_]{0,63}$'
const SchemeIndicatorCode = Type.String({ pattern: IndicatorCodePattern, description: 'a-z, 0-9, _ (1..64)' })

export const SchemeIndicator = Type.Object({
  code: Type.String(),
  kind: AssessmentKind,
  name: Type.String(),
  nameEn: Type.String(),
  weight: Type.Number(),
  appliesTo: AppliesTo,
  indicatorCode: Nullable(Type.String({ description: 'for kind environment: the figure compared with the target' })),
  sortOrder: Type.Integer(),
})
export type SchemeIndicator = Static<typeof SchemeIndicator>

export const AssessmentScheme = Type.Object({
  year: Type.Integer(),
  redListSize: Type.Integer(),
  blackListSize: Type.Integer(),
  indicators: Type.Array(SchemeIndicator),
  updatedAt: DateTime,
})
export type AssessmentScheme = Static<typeof AssessmentScheme>

export const SchemeIndicatorBody = Type.Object(
  {
    code: SchemeIndicatorCode,
    kind: AssessmentKind,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    weight: Type.Number({ minimum: 0, maximum: 1000, description: 'relative weight, 0..1000' }),
    appliesTo: Type.Optional(AppliesTo),
    indicatorCode: Type.Optional(Nullable(Code('indicator code (kind environment only)'))),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 32767 })),
  },
  { additionalProperties: false },
)
export const SchemeBody = Type.Object(
  {
    redListSize: Type.Integer({ minimum: 0, maximum: 100 }),
    blackListSize: Type.Integer({ minimum: 0, maximum: 100 }),
    indicators: Type.Array(SchemeIndicatorBody, { maxItems: 50, description: 'replaces the year’s indicators' }),
  },
  { additionalProperties: false },
)
export type SchemeBody = Static<typeof SchemeBody>
export const SchemeParams = Type.Object({ year: Year })

// ---------------------------------------------------------------- environmental figures
export const EnvironmentFigure = Type.Object({
  unit: Type.String({ description: 'unit code' }),
  unitName: Type.String(),
  month: Type.String({ description: 'YYYY-MM' }),
  indicator: Type.String(),
  value: Type.Number(),
  source: Type.String(),
  enteredAt: DateTime,
})
export type EnvironmentFigure = Static<typeof EnvironmentFigure>

export const EnvironmentFiguresQuery = Type.Object(
  {
    month: Type.Optional(YearMonth),
    year: Type.Optional(Year),
    unit: Type.Optional(Code('unit code')),
  },
  { additionalProperties: false },
)
export type EnvironmentFiguresQuery = Static<typeof EnvironmentFiguresQuery>

export const EnvironmentFigureRow = Type.Object(
  {
    unit: Code('unit code'),
    month: YearMonth,
    indicator: Code('indicator code'),
    value: Type.Number({ minimum: -1e12, maximum: 1e12 }),
    source: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type EnvironmentFigureRow = Static<typeof EnvironmentFigureRow>
export const EnvironmentFiguresBody = Type.Object(
  { rows: Type.Array(EnvironmentFigureRow, { minItems: 1, maxItems: 10000 }) },
  { additionalProperties: false },
)
export type EnvironmentFiguresBody = Static<typeof EnvironmentFiguresBody>
export const EnvironmentFiguresWritten = Type.Object({ written: Type.Integer() })

/** The CSV import: text/csv, header unit,month,indicator,value[,source]. */
export const EnvironmentFiguresCsv = Type.String({
  maxLength: 5_000_000,
  description: 'CSV with the header unit,month,indicator,value[,source]; all rows or none are written',
})

// ---------------------------------------------------------------- monthly scores
export const AssessedUnit = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  kind: PeerGroup,
})
export type AssessedUnit = Static<typeof AssessedUnit>

export const ScorePart = Type.Object({
  indicator: Type.String({ description: 'the scheme indicator code' }),
  kind: AssessmentKind,
  rawValue: Nullable(Type.Number()),
  score: Nullable(Type.Number({ description: '0..100; null when not applicable (weight not counted)' })),
  weight: Type.Number(),
})
export type ScorePart = Static<typeof ScorePart>

export const AssessmentRow = Type.Object({
  unit: AssessedUnit,
  score: Nullable(Type.Number({ description: 'weighted mean of the applicable parts, 2 decimals' })),
  rank: Nullable(Type.Integer({ description: 'within the peer group; ties share the rank (1, 2, 2, 4)' })),
  previousScore: Nullable(Type.Number()),
  previousRank: Nullable(Type.Integer()),
  change: Nullable(Type.Number({ description: 'score − previousScore' })),
  parts: Type.Array(ScorePart),
})
export type AssessmentRow = Static<typeof AssessmentRow>

const ListedUnit = Type.Object({ unit: AssessedUnit, score: Type.Number(), rank: Type.Integer() })
const ByGroup = <T extends ReturnType<typeof Type.Array>>(items: T) =>
  Type.Object({ township: items, department: items })

export const MonthAssessment = Type.Object({
  month: Type.String(),
  closed: Type.Boolean(),
  closedAt: Nullable(DateTime),
  groups: ByGroup(Type.Array(AssessmentRow)),
  redList: ByGroup(Type.Array(ListedUnit)),
  blackList: ByGroup(Type.Array(ListedUnit)),
})
export type MonthAssessment = Static<typeof MonthAssessment>

// ---------------------------------------------------------------- the drill-down
const EntryDetail = Type.Object({
  row: L('ledger_entry'),
  entryId: Type.Integer(),
  measure: Type.String(),
  measureTitle: Type.String(),
  dueAt: DateTime,
  submittedAt: Nullable(DateTime),
  state: Type.String(),
  progress: Type.String(),
  onTime: Type.Boolean(),
  counted: Type.Boolean({ description: 'counts towards this part (on time / accepted done or on track)' }),
})
const FlagDetail = Type.Object({
  row: L('flag'),
  flagId: Type.Integer(),
  completeDueAt: DateTime,
  completedAt: Nullable(DateTime),
  counted: Type.Boolean(),
})
const GapDetail = Type.Object({
  row: L('gap'),
  id: Type.String(),
  areaM2: Type.Number(),
  parentCode: Type.String(),
})
const AreaDetail = Type.Object({
  row: L('area'),
  cellAreaM2: Type.Number(),
  gapAreaM2: Type.Number(),
})
const ShortfallDetail = Type.Object({
  row: L('shortfall'),
  cellCode: Type.String(),
  from: Type.String(),
  to: Type.String(),
  days: Type.Integer({ description: 'days of the period inside the month' }),
  kind: Type.String(),
  missingChiefs: Type.Integer(),
  missingMembers: Type.Integer(),
})
const CellDaysDetail = Type.Object({
  row: L('cell_days'),
  cells: Type.Integer(),
  daysInMonth: Type.Integer(),
})
const FigureDetail = Type.Object({
  row: L('figure'),
  indicator: Type.String(),
  value: Nullable(Type.Number()),
  target: Nullable(Type.Number()),
  direction: Type.String(),
  source: Type.String(),
})
const PatrolCellDetail = Type.Object({
  row: L('patrol_cell'),
  cellCode: Type.String(),
  objects: Type.Integer(),
  requiredVisits: Type.Integer(),
  visitsMade: Type.Integer({ description: 'one a day per object, at most its requirement' }),
})
const FindingDetail = Type.Object({
  row: L('finding'),
  findingId: Type.Integer(),
  flagId: Type.Integer(),
  campaign: Type.String(),
  severity: Type.String(),
  weight: Type.Integer({ description: 'general 1, major 2, serious 3' }),
  completeDueAt: DateTime,
  completedAt: Nullable(DateTime),
  counted: Type.Boolean({ description: 'rectified by the deadline and verified' }),
})
export const DetailRow = Type.Union([
  EntryDetail,
  FlagDetail,
  GapDetail,
  AreaDetail,
  ShortfallDetail,
  CellDaysDetail,
  FigureDetail,
  PatrolCellDetail,
  FindingDetail,
])
export type DetailRow = Static<typeof DetailRow>

export const UnitAssessment = Type.Object({
  month: Type.String(),
  closed: Type.Boolean(),
  unit: AssessedUnit,
  score: Nullable(Type.Number()),
  rank: Nullable(Type.Integer()),
  parts: Type.Array(
    Type.Object({
      ...ScorePart.properties,
      name: Type.String(),
      nameEn: Type.String(),
      details: Type.Array(DetailRow),
    }),
  ),
})
export type UnitAssessment = Static<typeof UnitAssessment>

export const AssessmentTrendQuery = Type.Object(
  { year: Year, unit: Code('unit code') },
  { additionalProperties: false },
)
export const AssessmentTrend = Type.Object({
  unit: AssessedUnit,
  year: Type.Integer(),
  months: Type.Array(
    Type.Object({
      month: Type.String(),
      closed: Type.Boolean(),
      score: Nullable(Type.Number()),
      rank: Nullable(Type.Integer()),
      groupSize: Type.Integer({ description: 'ranked units of the peer group that month' }),
    }),
  ),
})
export type AssessmentTrend = Static<typeof AssessmentTrend>

export const AssessmentMonthParams = Type.Object({ month: YearMonth })
export const AssessmentUnitParams = Type.Object({ month: YearMonth, code: Code('unit code') })

export const assessmentRoutes = {
  'GET /api/assessment/schemes/:year': {
    params: SchemeParams,
    response: { 200: AssessmentScheme, ...errorResponses },
  },
  'PUT /api/assessment/schemes/:year': {
    params: SchemeParams,
    body: SchemeBody,
    response: { 200: AssessmentScheme, ...errorResponses },
  },
  'GET /api/assessment/trend': {
    querystring: AssessmentTrendQuery,
    response: { 200: AssessmentTrend, ...errorResponses },
  },
  'GET /api/assessment/:month': {
    params: AssessmentMonthParams,
    response: { 200: MonthAssessment, ...errorResponses },
  },
  'GET /api/assessment/:month/units/:code': {
    params: AssessmentUnitParams,
    response: { 200: UnitAssessment, ...errorResponses },
  },
  'POST /api/assessment/:month/close': {
    params: AssessmentMonthParams,
    response: { 200: MonthAssessment, ...errorResponses },
  },
  'GET /api/environment-figures': {
    querystring: EnvironmentFiguresQuery,
    response: { 200: Type.Array(EnvironmentFigure), ...errorResponses },
  },
  'PUT /api/environment-figures': {
    body: EnvironmentFiguresBody,
    response: { 200: EnvironmentFiguresWritten, ...errorResponses },
  },
  'POST /api/environment-figures/import': {
    consumes: ['text/csv'],
    body: EnvironmentFiguresCsv,
    response: { 200: EnvironmentFiguresWritten, 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
  },
} satisfies Record<string, RouteContract>
