// The monthly flag figures (GET /api/flags/assessment): per cell, township or person, and the township
// ranking. Part of the flags contract (re-exported by contract/flags.ts).
import { Type, type Static } from '@sinclair/typebox'
import { Nullable, YearMonth } from './common.js'

const L = Type.Literal
const DateTime = Type.String({ format: 'date-time' })

export const AssessmentBy = Type.Union([L('cell'), L('township'), L('person')])
export type AssessmentBy = Static<typeof AssessmentBy>

export const AssessmentQuery = Type.Object(
  {
    month: YearMonth,
    by: Type.Optional(Type.Union(AssessmentBy.anyOf, { default: 'cell' })),
  },
  { additionalProperties: false },
)

const Figures = {
  received: Type.Integer(),
  registered: Type.Integer(),
  due: Type.Integer(),
  dueClosed: Type.Integer(),
  dueClosedOnTime: Type.Integer(),
  closureRate: Nullable(Type.Number()),
  onTimeClosureRate: Nullable(Type.Number()),
  closed: Type.Integer(),
  meanHoursToClose: Nullable(Type.Number()),
  reopened: Type.Integer(),
  reopenRate: Nullable(Type.Number()),
}
const GroupFigures = Type.Object({
  key: Type.String(),
  code: Nullable(Type.String()),
  name: Nullable(Type.String()),
  ...Figures,
})

export const Assessment = Type.Object({
  month: Type.String(),
  by: AssessmentBy,
  timeZone: Type.String(),
  computedAt: DateTime,
  definitions: Type.Object(
    {
      month: Type.String(),
      received: Type.String(),
      registered: Type.String(),
      due: Type.String(),
      dueClosed: Type.String(),
      dueClosedOnTime: Type.String(),
      closureRate: Type.String(),
      onTimeClosureRate: Type.String(),
      closed: Type.String(),
      meanHoursToClose: Type.String(),
      reopenRate: Type.String(),
      cell: Type.String(),
      township: Type.String(),
      person: Type.String(),
    },
    { description: 'what each figure and grouping means, in words' },
  ),
  totals: Type.Object(Figures),
  rows: Type.Array(GroupFigures),
  townshipRanking: Type.Array(Type.Object({ ...GroupFigures.properties, rank: Nullable(Type.Integer()) })),
})

export type AssessmentQuery = Static<typeof AssessmentQuery>
export type Assessment = Static<typeof Assessment>
