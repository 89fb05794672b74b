import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { runEdit } from '../../services/boundary-edit.service.js'
import { cellHistory } from '../../services/cell-history.js'
import { prepareEditRequest } from '../../services/edit-request.js'
import { editsRoutes, type EditRequest } from '../../contract/edits.js'
import { actorOf } from '../actor.js'

const editRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = () => ({
    db: app.ctx.db,
    now: app.ctx.now,
    sliverM2: app.ctx.config.sliverToleranceM2,
    matchToleranceM2: app.ctx.config.matchToleranceM2,
    timeZone: app.ctx.config.serviceTimeZone,
  })
  // warnings (an elevation dropped) ride along with the result
  const edit = async (body: EditRequest, actor: ReturnType<typeof actorOf>, mode: 'preview' | 'apply') => {
    const { request, warnings } = await prepareEditRequest(app.ctx.db, body, app.ctx.config.matchToleranceM2)
    const result = await runEdit(ctx(), actor, request, mode)
    return warnings.length ? { ...result, warnings } : result
  }

  app.post(
    '/edits/preview',
    {
      // rolled back: cached tiles and coverage stay valid (see plugins/data-version.ts)
      config: { access: { roles: ['admin'] }, writes: false },
      schema: {
        tags: ['edits'],
        summary:
          'Preview a boundary change without writing anything: cells modified, parcels whose accountable person changes, gaps and overlaps created or closed',
        ...editsRoutes['POST /api/edits/preview'],
      },
    },
    // the reason is optional here: nothing is kept
    async (request) =>
      edit({ ...request.body, reason: request.body.reason || '(preview)' }, actorOf(request), 'preview'),
  )

  app.post(
    '/edits',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['edits'],
        summary: 'Apply a boundary change (validated in one transaction; the same result the preview showed)',
        ...editsRoutes['POST /api/edits'],
      },
    },
    async (request) => edit(request.body, actorOf(request), 'apply'),
  )

  app.get(
    '/cells/:code/history',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['cells'],
        summary: 'Every version of a cell: boundary, name, who changed it (null for anonymous visitors), when and why',
        ...editsRoutes['GET /api/cells/:code/history'],
      },
    },
    async (request) => {
      const history = await cellHistory(app.ctx.db, request.params.code)
      // who changed a cell is a staff login: shown to signed-in users, not to anonymous public-map visitors
      return request.user ? history : history.map((v) => ({ ...v, changedBy: null }))
    },
  )
}
export default editRoutes
