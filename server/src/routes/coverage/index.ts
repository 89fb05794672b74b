import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { coverageReport, resolveScope } from '../../services/coverage.service.js'
import { coverageRoutes } from '../../contract/coverage.js'
import { parseAt } from '../query.js'
import { supervisorCellIds } from '../../services/cells.service.js'

const coverage: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/coverage',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['coverage'],
        summary:
          'Coverage of a region or a cell: gaps, overlaps, spill, multi-part cells, staffing, parcel issues, summaries per level and per child',
        ...coverageRoutes['GET /api/coverage'],
      },
    },
    async (request) => {
      const q = request.query
      const scope = await resolveScope(app.ctx.db, { region: q.region, cell: q.cell })
      // a supervisor's report lists the flags their flag list shows them, not the whole county's
      const user = request.user
      const flagCellIds =
        user?.role === 'supervisor'
          ? [...(await supervisorCellIds(app.ctx.db, user.personId!, app.ctx.today()))]
          : undefined
      const report = await coverageReport(app.ctx.db, scope, {
        at: parseAt(request, q.at),
        sliverM2: q.sliver ?? app.ctx.config.sliverToleranceM2,
        minGapM2: q.minArea ?? 0,
        expiringSoonDays: app.ctx.config.expiringSoonDays,
        parcelLimit: q.parcelLimit ?? 500,
        flagCellIds,
      })
      // flags and the inventory are not for anonymous public-map visitors (their own routes answer 401)
      if (!request.user) {
        const { flags: _hidden, objects: _inventory, ...visible } = report
        return visible
      }
      return report
    },
  )
}
export default coverage
