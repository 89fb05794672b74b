// GET /api/map-config: what the web map needs before sign-in.
import { Type, type Static } from '@sinclair/typebox'
import { Nullable, type RouteContract } from './common.js'
import { FlagRules } from './flags.js'

export const MapConfig = Type.Object({
  basemapUrl: Nullable(Type.String()),
  publicMap: Type.Boolean(),
  expiringSoonDays: Type.Integer(),
  demo: Type.Boolean({ description: 'demo accounts exist' }),
  flagPhotos: Type.Object({
    maxBytes: Type.Integer(),
    maxCount: Type.Integer(),
    types: Type.Array(Type.String()),
  }),
  today: Type.String({
    format: 'date',
    description: "today's date in the service time zone: the day duties, routing and scopes answer for",
  }),
  timeZone: Type.String({ description: 'the service time zone (SERVICE_TIME_ZONE)' }),
  flagRules: FlagRules,
})
export type MapConfig = Static<typeof MapConfig>

export const mapConfigRoutes = {
  'GET /api/map-config': { response: { 200: MapConfig } },
} satisfies Record<string, RouteContract>
