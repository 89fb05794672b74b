import { Type, type TSchema } from '@sinclair/typebox'

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', description: 'The one error shape' },
)

/** Error responses every protected route can give. */
export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  429: ErrorResponse,
  503: ErrorResponse,
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const GeoJSONGeometry = Type.Object(
  { type: Type.String(), coordinates: Type.Optional(Type.Unknown()) },
  { additionalProperties: true, description: 'GeoJSON geometry (RFC 7946), WGS84 lon/lat' },
)

export const FeatureCollection = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Unknown()),
    bbox: Type.Optional(Type.Array(Type.Number())),
  },
  { additionalProperties: true },
)

export const Lon = Type.Number({ minimum: -180, maximum: 180, description: 'longitude, WGS84 degrees' })
export const Lat = Type.Number({ minimum: -90, maximum: 90, description: 'latitude, WGS84 degrees' })
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' })
export const Bbox = Type.String({
  pattern: '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$',
  description: 'minLon,minLat,maxLon,maxLat',
})

export const AtQuery = Type.Object(
  { at: Type.Optional(IsoDate) },
  { additionalProperties: false },
)
