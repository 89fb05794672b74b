// Inspections and rectification (督查 and 整改): campaigns, the findings inspectors record in them (each
// a flag routed to its accountable cell and unit: the rectification item), and the campaign report.
import { Type, type Static } from '@sinclair/typebox'
import {
  Code,
  errorResponses,
  IdempotencyHeaders,
  IdParams,
  IsoDate,
  Lat,
  Lon,
  NON_BLANK_PATTERN,
  Nullable,
  type RouteContract,
} from './common.js'
import { FlagState, PhotoInput } from './flags.js'

const L = Type.Literal
const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: NON_BLANK_PATTERN, ...(description ? { description } : {}) })

export const Severity = Type.Union([L('general'), L('major'), L('serious')], {
  description: 'general 一般, major 较重, serious 严重: sets the rectification limit',
})
export type Severity = Static<typeof Severity>
export const SEVERITIES: readonly Severity[] = ['general', 'major', 'serious']

const RectificationLimit = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: 500, description: 'at most 500 (working hours or days)' }),
    unit: Type.Union([L('working_hours'), L('working_days')]),
  },
  { additionalProperties: false },
)
export type RectificationLimit = Static<typeof RectificationLimit>

const ChecklistItem = Type.Object(
  { code: Code('the item code, unique in the campaign', 32), label: Text(200) },
  { additionalProperties: false },
)

export const CampaignBody = Type.Object(
  {
    code: Code('the campaign code, unique', 40),
    name: Text(200),
    lineOfWork: Text(100, 'the line of work (条线), e.g. 大气 air, 水 water'),
    startsOn: IsoDate,
    endsOn: IsoDate,
    category: Code('the flag category its findings are filed under (GET /api/flags/categories)'),
    checklist: Type.Array(ChecklistItem, { minItems: 1, maxItems: 100 }),
    limits: Type.Object(
      { general: RectificationLimit, major: RectificationLimit, serious: RectificationLimit },
      { additionalProperties: false, description: 'the rectification limit of each severity, in working time' },
    ),
    cells: Type.Optional(
      Type.Array(Code('cell code'), {
        maxItems: 1000,
        description: 'cells it covers, each with everything under it; none given and no units: the whole county',
      }),
    ),
    units: Type.Optional(
      Type.Array(Code('unit code'), {
        maxItems: 200,
        description: "units it inspects; a township unit's cell counts as covered",
      }),
    ),
  },
  { additionalProperties: false },
)
export type CampaignBody = Static<typeof CampaignBody>

const FindingCounts = Type.Object({
  findings: Type.Integer(),
  open: Type.Integer({ description: 'not yet verified as rectified' }),
  overdue: Type.Integer({ description: 'open and past their rectification deadline' }),
  rectifiedOnTime: Type.Integer({ description: 'verified, with the rectification reported by the deadline' }),
  rectifiedLate: Type.Integer({ description: 'verified, with the rectification reported after the deadline' }),
})
export type FindingCounts = Static<typeof FindingCounts>

const UnitRef = Type.Object({ code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) })

export const Campaign = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  lineOfWork: Type.String(),
  startsOn: Type.String({ format: 'date' }),
  endsOn: Type.String({ format: 'date' }),
  category: Type.String(),
  checklist: Type.Array(Type.Object({ code: Type.String(), label: Type.String() })),
  limits: Type.Object({ general: RectificationLimit, major: RectificationLimit, serious: RectificationLimit }),
  cells: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.Integer() })),
  units: Type.Array(UnitRef),
  createdBy: Nullable(Type.String({ description: 'login' })),
  createdAt: Type.String({ format: 'date-time' }),
  counts: FindingCounts,
})
export type Campaign = Static<typeof Campaign>
export const CampaignList = Type.Object({ campaigns: Type.Array(Campaign) })
export type CampaignList = Static<typeof CampaignList>

export const FindingBody = Type.Object(
  {
    checklistItem: Code('the checklist item it is found against (the campaign checklist code)', 32),
    severity: Severity,
    description: Text(4000),
    lon: Lon,
    lat: Lat,
    observedAt: Type.String({ format: 'date-time', maxLength: 40, description: 'when it was seen, ISO 8601' }),
    photos: Type.Optional(Type.Array(PhotoInput, { maxItems: 20 })),
  },
  { additionalProperties: false },
)
export type FindingBody = Static<typeof FindingBody>

export const Finding = Type.Object({
  id: Type.Integer(),
  campaignCode: Type.String(),
  flagId: Type.Integer({
    description:
      'the rectification item: POST /api/flags/{flagId}/feedback with evidence, then /verify or /return by another',
  }),
  checklistItem: Type.String(),
  checklistLabel: Type.String(),
  severity: Severity,
  description: Type.String(),
  point: Type.Array(Type.Number(), { description: '[lon, lat]' }),
  observedAt: Type.String({ format: 'date-time' }),
  recordedBy: Type.String({ description: 'login' }),
  unit: Nullable(UnitRef),
  cellCode: Nullable(Type.String({ description: 'the accountable cell it was dispatched to' })),
  state: FlagState,
  dueAt: Nullable(Type.String({ format: 'date-time', description: 'the rectification deadline' })),
  rectifiedAt: Nullable(Type.String({ format: 'date-time', description: 'when the rectification was reported' })),
  verifiedAt: Nullable(Type.String({ format: 'date-time' })),
  overdue: Type.Boolean({ description: 'open and past its deadline now' }),
  escalationLevel: Type.Integer(),
})
export type Finding = Static<typeof Finding>
export const FindingList = Type.Object({ findings: Type.Array(Finding) })
export type FindingList = Static<typeof FindingList>

export const CampaignReport = Type.Object({
  campaign: Type.Object({ code: Type.String(), name: Type.String(), startsOn: Type.String(), endsOn: Type.String() }),
  asOf: Type.String({ format: 'date-time' }),
  totals: FindingCounts,
  units: Type.Array(Type.Object({ unit: Nullable(UnitRef), counts: FindingCounts }), {
    description: 'by the unit each finding was routed to, the units covered first (with none found: all zero)',
  }),
  checklist: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), counts: FindingCounts })),
  severities: Type.Array(Type.Object({ severity: Severity, counts: FindingCounts })),
})
export type CampaignReport = Static<typeof CampaignReport>

export const inspectionsRoutes = {
  'POST /api/inspections': { body: CampaignBody, response: { 201: Campaign, ...errorResponses } },
  'GET /api/inspections': { response: { 200: CampaignList, ...errorResponses } },
  'GET /api/inspections/:id': { params: IdParams, response: { 200: Campaign, ...errorResponses } },
  'POST /api/inspections/:id/findings': {
    params: IdParams,
    headers: IdempotencyHeaders,
    body: FindingBody,
    response: { 201: Finding, ...errorResponses, 413: errorResponses[400], 415: errorResponses[400] },
  },
  'GET /api/inspections/:id/findings': { params: IdParams, response: { 200: FindingList, ...errorResponses } },
  'GET /api/inspections/:id/report': { params: IdParams, response: { 200: CampaignReport, ...errorResponses } },
} satisfies Record<string, RouteContract>
