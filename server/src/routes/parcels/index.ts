import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { accountabilityOfParcel } from '../../services/accountability.service.js'
import { parcelsRoutes } from '../../contract/parcels.js'
import { parseAt, parseBbox, sendJsonText } from '../query.js'
import { createParcel, deleteParcel, parcelFeatureCollection, updateParcel } from '../../services/parcels.service.js'
import { actorOf } from '../actor.js'

const parcels: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/parcels',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['parcels'],
        summary: 'Parcels as GeoJSON by bbox and status, with their accountable cell',
        ...parcelsRoutes['GET /api/parcels'],
      },
    },
    async (request, reply) => {
      const q = request.query
      const { geojson, total } = await parcelFeatureCollection(app.ctx.db, {
        bbox: parseBbox(q.bbox),
        cell: q.cell,
        status: q.status,
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
        summary:
          "A parcel's match (status, every cell's share, uncovered area) and who is accountable for it on a date",
        ...parcelsRoutes['GET /api/parcels/:id/accountability'],
      },
    },
    async (request) =>
      accountabilityOfParcel(app.ctx.db, request.params.id, parseAt(request, request.query.at), request.canSeeContacts),
  )

  const adminOnly = { access: { roles: ['admin'] as const } }
  const today = () => app.ctx.today()

  app.post(
    '/parcels',
    {
      config: adminOnly,
      schema: {
        tags: ['parcels'],
        summary: 'Add a parcel; it is matched at once',
        ...parcelsRoutes['POST /api/parcels'],
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createParcel(app.ctx.db, actorOf(request), request.body, app.ctx.config.matchToleranceM2, today())),
  )

  app.patch(
    '/parcels/:id',
    {
      config: adminOnly,
      schema: {
        tags: ['parcels'],
        summary: "Change a parcel's boundary, land use or owner; only this parcel is rematched",
        ...parcelsRoutes['PATCH /api/parcels/:id'],
      },
    },
    async (request) =>
      updateParcel(
        app.ctx.db,
        actorOf(request),
        request.params.id,
        request.body,
        app.ctx.config.matchToleranceM2,
        today(),
      ),
  )

  app.delete(
    '/parcels/:id',
    {
      config: adminOnly,
      schema: {
        tags: ['parcels'],
        summary: 'Delete a parcel',
        ...parcelsRoutes['DELETE /api/parcels/:id'],
      },
    },
    async (request, reply) => {
      await deleteParcel(app.ctx.db, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    },
  )
}
export default parcels
