// The accountability loop's organisation (issue 12): responsible units (townships and county
// departments) with their heads and liaisons, lines of work (专项), indicators, yearly plans with
// measures and monthly milestones, and the target responsibility letters (目标责任书) with their signed
// scans and the progress against their targets. Keyed 'METHOD /path' as served.
import { Type, type Static } from '@sinclair/typebox'
import {
  Id,
  IsoDate,
  NON_BLANK_PATTERN,
  Nullable,
  PRINTABLE_PATTERN,
  YearMonth,
  errorResponses,
  type MediaResponse,
  type RouteContract,
} from './common.js'

// ---------------------------------------------------------------- scalars

/** A unit's code: short ASCII (townships take their cell's code; departments e.g. `sthj`). */
export const UNIT_CODE_PATTERN = '^[A-Za-z0-9_-]{1,64}$'
export const UnitCode = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: UNIT_CODE_PATTERN,
  description: 'unit code',
})
/** A line's or an indicator's code: lower-case ASCII, starting with a letter. */
export const LOOP_CODE_PATTERN = '^[a-z][a-z0-9_]{0,63}$'
export const LoopCode = (description: string) =>
  Type.String({ minLength: 1, maxLength: 64, pattern: LOOP_CODE_PATTERN, description })
/** A measure's code within its plan (e.g. `A-01`). */
export const MEASURE_CODE_PATTERN = '^[A-Za-z0-9_.-]{1,64}$'
export const MeasureCode = Type.String({ minLength: 1, maxLength: 64, pattern: MEASURE_CODE_PATTERN })
export const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'calendar year' })
/** A month of the plan year, 1..12 (a milestone outside the year is refused). */
export const MonthOfYear = Type.Integer({ minimum: 1, maximum: 12, description: 'month of the plan year, 1..12' })
/** A value a target or a milestone carries; finite bounds (see common.ts). */
export const LoopValue = (description: string) => Type.Number({ minimum: -1e12, maximum: 1e12, description })
const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: NON_BLANK_PATTERN, ...(description ? { description } : {}) })
const PlainText = (maxLength: number) => Type.String({ maxLength, pattern: PRINTABLE_PATTERN })

export const UnitKind = Type.Union([Type.Literal('township'), Type.Literal('department')])
export type UnitKind = Static<typeof UnitKind>
export const Direction = Type.Union([Type.Literal('higher_is_better'), Type.Literal('lower_is_better')])
export type Direction = Static<typeof Direction>

// ---------------------------------------------------------------- references

export const PersonRef = Type.Object({ id: Type.Integer(), name: Type.String() })
export type PersonRef = Static<typeof PersonRef>
/** A unit named in another resource. */
export const UnitRef = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  kind: UnitKind,
})
export type UnitRef = Static<typeof UnitRef>

// ---------------------------------------------------------------- units

export const Unit = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  kind: UnitKind,
  /** a township's level-2 cell; null for a department */
  cellCode: Nullable(Type.String()),
  head: Nullable(PersonRef),
  liaisons: Type.Array(PersonRef),
  /** codes of the lines this unit leads (牵头单位) */
  leads: Type.Array(Type.String()),
  sortOrder: Type.Integer(),
})
export type Unit = Static<typeof Unit>

export const UnitCodeParams = Type.Object({ code: UnitCode })
export const CreateUnitBody = Type.Object(
  {
    code: UnitCode,
    name: Text(100, 'name (Chinese)'),
    nameEn: Type.Optional(Nullable(Text(200))),
    headPersonId: Type.Optional(Nullable(Id('the head (一把手)'))),
    liaisonPersonIds: Type.Optional(Type.Array(Id(), { maxItems: 50, uniqueItems: true })),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 32767 })),
  },
  {
    additionalProperties: false,
    description: 'a county department (townships come from the grid: POST /api/units/sync)',
  },
)
export type CreateUnitBody = Static<typeof CreateUnitBody>
export const PatchUnitBody = Type.Object(
  {
    name: Type.Optional(Text(100)),
    nameEn: Type.Optional(Nullable(Text(200))),
    headPersonId: Type.Optional(Nullable(Id())),
    /** the complete list of liaisons (replaces the current one) */
    liaisonPersonIds: Type.Optional(Type.Array(Id(), { maxItems: 50, uniqueItems: true })),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 32767 })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type PatchUnitBody = Static<typeof PatchUnitBody>
