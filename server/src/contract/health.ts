// GET /api/health: service and database status.
import { Type, type Static } from '@sinclair/typebox'
import { Nullable, type RouteContract } from './common.js'

export const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Object({
    kind: Type.Union([Type.Literal('embedded'), Type.Literal('server')]),
    postgis: Nullable(Type.String()),
    migration: Nullable(Type.String()),
    mvt: Type.Boolean({ description: 'ST_AsMVT available' }),
  }),
})
export type Health = Static<typeof Health>

export const healthRoutes = {
  'GET /api/health': { response: { 200: Health } },
} satisfies Record<string, RouteContract>
