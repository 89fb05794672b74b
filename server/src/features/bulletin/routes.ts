// GET /api/bulletins/{month}?format=xlsx|pdf&lang=zh|en: the monthly bulletin (通报) as a download. The
// figures are gathered first (data.ts); the document is then written straight into the reply.
import { PassThrough } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { bulletinRoutes, XLSX_CONTENT_TYPE } from '../../contract/bulletin.js'
import type { AppContext } from '../../app.js'
import type { UserRole } from '../../db/schema.js'
import type { OnMonthClosed } from '../assessment/service.js'
import { bulletinDocument, writeBulletinSnapshot } from './service.js'

// the loop's figures are internal: every signed-in role, never an anonymous public-map visitor
const READERS: UserRole[] = ['admin', 'viewer', 'inspector', 'supervisor', 'unit_officer']

/** Closing a month freezes its bulletin (routes/index.ts hands this to the assessment's routes). */
export function bulletinSnapshotWriter(ctx: AppContext): OnMonthClosed {
  return (tx, month, now) =>
    writeBulletinSnapshot(tx, month, {
      now,
      timeZone: ctx.config.serviceTimeZone,
      sliverM2: ctx.config.sliverToleranceM2,
      gapCacheOf: ctx.db,
    })
}

const bulletins: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx
  app.get(
    '/bulletins/:month',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['assessment'],
        summary:
          'The monthly bulletin (通报): ranking with month-on-month change, red and black lists, overdue ledger entries and flags, ' +
          'coverage gaps and vacancy-days per township, as an XLSX workbook or an A4 PDF (zh by default, lang=en for English)',
        ...bulletinRoutes['GET /api/bulletins/:month'],
      },
    },
    async (request, reply) => {
      const { month } = request.params
      const format = request.query.format
      const lang = request.query.lang ?? 'zh'
      const write = await bulletinDocument(ctx.db, month, format, lang, {
        now: ctx.now(),
        timeZone: ctx.config.serviceTimeZone,
        sliverM2: ctx.config.sliverToleranceM2,
      })
      const body = new PassThrough()
      // a failure half-way through can no longer change the status: it ends the download instead
      write(body).catch((err: Error) => {
        request.log.error(err, 'bulletin rendering failed')
        body.destroy(err)
      })
      return reply
        .type(format === 'xlsx' ? XLSX_CONTENT_TYPE : 'application/pdf')
        .header('content-disposition', `attachment; filename="bulletin-${month}.${format}"`)
        .send(body)
    },
  )
}
export default bulletins
