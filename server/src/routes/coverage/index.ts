import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { coverageReport, resolveScope } from '../../services/coverage.service.js'
import { AreaM2, Code, errorResponses, IsoDate } from '../common.schemas.js'
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
        querystring: Type.Object(
          {
            region: Type.Optional(Code('region code')),
            cell: Type.Optional(Code('cell code')),
            at: Type.Optional(IsoDate),
            minArea: Type.Optional(AreaM2('report only gaps/overlaps at least this big (m²)')),
            sliver: Type.Optional(AreaM2('sliver tolerance m² (default: the SLIVER_TOLERANCE_M2 setting)')),
            parcelLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, default: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
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
      // flags are not for anonymous public-map visitors (GET /api/flags.geojson answers them 401)
      if (!request.user) {
        const { flags: _hidden, ...visible } = report
        return visible
      }
      return report
    },
  )
}
export default coverage
