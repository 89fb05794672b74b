// GET /tiles/{layer}/{z}/{x}/{y}.pbf: Mapbox Vector Tiles (mounted outside /api).
import { Type } from '@sinclair/typebox'
import { errorResponses, IsoDate, type RouteContract } from './common.js'

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile'

// z/x/y are strings here and checked by the service, so a bad one gets a 400 that names it (and the
// range it must be in) rather than a generic validation message.
export const TileParams = Type.Object({
  layer: Type.String({ description: 'cells, cells-N (level N only), parcels, gaps, overlaps or flags' }),
  z: Type.String({ description: 'zoom 0..22' }),
  x: Type.String({ description: 'column 0..2^z−1' }),
  y: Type.String({ description: 'row 0..2^z−1' }),
})

export const TileQuerystring = Type.Object(
  {
    level: Type.Optional(Type.String({ maxLength: 20, description: 'cells layer: only this level (same as cells-N)' })),
    at: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
)

/** The tile's bytes (sent as they are: fastify does not serialise a Buffer). */
export const TileBody = {
  description: 'the tile',
  content: { [MVT_CONTENT_TYPE]: { schema: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }) } },
}

export const tilesRoutes = {
  'GET /tiles/:layer/:z/:x/:y.pbf': {
    params: TileParams,
    querystring: TileQuerystring,
    response: {
      200: TileBody,
      204: Type.Null({ description: 'no features in this tile' }),
      304: Type.Null({ description: 'not modified (If-None-Match)' }),
      ...errorResponses,
    },
  },
} satisfies Record<string, RouteContract>
