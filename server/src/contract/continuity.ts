// Duty continuity ("every minute"): who was on duty in a cell over time, the periods in which the
// staffing rule was not met (like spatial gaps, but in time), vacancy-days per township, and duties
// that will end with nobody to take over.
import { Type, type Static } from '@sinclair/typebox'
import { CellCodeParams } from './cells.js'
import { Code, errorResponses, IsoDate, Nullable, Role, YearMonth, type RouteContract } from './common.js'

export const ShortfallKind = Type.Union([Type.Literal('vacant'), Type.Literal('understaffed')])
export type ShortfallKind = Static<typeof ShortfallKind>

/** A maximal run of days on which a cell was vacant or understaffed (one kind, one thing missing). */
export const ShortfallPeriod = Type.Object({
  cellId: Type.Integer(),
  cellCode: Type.String(),
  cellName: Type.String(),
  cellNameEn: Nullable(Type.String()),
  level: Type.Integer(),
  townshipCode: Nullable(Type.String({ description: 'the level-2 cell it lies in; null for the county' })),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date', description: 'inclusive' }),
  days: Type.Integer({ minimum: 1 }),
  kind: ShortfallKind,
  missing: Type.Object(
    { chiefs: Type.Integer({ minimum: 0 }), members: Type.Integer({ minimum: 0 }) },
    { description: 'how many chiefs and members the staffing rule lacked' },
  ),
  extraChiefs: Type.Integer({ minimum: 0, description: 'chiefs beyond the rule (a cell needs exactly its number)' }),
  open: Type.Boolean({ description: 'the period reaches the end of the range asked about' }),
})
export type ShortfallPeriod = Static<typeof ShortfallPeriod>

const RangeQuery = {
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
}

export const DutyTimelineQuery = Type.Object(RangeQuery, { additionalProperties: false })
export type DutyTimelineQuery = Static<typeof DutyTimelineQuery>

export const TimelineDuty = Type.Object({
  responsibilityId: Type.Integer(),
  person: Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Nullable(Type.String()) }),
  role: Role,
  from: Type.String({ format: 'date' }),
  to: Nullable(Type.String({ format: 'date', description: 'last day of duty; null = open' })),
})
export type TimelineDuty = Static<typeof TimelineDuty>

export const DutyTimeline = Type.Object({
  cell: Type.Object({
    code: Type.String(),
    name: Type.String(),
    nameEn: Nullable(Type.String()),
    level: Type.Integer(),
  }),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  rule: Type.Object({ chiefs: Type.Integer(), members: Type.Integer() }),
  duties: Type.Array(TimelineDuty, { description: 'every duty overlapping the range, by role and start' }),
  shortfalls: Type.Array(ShortfallPeriod),
})
export type DutyTimeline = Static<typeof DutyTimeline>

export const ShortfallsQuery = Type.Object(
  {
    scope: Type.Optional(Code('cell code: this cell and every cell below it; default the whole grid', 32)),
    ...RangeQuery,
  },
  { additionalProperties: false },
)
export type ShortfallsQuery = Static<typeof ShortfallsQuery>

export const Shortfalls = Type.Object({
  scope: Nullable(Type.String()),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  periods: Type.Array(ShortfallPeriod),
  totals: Type.Object({ vacantDays: Type.Integer(), understaffedDays: Type.Integer(), cells: Type.Integer() }),
})
export type Shortfalls = Static<typeof Shortfalls>

export const VacancyDaysQuery = Type.Object(
  {
    month: Type.Optional(YearMonth),
    scope: Type.Optional(Code('a township cell code (or a cell above townships: every township below it)', 32)),
  },
  { additionalProperties: false },
)
export type VacancyDaysQuery = Static<typeof VacancyDaysQuery>

export const TownshipVacancy = Type.Object({
  township: Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) }),
  cells: Type.Integer({ description: 'cells of the township (itself and below) that existed in the month' }),
  vacantDays: Type.Integer(),
  understaffedDays: Type.Integer(),
})
export type TownshipVacancy = Static<typeof TownshipVacancy>

export const VacancyDays = Type.Object({
  month: YearMonth,
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  townships: Type.Array(TownshipVacancy),
})
export type VacancyDays = Static<typeof VacancyDays>

export const DutiesEndingQuery = Type.Object(
  {
    within: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3650, description: 'days ahead; default EXPIRING_SOON_DAYS' }),
    ),
    scope: Type.Optional(Code('cell code: this cell and every cell below it', 32)),
  },
  { additionalProperties: false },
)
export type DutiesEndingQuery = Static<typeof DutiesEndingQuery>

export const EndingDuty = Type.Object({
  responsibilityId: Type.Integer(),
  cell: Type.Object({
    code: Type.String(),
    name: Type.String(),
    nameEn: Nullable(Type.String()),
    level: Type.Integer(),
  }),
  townshipCode: Nullable(Type.String()),
  person: Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Nullable(Type.String()) }),
  role: Role,
  endsOn: Type.String({ format: 'date' }),
  daysLeft: Type.Integer({ description: 'days from today to the last day of duty' }),
  after: Type.Object(
    {
      kind: ShortfallKind,
      missing: Type.Object({ chiefs: Type.Integer(), members: Type.Integer() }),
    },
    { description: 'the cell the day after the duty ends, with the duties known today' },
  ),
})
export type EndingDuty = Static<typeof EndingDuty>

export const DutiesEnding = Type.Object({
  today: Type.String({ format: 'date' }),
  within: Type.Integer(),
  duties: Type.Array(EndingDuty),
})
export type DutiesEnding = Static<typeof DutiesEnding>

export const continuityRoutes = {
  'GET /api/cells/:code/duty-timeline': {
    params: CellCodeParams,
    querystring: DutyTimelineQuery,
    response: { 200: DutyTimeline, ...errorResponses },
  },
  'GET /api/continuity/shortfalls': {
    querystring: ShortfallsQuery,
    response: { 200: Shortfalls, ...errorResponses },
  },
  'GET /api/continuity/vacancy-days': {
    querystring: VacancyDaysQuery,
    response: { 200: VacancyDays, ...errorResponses },
  },
  'GET /api/continuity/duties-ending': {
    querystring: DutiesEndingQuery,
    response: { 200: DutiesEnding, ...errorResponses },
  },
} satisfies Record<string, RouteContract>
