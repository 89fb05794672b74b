import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { accountabilityOfParcel } from '../../services/accountability.service.js'
import { parcelFeatures } from '../../db/repositories/parcels.repository.js'
import { AtQuery, Bbox, errorResponses, FeatureCollection, IsoDate } from '../common.schemas.js'
import { parseAt, parseBbox, sendJsonText } from '../query.js'
import { badRequest } from '../../errors.js'

const STATUSES = ['matched', 'straddling', 'unowned', 'inherited']

const parcels: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/parcels',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['parcels'],
        summary: 'Parcels as GeoJSON by bbox and status, with their accountable cell',
        querystring: Type.Object(
          {
            bbox: Type.Optional(Bbox),
            status: Type.Optional(Type.String({ description: 'comma-separated: matched,straddling,unowned,inherited' })),
            at: Type.Optional(IsoDate),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20000, default: 5000 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: FeatureCollection, ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query
      const statuses = q.status?.split(',').map((s) => s.trim())
      const unknown = statuses?.filter((s) => !STATUSES.includes(s))
      if (unknown?.length) throw badRequest('invalid_status', `querystring parameter "status" has unknown value(s) ${unknown.join(', ')}; use ${STATUSES.join(', ')}`)
      const { geojson, total } = await parcelFeatures(app.ctx.db, {
        bbox: parseBbox(q.bbox),
        statuses,
        at: parseAt(request, q.at),
        limit: q.limit ?? 5000,
        offset: q.offset ?? 0,
        withGeometry: true,
      })
      return sendJsonText(reply, geojson, { 'x-total-count': String(total) })
    },
  )

  app.get(
    '/parcels/:id/accountability',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['accountability'],
        summary: "A parcel's match (status, every cell's share, uncovered area) and who is accountable for it on a date",
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        querystring: AtQuery,
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
      },
    },
    async (request) => accountabilityOfParcel(app.ctx.db, request.params.id, parseAt(request, request.query.at), request.canSeeContacts),
  )
}
export default parcels
