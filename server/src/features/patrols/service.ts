// Patrols: started on the phone (or read whole from a GPX file), fed track points in batches, checked
// in at supervised objects nearby, ended. Only the walker writes to a patrol; every write is audited.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { badRequest, conflict, forbidden, notFound } from '../../errors.js'
import { checkPhotos, decodeBase64Photo, type PhotoLimits } from '../flags/photos.js'
import type { Patrol, PatrolList, PointsReport } from '../../contract/patrols.js'
import * as repo from './repository.js'
import { addDropped, gpxPoints, noneDropped, screenPoints, type RawPoint } from './track.js'

/** A check-in counts only this close (m) to the object, plus the reported accuracy up to 50 m more. */
export const CHECK_IN_RADIUS_M = 100
const ACCURACY_ALLOWANCE_M = 50

export interface Walker extends Actor {
  id: number
  personId: number | null
}

export async function patrolView(db: Kysely<DB>, id: number): Promise<Patrol> {
  const row = await repo.patrolRow(db, id)
  if (!row) throw notFound('patrol', id)
  return {
    id: row.id,
    walkedBy: row.login,
    source: row.source,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    note: row.note,
    pointsReceived: row.points_received,
    pointsKept: row.points_kept,
    pointsDropped: addDropped(row.points_dropped, noneDropped()),
    lengthM: Math.round((row.length_m ?? 0) * 10) / 10,
    track: row.track ? (JSON.parse(row.track) as Patrol['track']) : null,
    checkIns: await repo.checkInsOf(db, id),
    problems: await repo.problemsOf(db, id),
  }
}

export async function listPatrols(
  db: Kysely<DB>,
  q: { month: string; mine?: boolean },
  userId: number,
  timeZone: string,
): Promise<PatrolList> {
  const rows = await repo.patrolsOfMonth(db, q.month, timeZone, q.mine ? userId : null)
  return {
    month: q.month,
    patrols: rows.map((r) => ({
      id: r.id,
      walkedBy: r.login,
      source: r.source,
      status: r.status,
      startedAt: r.started_at.toISOString(),
      endedAt: r.ended_at?.toISOString() ?? null,
      pointsKept: r.points_kept,
      checkIns: r.check_ins,
      problems: r.problems,
    })),
  }
}

export const instant = (raw: string, name: string) => {
  const t = Date.parse(raw)
  if (!Number.isFinite(t)) throw badRequest('invalid_time', `body parameter "${name}" is not a date-time`)
  return t
}

export async function startPatrol(
  db: Kysely<DB>,
  walker: Walker,
  body: { startedAt?: string; note?: string },
  now: Date,
) {
  const startedAt = body.startedAt === undefined ? now.getTime() : instant(body.startedAt, 'startedAt')
  if (startedAt > now.getTime() + 5 * 60 * 1000)
    throw badRequest('future_time', 'body parameter "startedAt" lies in the future')
  const id = await db.transaction().execute(async (tx) => {
    const id = await repo.insertPatrol(tx, {
      userId: walker.id,
      personId: walker.personId,
      source: 'device',
      startedAt: new Date(startedAt),
      endedAt: null,
      note: body.note?.trim() ?? null,
      now,
    })
    await insertAudit(tx, { actor: walker, action: 'start', entityType: 'patrol', entityId: id, after: body })
    return id
  })
  return patrolView(db, id)
}

export async function ownActive(tx: Kysely<DB>, walker: Walker, id: number) {
  const patrol = await repo.lockPatrol(tx, id)
  if (!patrol) throw notFound('patrol', id)
  if (patrol.user_id !== walker.id) throw forbidden('only the person walking a patrol records it')
  if (patrol.status !== 'active') throw conflict('patrol_ended', `patrol ${id} has ended`)
  return patrol
}

/** A batch of track points: screened, the trusted ones stored once, the rest counted by reason. */
export async function addPoints(
  db: Kysely<DB>,
  walker: Walker,
  id: number,
  points: { t: string; lon: number; lat: number; accuracy?: number }[],
  now: Date,
): Promise<PointsReport> {
  const raw: RawPoint[] = points.map((p, i) => ({
    t: instant(p.t, `points[${i}].t`),
    lon: p.lon,
    lat: p.lat,
    accuracy: p.accuracy ?? null,
  }))
  return db.transaction().execute(async (tx) => {
    const patrol = await ownActive(tx, walker, id)
    const first = Math.min(...raw.map((p) => p.t))
    const previous = await repo.lastPointBefore(tx, id, new Date(first))
    const screened = screenPoints(raw, { now: now.getTime(), startedAt: patrol.started_at.getTime(), previous })
    const inserted = await repo.insertPoints(tx, id, screened.kept)
    // an instant stored by an earlier batch (a resend) is a duplicate too
    screened.dropped.duplicate += screened.kept.length - inserted
    const total = addDropped(patrol.points_dropped as Partial<PointsReport['dropped']>, screened.dropped)
    await repo.addPointCounts(tx, id, raw.length, total)
    const report = {
      received: raw.length,
      kept: inserted,
      dropped: screened.dropped,
      pointsKept: await repo.pointsKept(tx, id),
    }
    await insertAudit(tx, {
      actor: walker,
      action: 'track',
      entityType: 'patrol',
      entityId: id,
      after: { received: report.received, kept: report.kept, dropped: report.dropped },
    })
    return report
  })
}

