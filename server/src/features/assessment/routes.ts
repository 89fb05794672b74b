// Assessment and ranking: the yearly scheme, environmental figures (rows or CSV), the monthly scores
// with a unit's drill-down and trend, and closing a month. Reads: every signed-in role (these are
// internal government figures: no anonymous reading even with the public map); writes: admins.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { assessmentRoutes } from '../../contract/assessment.js'
import type { UserRole } from '../../db/schema.js'
import { actorOf } from '../../routes/actor.js'
import { parseFiguresCsv } from './csv.js'
import {
  assessmentSettings,
  assessmentTrend,
  closeMonth,
  ledgerDeadlineOf,
  monthAssessment,
  unitAssessment,
  type OnMonthClosed,
} from './service.js'
import { getScheme, listFigures, putScheme, writeFigures } from './service-scheme.js'

const READERS: UserRole[] = ['admin', 'viewer', 'inspector', 'supervisor', 'unit_officer']
const ADMIN: UserRole[] = ['admin']
const CSV_LIMIT = 5 * 1024 * 1024
const tags = ['assessment']

export interface AssessmentPluginOptions {
  /** what else a closed month freezes, in the closing transaction (routes/index.ts: the bulletin) */
  onMonthClosed?: OnMonthClosed
}

const assessment: FastifyPluginAsyncTypebox<AssessmentPluginOptions> = async (app, options) => {
  const ctx = app.ctx
  const settings = assessmentSettings(ctx.config)
  // the CSV import's body is text (only this plugin's routes see the parser)
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_LIMIT }, (_request, body, done) =>
    done(null, body),
  )

  app.get(
    '/assessment/schemes/:year',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags,
        summary: "The year's assessment scheme: weighted indicators and list sizes",
        ...assessmentRoutes['GET /api/assessment/schemes/:year'],
      },
    },
    async (request) => getScheme(ctx.db, request.params.year),
  )
  app.put(
    '/assessment/schemes/:year',
    {
      config: { access: { roles: ADMIN } },
      schema: {
        tags,
        summary: "Replace the year's scheme (closed months keep their figures)",
        ...assessmentRoutes['PUT /api/assessment/schemes/:year'],
      },
    },
    async (request) => putScheme(ctx.db, request.params.year, request.body, actorOf(request), ctx.now()),
  )
  app.get(
    '/assessment/trend',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags,
        summary: "A unit's score and rank for each month of a year so far",
        ...assessmentRoutes['GET /api/assessment/trend'],
      },
    },
    async (request) =>
      assessmentTrend(ctx.db, request.query.year, request.query.unit, ctx.today().slice(0, 7), settings),
  )
  app.get(
    '/assessment/:month',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags,
        summary: 'The month’s scores and ranks per peer group, red and black lists, month-on-month',
        ...assessmentRoutes['GET /api/assessment/:month'],
      },
    },
    async (request) => monthAssessment(ctx.db, request.params.month, settings),
  )
  app.get(
    '/assessment/:month/units/:code',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags,
        summary: "A unit's score for the month: each part with the rows it was computed from",
        ...assessmentRoutes['GET /api/assessment/:month/units/:code'],
      },
    },
    async (request) => unitAssessment(ctx.db, request.params.month, request.params.code, settings),
  )
  app.post(
    '/assessment/:month/close',
    {
      config: { access: { roles: ADMIN } },
      schema: {
        tags,
        summary: 'Close the month: its scores are written once and read from then on (after the ledger deadline)',
        ...assessmentRoutes['POST /api/assessment/:month/close'],
      },
    },
    async (request) => {
      const month = request.params.month
      const dueAt = await ledgerDeadlineOf(ctx.db, month, ctx.config)
      return closeMonth(ctx.db, month, actorOf(request), ctx.now(), dueAt, settings, options.onMonthClosed)
    },
  )

  app.get(
    '/environment-figures',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags,
        summary: 'Environmental figures by month, year or unit',
        ...assessmentRoutes['GET /api/environment-figures'],
      },
    },
    async (request) => listFigures(ctx.db, request.query),
  )
  app.put(
    '/environment-figures',
    {
      config: { access: { roles: ADMIN } },
      schema: {
        tags,
        summary: 'Enter environmental figures (all rows or none)',
        ...assessmentRoutes['PUT /api/environment-figures'],
      },
    },
    async (request) =>
      writeFigures(
        ctx.db,
        request.body.rows.map((r, i) => ({ ...r, where: `rows[${i}]` })),
        actorOf(request),
        ctx.now(),
        'put',
      ),
  )
  app.post(
    '/environment-figures/import',
    {
      config: { access: { roles: ADMIN } },
      bodyLimit: CSV_LIMIT,
      schema: {
        tags,
        summary: 'Import environmental figures from CSV: unit,month,indicator,value[,source] (all rows or none)',
        ...assessmentRoutes['POST /api/environment-figures/import'],
      },
    },
    async (request) => writeFigures(ctx.db, parseFiguresCsv(request.body), actorOf(request), ctx.now(), 'import'),
  )
}
export default assessment
