import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { cellHistory, runEdit } from '../../services/boundary-edit.service.js'
import { prepareEditRequest } from '../../services/edit-request.js'
import { actorOf } from '../actor.js'
import { errorResponses } from '../common.schemas.js'
import { CellCodeParams } from '../cells/schemas.js'
import { EditFields } from './schemas.js'

const EditBody = Type.Object(
  {
    operation: Type.Union(
      ['reshape', 'create', 'split', 'merge', 'delete', 'restore', 'fix_gap', 'fix_overlap', 'undo'].map((o) =>
        Type.Literal(o),
      ),
    ),
    reason: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'why the boundary changes (kept in the history); required to apply, optional to preview',
      }),
    ),
    ...EditFields,
  },
  {
    additionalProperties: true,
    description: `One boundary change. Fields by operation:
- reshape: cellCode, version, geometry, clipToParent?, trimSiblings?
- create: parentCode, name, geometry, clipToParent?, trimSiblings?
- split: cellCode, version, line (LineString), names?
- merge: keepCode, keepVersion, mergeCode, mergeVersion
- delete: cellCode, version
- restore: cellCode, version (current), toVersion
- fix_gap: parentCode, point [lon, lat], action give_to (cellCode, cellVersion) | new_cell (name)
- fix_overlap: cellCodes [a, b], versions [va, vb], point [lon, lat], giveTo
- undo: editId (a saved edit's id, from its result or the cell history): puts every cell that edit touched back as it was just before it; 409 if any of them changed since`,
  },
)

const EditResult = Type.Object({ operation: Type.String(), applied: Type.Boolean() }, { additionalProperties: true })

const editRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = () => ({
    db: app.ctx.db,
    now: app.ctx.now,
    sliverM2: app.ctx.config.sliverToleranceM2,
    matchToleranceM2: app.ctx.config.matchToleranceM2,
    timeZone: app.ctx.config.serviceTimeZone,
  })
  // warnings (an elevation dropped) ride along with the result
  const edit = async (body: Record<string, unknown>, actor: ReturnType<typeof actorOf>, mode: 'preview' | 'apply') => {
    const { request, warnings } = await prepareEditRequest(app.ctx.db, body, mode, app.ctx.config.matchToleranceM2)
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
        body: EditBody,
        response: { 200: EditResult, 422: errorResponses[409], ...errorResponses },
      },
    },
    async (request) => edit(request.body, actorOf(request), 'preview'),
  )

  app.post(
    '/edits',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['edits'],
        summary: 'Apply a boundary change (validated in one transaction; the same result the preview showed)',
        body: EditBody,
        response: { 200: EditResult, 422: errorResponses[409], ...errorResponses },
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
        params: CellCodeParams,
        response: {
          200: Type.Array(Type.Object({ version: Type.Integer() }, { additionalProperties: true })),
          ...errorResponses,
        },
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
