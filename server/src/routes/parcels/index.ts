import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { accountabilityOfParcel } from '../../services/accountability.service.js'
import {
  AtQuery,
  Bbox,
  Code,
  errorResponses,
  FeatureCollection,
  IdParams,
  IsoDate,
  Limit,
  Offset,
} from '../common.schemas.js'
import { parseAt, parseBbox, sendJsonText } from '../query.js'
import { createParcel, deleteParcel, parcelFeatureCollection, updateParcel } from '../../services/parcels.service.js'
import { actorOf } from '../actor.js'
import { GeoJSONGeometry, Nullable } from '../common.schemas.js'

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
            cell: Type.Optional(Code('only parcels matched to this cell or the cells below it', 32)),
            status: Type.Optional(
              Type.String({ maxLength: 100, description: 'comma-separated: matched,straddling,unowned,inherited' }),
            ),
            at: Type.Optional(IsoDate),
            limit: Type.Optional(Limit(20000, 5000)),
            offset: Type.Optional(Offset),
          },
          { additionalProperties: false },
        ),
        response: { 200: FeatureCollection, ...errorResponses },
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
        params: IdParams,
        querystring: AtQuery,
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
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
        body: Type.Object(
          {
            externalId: Code('the parcel id in its source', 100),
            landUse: Type.String({ maxLength: 100 }),
            ownerName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
            geometry: GeoJSONGeometry,
            region: Type.Optional(Code('region code')),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({}, { additionalProperties: true }), ...errorResponses },
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
        params: IdParams,
        body: Type.Object(
          {
            landUse: Type.Optional(Type.String({ maxLength: 100 })),
            ownerName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
            geometry: Type.Optional(GeoJSONGeometry),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
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
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteParcel(app.ctx.db, actorOf(request), request.params.id)
      return reply.status(204).send(null)
    },
  )
}
export default parcels
