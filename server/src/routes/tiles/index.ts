// GET /tiles/{layer}/{z}/{x}/{y}.pbf — Mapbox Vector Tiles, mounted outside /api (see app.ts).
// 200 with the tile, 204 when the tile has no features (MapLibre treats it as an empty tile), 304 when
// If-None-Match matches. Cache-Control: private, no-cache: a browser keeps the tile but asks again each
// time, and gets a 304 unless the data changed (the ETag is a hash of the tile's bytes and the scope).
//
// Each layer is read under the policy of the API it mirrors (LAYER_ACCESS): a tile never shows what
// that API would refuse. The flags layer follows GET /api/flags.geojson: signed-in readers only (so an
// anonymous public-map visitor gets 401) and a supervisor sees only the flags of their own cells.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { assertAccess, type Access } from '../../plugins/access.js'
import { supervisorCellIds } from '../../services/cells.service.js'
import { createTileService, type TileLayerName, type TileScope } from '../../services/tiles.service.js'
import { FLAG_MAP_ACCESS } from '../../features/flags/access.js'
import { MVT_CONTENT_TYPE, tilesRoutes } from '../../contract/tiles.js'
import { parseAt } from '../query.js'

/** The read policy of each layer: that of the API serving the same data. */
export const LAYER_ACCESS: Record<TileLayerName, Access> = {
  cells: { read: true }, // GET /api/cells
  parcels: { read: true }, // GET /api/parcels
  gaps: { read: true }, // GET /api/coverage
  overlaps: { read: true }, // GET /api/coverage
  flags: FLAG_MAP_ACCESS, // GET /api/flags.geojson
}

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
        summary:
          "A vector tile (Mapbox Vector Tile, extent 4096, buffer 64) of cells (code, name, level, staffing), parcels (externalId, landUse, status; from zoom 13), gaps, overlaps or flags (state, category). Each layer has the access of its API: flags need a signed-in reader (supervisors: their own cells' flags)",
        ...tilesRoutes['GET /tiles/:layer/:z/:x/:y.pbf'],
      },
    },
    async (request, reply) => {
      const { layer, z, x, y } = request.params
      const spec = service.parse({ layer, z, x, y, level: request.query.level, at: parseAt(request, request.query.at) })
      const user = request.user
      assertAccess(LAYER_ACCESS[spec.layer], user, app.ctx.config.publicMap)
      let scope: TileScope = null
      if (spec.layer === 'flags' && user?.role === 'supervisor') {
        scope = { cellIds: [...(await supervisorCellIds(app.ctx.db, user.personId!, app.ctx.today()))] }
      }
      const tile = await service.tile({ ...spec, scope })
      // Vary: a shared cache must not hand one requester's tile to another
      reply
        .header('etag', tile.etag)
        .header('cache-control', 'private, no-cache')
        .header('vary', 'cookie, authorization')
        .header('x-tile-cache', tile.cached ? 'hit' : 'miss')
      const match = request.headers['if-none-match']
      if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === tile.etag))
        return reply.code(304).send(null)
      if (tile.body.length === 0) return reply.code(204).send(null)
      return reply.type(MVT_CONTENT_TYPE).send(tile.body)
    },
  )
}
export default tiles
