// Shared query-string handling for read routes.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { badRequest } from '../errors.js'
import { dayOrToday } from '../services/dates.js'
import { dayMessage, isSupportedDay } from '../contract/common.js'

/** minLon,minLat,maxLon,maxLat → a checked tuple (ranges and min ≤ max). */
export function parseBbox(raw: string | undefined): [number, number, number, number] | undefined {
  if (raw === undefined) return undefined
  const parts = raw.split(',').map(Number)
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    throw badRequest('invalid_bbox', 'querystring parameter "bbox" must be minLon,minLat,maxLon,maxLat')
  }
  const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number]
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
    throw badRequest('invalid_bbox', 'querystring parameter "bbox" is out of range (lon -180..180, lat -90..90)')
  }
  if (minLon > maxLon || minLat > maxLat) {
    throw badRequest('invalid_bbox', 'querystring parameter "bbox" has min greater than max')
  }
  return [minLon, minLat, maxLon, maxLat]
}

/** A day parameter (YYYY-MM-DD, a real calendar day in the supported years), or undefined. */
export function parseDay(name: string, raw: string | undefined, where = 'querystring'): string | undefined {
  if (raw !== undefined && !isSupportedDay(raw))
    throw badRequest('invalid_date', dayMessage(where, name, raw), { in: where, parameter: name })
  return raw
}

/** The `at` date (YYYY-MM-DD, a real calendar day) or today. */
export function parseAt(request: FastifyRequest, raw: string | undefined): string {
  return dayOrToday(parseDay('at', raw), request.server.ctx.today())
}

/** Sends JSON already serialised by the database (GeoJSON built in SQL) without parsing it again. */
export function sendJsonText(reply: FastifyReply, json: string, headers: Record<string, string> = {}) {
  for (const [k, v] of Object.entries(headers)) reply.header(k, v)
  return reply
    .type('application/json; charset=utf-8')
    .serializer((payload) => payload as string)
    .send(json)
}
