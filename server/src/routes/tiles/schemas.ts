import { Type } from '@sinclair/typebox'
import { IsoDate } from '../common.schemas.js'

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