export const SyncUnitsResult = Type.Object({
  /** codes of the township units created now (empty when every level-2 cell already had one) */
  created: Type.Array(Type.String()),
  townships: Type.Integer({ description: 'township units after the sync' }),
})
export type SyncUnitsResult = Static<typeof SyncUnitsResult>

// ---------------------------------------------------------------- lines and indicators

export const Line = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  leadUnit: UnitRef,
  sortOrder: Type.Integer(),
})
export type Line = Static<typeof Line>
export const LineParams = Type.Object({ code: LoopCode('line code') })
export const LineBody = Type.Object(
  {
    name: Text(100),
    nameEn: Text(200),
    leadUnitCode: UnitCode,
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 32767 })),
  },
  { additionalProperties: false },
)
export type LineBody = Static<typeof LineBody>

export const Indicator = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.String(),
  unitOfMeasure: Type.String(),
  direction: Direction,
  minValue: Nullable(Type.Number()),
  maxValue: Nullable(Type.Number()),
})
export type Indicator = Static<typeof Indicator>
export const IndicatorParams = Type.Object({ code: LoopCode('indicator code') })
export const IndicatorBody = Type.Object(
  {
    name: Text(100),
    nameEn: Text(200),
    unitOfMeasure: Type.Optional(PlainText(32)),
    direction: Direction,
    minValue: Type.Optional(Nullable(LoopValue('smallest value that may be entered'))),
    maxValue: Type.Optional(Nullable(LoopValue('largest value that may be entered'))),
  },
  { additionalProperties: false },
)
export type IndicatorBody = Static<typeof IndicatorBody>

// ---------------------------------------------------------------- plans, measures, milestones

