// GET /tiles/{layer}/{z}/{x}/{y}.pbf — Mapbox Vector Tiles, mounted outside /api (see app.ts).
// 200 with the tile, 204 when the tile has no features (MapLibre treats it as an empty tile), 304 when
// If-None-Match matches. Cache-Control: private, no-cache: a browser keeps the tile but asks again each
// time, and gets a 304 unless the data changed (the ETag is a hash of the tile's bytes).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { createTileService } from '../../services/tiles.service.js'
import { errorResponses } from '../common.schemas.js'
import { parseAt } from '../query.js'
import { TileParams, TileQuerystring } from './schemas.js'

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile'

const tiles: FastifyPluginAsyncTypebox = async (app) => {
  const service = createTileService(app.ctx.db, {
    encoder: app.ctx.capabilities.mvt ? 'mvt' : 'node',
    sliverM2: app.ctx.config.sliverToleranceM2,
  })

  app.get(
    '/:layer/:z/:x/:y.pbf',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['tiles'],
        summary: 'A vector tile (Mapbox Vector Tile, extent 4096, buffer 64) of cells (code, name, level, staffing), parcels (externalId, landUse, status; from zoom 13), gaps, overlaps or flags (state, category)',
        params: TileParams,
        querystring: TileQuerystring,
        response: {
          200: Type.Unknown({ description: 'the tile (application/vnd.mapbox-vector-tile)' }),
          204: Type.Null({ description: 'no features in this tile' }),
          304: Type.Null({ description: 'not modified (If-None-Match)' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { layer, z, x, y } = request.params
      const spec = service.parse({ layer, z, x, y, level: request.query.level, at: parseAt(request, request.query.at) })
      const tile = await service.tile(spec)
      reply.header('etag', tile.etag).header('cache-control', 'private, no-cache').header('x-tile-cache', tile.cached ? 'hit' : 'miss')
      const match = request.headers['if-none-match']
      if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === tile.etag)) return reply.code(304).send(null)
      if (tile.body.length === 0) return reply.code(204).send(null)
      return reply.type(MVT_CONTENT_TYPE).send(tile.body)
    },
  )
}
export default tiles
