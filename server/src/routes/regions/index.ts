import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { contextAreasGeoJSON, listRegions, regionOutline } from '../../services/regions.service.js'
import { rematchRegion } from '../../services/matching.service.js'
import { actorOf } from '../actor.js'
import { Code, errorResponses, FeatureCollection, Nullable } from '../common.schemas.js'
import { sendJsonText } from '../query.js'

const Region = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  bbox: Type.Array(Type.Number()),
  areaM2: Type.Number(),
})

const RegionParams = Type.Object({ code: Code('region code') })

const regions: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/regions',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['regions'],
        summary: 'Regions (jurisdictions to be fully covered)',
        response: { 200: Type.Array(Region), ...errorResponses },
      },
    },
    async () => listRegions(app.ctx.db),
  )

  app.get(
    '/regions/:code/outline',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['regions'],
        summary: "A region's outline as a GeoJSON Feature",
        params: RegionParams,
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
      },
    },
    async (request) => regionOutline(app.ctx.db, request.params.code),
  )

  app.get(
    '/context-areas',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['regions'],
        summary: 'Neighbouring areas drawn for context',
        response: { 200: FeatureCollection, ...errorResponses },
      },
    },
    async (_request, reply) => sendJsonText(reply, await contextAreasGeoJSON(app.ctx.db)),
  )

  app.post(
    '/regions/:code/rematch',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['regions'],
        summary: "Full rematch of a region's parcels; counts by status",
        params: RegionParams,
        response: {
          200: Type.Object({
            region: Type.String(),
            parcels: Type.Integer(),
            counts: Type.Record(Type.String(), Type.Integer()),
            seconds: Type.Number(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      rematchRegion(
        app.ctx.db,
        actorOf(request),
        request.params.code,
        app.ctx.config.matchToleranceM2,
        app.ctx.today(),
      ),
  )
}
export default regions