export const Milestone = Type.Object({
  month: Type.Integer({ minimum: 1, maximum: 12 }),
  description: Type.String(),
  plannedValue: Nullable(Type.Number()),
})
export type Milestone = Static<typeof Milestone>
export const Measure = Type.Object({
  id: Type.Integer(),
  planId: Type.Integer(),
  lineCode: Type.String(),
  year: Type.Integer(),
  code: Type.String(),
  title: Type.String(),
  titleEn: Nullable(Type.String()),
  leadUnit: UnitRef,
  indicator: Indicator,
  targetValue: Type.Number(),
  responsiblePerson: PersonRef,
  /** the units that carry it out, each keeping a ledger entry per month */
  units: Type.Array(UnitRef),
  milestones: Type.Array(Milestone),
})
export type Measure = Static<typeof Measure>
export const Plan = Type.Object({
  id: Type.Integer(),
  lineCode: Type.String(),
  year: Type.Integer(),
  title: Type.String(),
  measureCount: Type.Integer(),
})
export type Plan = Static<typeof Plan>
export const PlanDetail = Type.Object({
  id: Type.Integer(),
  line: Line,
  year: Type.Integer(),
  title: Type.String(),
  measures: Type.Array(Measure),
})
export type PlanDetail = Static<typeof PlanDetail>
export const PlansQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false })
export const CreatePlanBody = Type.Object(
  { lineCode: LoopCode('line code'), year: Year, title: Text(200) },
  { additionalProperties: false },
)
export type CreatePlanBody = Static<typeof CreatePlanBody>
export const MilestoneBody = Type.Object(
  { description: Text(500), plannedValue: Type.Optional(Nullable(LoopValue('planned value by the end of the month'))) },
  { additionalProperties: false },
)
export type MilestoneBody = Static<typeof MilestoneBody>
export const CreateMeasureBody = Type.Object(
  {
    code: MeasureCode,
    title: Text(500),
    titleEn: Type.Optional(Nullable(Text(500))),
    leadUnitCode: UnitCode,
    indicatorCode: LoopCode('indicator code'),
    targetValue: LoopValue('target value for the year'),
    responsiblePersonId: Id('the named person responsible'),
    unitCodes: Type.Array(UnitCode, { minItems: 1, maxItems: 200, uniqueItems: true }),
    milestones: Type.Optional(
      Type.Array(
        Type.Composite([Type.Object({ month: MonthOfYear }), MilestoneBody], { additionalProperties: false }),
        {
          maxItems: 12,
        },
      ),
    ),
  },
  { additionalProperties: false },
)
export type CreateMeasureBody = Static<typeof CreateMeasureBody>
export const PatchMeasureBody = Type.Object(
  {
    title: Type.Optional(Text(500)),
    titleEn: Type.Optional(Nullable(Text(500))),
    leadUnitCode: Type.Optional(UnitCode),
    targetValue: Type.Optional(LoopValue('target value for the year')),
    responsiblePersonId: Type.Optional(Id()),
    /** units to add (each gets its ledger entries); a unit is never removed once it has entries */
    addUnitCodes: Type.Optional(Type.Array(UnitCode, { minItems: 1, maxItems: 200, uniqueItems: true })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type PatchMeasureBody = Static<typeof PatchMeasureBody>
export const MeasureIdParams = Type.Object({ id: Id() })
export const MilestoneParams = Type.Object({ id: Id(), month: MonthOfYear })

// ---------------------------------------------------------------- letters

export const LetterTarget = Type.Object({ indicator: Indicator, targetValue: Type.Number() })
export type LetterTarget = Static<typeof LetterTarget>
export const LetterScanInfo = Type.Object({
  id: Type.Integer(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  filename: Nullable(Type.String()),
  uploadedAt: Type.String({ format: 'date-time' }),
})
export const Letter = Type.Object({
  unit: UnitRef,
  year: Type.Integer(),
  /** null until the letter is first written (GET of a unit and year with no letter yet) */
  version: Nullable(Type.Integer()),
  signedOn: Nullable(Type.String({ format: 'date' })),
  unitSignatory: Nullable(PersonRef),
  countySignatory: Nullable(PersonRef),
  targets: Type.Array(LetterTarget),
  scan: Nullable(LetterScanInfo),
})
export type Letter = Static<typeof Letter>
export const LettersQuery = Type.Object({ year: Year }, { additionalProperties: false })
export const LetterParams = Type.Object({ code: UnitCode, year: Year })
export const PutLetterBody = Type.Object(
  {
    /** the version as last read; required when the letter exists (409 on mismatch) */
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
    signedOn: Type.Optional(Nullable(IsoDate)),
    unitSignatoryPersonId: Type.Optional(Nullable(Id('the unit head who signed'))),
    countySignatoryPersonId: Type.Optional(Nullable(Id('the county leader who signed'))),
    /** the complete list of targets (replaces the current one) */
    targets: Type.Array(
      Type.Object(
        { indicatorCode: LoopCode('indicator code'), targetValue: LoopValue('target value') },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
  },
  { additionalProperties: false },
)
export type PutLetterBody = Static<typeof PutLetterBody>

const Binary = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' })
/** The signed scan of a letter. */
export const LetterScanBody: MediaResponse = {
  description: 'the signed scan (PDF)',
  content: { 'application/pdf': { schema: Binary } },
}

// ---------------------------------------------------------------- progress against the letter

export const ProgressCell = Type.Object({
  month: YearMonth,
  /** the month's figure (environment) or the cumulative accepted done values; null when none yet */
  value: Nullable(Type.Number()),
  target: Type.Number(),
  /** whether value meets the target in the indicator's direction; null when no value */
  met: Nullable(Type.Boolean()),
})
export const ProgressRow = Type.Object({
  indicator: Indicator,
  /** `environment`: the unit's monthly figure; `ledger`: accepted done values summed over the year */
  source: Type.Union([Type.Literal('environment'), Type.Literal('ledger')]),
  target: Type.Number(),
  months: Type.Array(ProgressCell),
})
export const Progress = Type.Object({
  unit: UnitRef,
  year: Type.Integer(),
  rows: Type.Array(ProgressRow),
})
export type Progress = Static<typeof Progress>
export const ProgressQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false })

// ---------------------------------------------------------------- one unit

export const LetterSummary = Type.Object({
  year: Type.Integer(),
  signedOn: Nullable(Type.String({ format: 'date' })),
  targets: Type.Integer(),
  hasScan: Type.Boolean(),
})
export const UnitDetail = Type.Composite([
  Unit,
  Type.Object({
    year: Type.Integer({ description: "the current year (the measures and letter shown are this year's)" }),
    /** this year's measures the unit carries out */
    measures: Type.Array(Measure),
    letter: Nullable(LetterSummary),
  }),
])
export type UnitDetail = Static<typeof UnitDetail>

/** The scan upload: a PDF body, or a form with one file field `scan`. */
const SCAN_UPLOAD = ['application/pdf', 'multipart/form-data']
const uploadErrors = { 413: errorResponses[400], 415: errorResponses[400] }

export const unitsRoutes = {
  'GET /api/units': { response: { 200: Type.Array(Unit), ...errorResponses } },
  'GET /api/units/mine': { response: { 200: Type.Array(Unit), ...errorResponses } },
  'POST /api/units/sync': { response: { 200: SyncUnitsResult, ...errorResponses } },
  'POST /api/units': { body: CreateUnitBody, response: { 201: Unit, ...errorResponses } },
  'GET /api/units/:code': { params: UnitCodeParams, response: { 200: UnitDetail, ...errorResponses } },
  'PATCH /api/units/:code': { params: UnitCodeParams, body: PatchUnitBody, response: { 200: Unit, ...errorResponses } },
  'GET /api/lines': { response: { 200: Type.Array(Line), ...errorResponses } },
  'PUT /api/lines/:code': { params: LineParams, body: LineBody, response: { 200: Line, ...errorResponses } },
  'GET /api/indicators': { response: { 200: Type.Array(Indicator), ...errorResponses } },
  'PUT /api/indicators/:code': {
    params: IndicatorParams,
    body: IndicatorBody,
    response: { 200: Indicator, ...errorResponses },
  },
  'GET /api/plans': { querystring: PlansQuery, response: { 200: Type.Array(Plan), ...errorResponses } },
  'POST /api/plans': { body: CreatePlanBody, response: { 201: PlanDetail, ...errorResponses } },
  'GET /api/plans/:id': { params: MeasureIdParams, response: { 200: PlanDetail, ...errorResponses } },
  'POST /api/plans/:id/measures': {
    params: MeasureIdParams,
    body: CreateMeasureBody,
    response: { 201: Measure, ...errorResponses },
  },
  'PATCH /api/measures/:id': {
    params: MeasureIdParams,
    body: PatchMeasureBody,
    response: { 200: Measure, ...errorResponses },
  },
  'PUT /api/measures/:id/milestones/:month': {
    params: MilestoneParams,
    body: MilestoneBody,
    response: { 200: Measure, ...errorResponses },
  },
  'GET /api/letters': { querystring: LettersQuery, response: { 200: Type.Array(Letter), ...errorResponses } },
  'GET /api/units/:code/letters/:year': { params: LetterParams, response: { 200: Letter, ...errorResponses } },
  'PUT /api/units/:code/letters/:year': {
    params: LetterParams,
    body: PutLetterBody,
    response: { 200: Letter, ...errorResponses },
  },
  'PUT /api/units/:code/letters/:year/scan': {
    consumes: SCAN_UPLOAD,
    params: LetterParams,
    response: { 200: Letter, ...uploadErrors, ...errorResponses },
  },
  'GET /api/units/:code/letters/:year/scan': {
    params: LetterParams,
    response: { 200: LetterScanBody, ...errorResponses },
  },
  'GET /api/units/:code/progress': {
    params: UnitCodeParams,
    querystring: ProgressQuery,
    response: { 200: Progress, ...errorResponses },
  },
} satisfies Record<string, RouteContract>