export async function endPatrol(db: Kysely<DB>, walker: Walker, id: number, body: { endedAt?: string }, now: Date) {
  await db.transaction().execute(async (tx) => {
    const patrol = await ownActive(tx, walker, id)
    const endedAt = body.endedAt === undefined ? now.getTime() : instant(body.endedAt, 'endedAt')
    if (endedAt < patrol.started_at.getTime()) throw badRequest('invalid_time', 'a patrol cannot end before it started')
    if (endedAt > now.getTime() + 5 * 60 * 1000)
      throw badRequest('future_time', 'body parameter "endedAt" lies in the future')
    await repo.endPatrol(tx, id, new Date(endedAt))
    await insertAudit(tx, { actor: walker, action: 'end', entityType: 'patrol', entityId: id, after: body })
  })
  return patrolView(db, id)
}

/** A whole patrol from a GPX file recorded by another device: screened like a phone's batches. */
export async function importGpx(db: Kysely<DB>, walker: Walker, body: { gpx: string; note?: string }, now: Date) {
  const raw = gpxPoints(body.gpx)
  const times = raw.map((p) => p.t)
  const startedAt = Math.min(...times)
  const screened = screenPoints(raw, { now: now.getTime(), startedAt })
  if (screened.kept.length === 0)
    throw badRequest('no_usable_points', `none of the ${raw.length} track points can be used`, {
      dropped: screened.dropped,
    })
  const kept = screened.kept.map((p) => p.t)
  const id = await db.transaction().execute(async (tx) => {
    const id = await repo.insertPatrol(tx, {
      userId: walker.id,
      personId: walker.personId,
      source: 'gpx',
      startedAt: new Date(Math.min(...kept)),
      endedAt: new Date(Math.max(...kept)),
      note: body.note?.trim() ?? null,
      now,
    })
    await repo.insertPoints(tx, id, screened.kept)
    await repo.addPointCounts(tx, id, raw.length, screened.dropped)
    await insertAudit(tx, {
      actor: walker,
      action: 'import_gpx',
      entityType: 'patrol',
      entityId: id,
      after: { received: raw.length, kept: screened.kept.length, dropped: screened.dropped },
    })
    return id
  })
  return patrolView(db, id)
}

export interface CheckInInput {
  objectId: number
  lon: number
  lat: number
  accuracy?: number
  checkedAt: string
  checklist: { code: string; ok: boolean }[]
  note?: string
  photos?: { data: string; contentType?: string; filename?: string }[]
}

/** A check-in at an object: near it, during the patrol, against its type's checklist, photos checked. */
export async function checkIn(
  db: Kysely<DB>,
  walker: Walker,
  id: number,
  input: CheckInInput,
  limits: PhotoLimits,
  now: Date,
) {
  const photos = checkPhotos(
    (input.photos ?? []).map((p, i) => ({ ...decodeBase64Photo(p.data, i, p.filename), filename: p.filename ?? null })),
    limits,
  )
  const checkedAt = instant(input.checkedAt, 'checkedAt')
  if (checkedAt > now.getTime() + 5 * 60 * 1000)
    throw badRequest('future_time', 'body parameter "checkedAt" lies in the future')
  const checkInId = await db.transaction().execute(async (tx) => {
    const patrol = await ownActive(tx, walker, id)
    if (checkedAt < patrol.started_at.getTime() - 5 * 60 * 1000)
      throw badRequest('invalid_time', 'body parameter "checkedAt" lies before the patrol started')
    const object = await repo.objectForCheckIn(tx, input.objectId, input.lon, input.lat)
    if (!object) throw notFound('object', input.objectId)
    if (object.status === 'retired') throw conflict('object_retired', `object ${object.code} is retired`)
    const allowed = CHECK_IN_RADIUS_M + Math.min(input.accuracy ?? 0, ACCURACY_ALLOWANCE_M)
    if (object.distance_m > allowed)
      throw badRequest(
        'too_far',
        `you are ${Math.round(object.distance_m)} m from ${object.name} (${object.code}); check in within ${Math.round(allowed)} m of it`,
        { distanceM: Math.round(object.distance_m), allowedM: Math.round(allowed) },
      )
    const known = new Set(object.checklist.map((c) => c.code))
    const unknown = input.checklist.filter((c) => !known.has(c.code)).map((c) => c.code)
    if (unknown.length)
      throw badRequest(
        'unknown_checklist_item',
        `checklist item(s) ${unknown.join(', ')} are not on this object type's list (${[...known].join(', ')})`,
      )
    const codes = input.checklist.map((c) => c.code)
    if (new Set(codes).size !== codes.length)
      throw badRequest('duplicate_checklist_item', 'a checklist item is given twice')
    const newId = await repo.insertCheckIn(tx, {
      patrolId: id,
      objectId: object.id,
      checkedAt: new Date(checkedAt),
      lon: input.lon,
      lat: input.lat,
      accuracy: input.accuracy ?? null,
      distanceM: object.distance_m,
      checklist: input.checklist,
      note: input.note?.trim() ?? null,
      userId: walker.id,
      now,
      photos,
    })
    const { photos: _bytes, ...summary } = input
    await insertAudit(tx, {
      actor: walker,
      action: 'check_in',
      entityType: 'patrol',
      entityId: id,
      after: { ...summary, checkInId: newId, photos: photos.map((p) => p.sha256) },
    })
    return newId
  })
  return (await repo.checkInsOf(db, id, [checkInId]))[0]!
}
