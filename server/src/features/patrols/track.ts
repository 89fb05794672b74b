// Screening a track before it is stored. Phones send points late, twice and sometimes wrong: a retried
// batch repeats instants, a cold GPS fix lands kilometres away for one point, a wrong clock stamps the
// future. Such points are dropped and counted by reason (the answer says how many and why); the rest
// of the batch is kept, so one bad fix never costs a walk.
import { XMLParser } from 'fast-xml-parser'
import { badRequest } from '../../errors.js'
import type { DroppedPoints } from '../../contract/patrols.js'

/** Faster than this (m/s, 252 km/h) from the previous kept point is a GPS jump, not a movement. */
export const MAX_SPEED_MS = 70
/** A fix less accurate than this (m) says nothing about where the patrol went. */
export const MAX_ACCURACY_M = 200
/** Clock skew allowed between a phone and the server (ms). */
export const CLOCK_SKEW_MS = 5 * 60 * 1000

export interface RawPoint {
  t: number
  lon: number
  lat: number
  accuracy: number | null
}

export const noneDropped = (): DroppedPoints => ({ duplicate: 0, future: 0, beforeStart: 0, poorAccuracy: 0, jump: 0 })

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function metresBetween(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)))
}

/**
 * Sorts the points by time and keeps those that can be trusted. `previous` is the last point already
 * stored before the batch's first instant (the reference for the first jump check).
 */
export function screenPoints(
  points: RawPoint[],
  o: { now: number; startedAt: number; previous?: { t: number; lon: number; lat: number } },
): { kept: RawPoint[]; dropped: DroppedPoints } {
  const dropped = noneDropped()
  const kept: RawPoint[] = []
  const seen = new Set<number>()
  let last = o.previous
  for (const p of [...points].sort((a, b) => a.t - b.t)) {
    if (p.t > o.now + CLOCK_SKEW_MS) dropped.future++
    else if (p.t < o.startedAt - CLOCK_SKEW_MS) dropped.beforeStart++
    else if (seen.has(p.t) || (last && last.t === p.t)) dropped.duplicate++
    else if (p.accuracy !== null && p.accuracy > MAX_ACCURACY_M) dropped.poorAccuracy++
    else if (last && metresBetween(last, p) / Math.max((p.t - last.t) / 1000, 1) > MAX_SPEED_MS) dropped.jump++
    else {
      kept.push(p)
      last = p
    }
    seen.add(p.t)
  }
  return { kept, dropped }
}

export function addDropped(a: Partial<DroppedPoints>, b: DroppedPoints): DroppedPoints {
  const out = noneDropped()
  for (const k of Object.keys(out) as (keyof DroppedPoints)[]) out[k] = (a[k] ?? 0) + b[k]
  return out
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/**
 * The points of a GPX 1.0/1.1 file (every trkpt of every track and segment; rtept and wpt are not a
 * walk). A file that is not XML, not GPX, or has a point without a time or with bad coordinates is
 * refused with the first problem named; nothing is stored.
 */
export function gpxPoints(text: string): RawPoint[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false })
  let doc: Record<string, unknown>
  try {
    doc = parser.parse(text, true) as Record<string, unknown>
  } catch (e) {
    throw badRequest('invalid_gpx', `the file is not XML: ${(e as Error).message.split('\n')[0]}`)
  }
  const gpx = doc.gpx as Record<string, unknown> | undefined
  if (!gpx || typeof gpx !== 'object') throw badRequest('invalid_gpx', 'the file is XML but not GPX (no <gpx> root)')
  const points: RawPoint[] = []
  asArray(gpx.trk as Record<string, unknown>[]).forEach((trk, ti) =>
    asArray(trk?.trkseg as Record<string, unknown>[]).forEach((seg, si) =>
      asArray(seg?.trkpt as Record<string, unknown>[]).forEach((pt, pi) => {
        const where = `track ${ti + 1} segment ${si + 1} point ${pi + 1}`
        const lon = Number(pt?.['@lon'])
        const lat = Number(pt?.['@lat'])
        if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90)
          throw badRequest('invalid_gpx', `${where}: lon/lat missing or out of range`)
        const t = Date.parse(String(pt?.time ?? ''))
        if (!Number.isFinite(t)) throw badRequest('invalid_gpx', `${where}: no valid <time>`)
        points.push({ t, lon, lat, accuracy: null })
      }),
    ),
  )
  if (points.length === 0) throw badRequest('invalid_gpx', 'the GPX file has no track points (<trkpt>)')
  return points
}
