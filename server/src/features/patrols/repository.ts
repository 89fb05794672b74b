// Patrols in SQL: the patrol row, its track points (one per instant), check-ins with their photos, the
// patrol as answered (track and length built in SQL) and the month's figures per leaf cell.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { CheckedPhoto } from '../flags/photos.js'
import type { CheckInSummary, DroppedPoints, ProblemSummary } from '../../contract/patrols.js'
import { monthBounds } from './repository-completion.js'

type Executor = Kysely<DB> | Transaction<DB>

export async function insertPatrol(
  db: Executor,
  p: {
    userId: number
    personId: number | null
    source: 'device' | 'gpx'
    startedAt: Date
    endedAt: Date | null
    note: string | null
    now: Date
  },
): Promise<number> {
  const row = await db
    .insertInto('patrols')
    .values({
      user_id: p.userId,
      person_id: p.personId,
      source: p.source,
      status: p.endedAt ? 'ended' : 'active',
      started_at: p.startedAt,
      ended_at: p.endedAt,
      note: p.note,
      created_at: p.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function lockPatrol(db: Executor, id: number) {
  return db
    .selectFrom('patrols')
    .select(['id', 'user_id', 'status', 'started_at', 'ended_at', 'points_dropped'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export interface StoredPoint {
  t: number
  lon: number
  lat: number
}

/** The last kept point of a patrol at or before an instant (the reference for the next jump check). */
export async function lastPointBefore(db: Executor, patrolId: number, before: Date): Promise<StoredPoint | undefined> {
  const { rows } = await sql<{ t: Date; lon: number; lat: number }>`
    SELECT recorded_at AS t, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM patrol_points
    WHERE patrol_id = ${patrolId} AND recorded_at <= ${before}
    ORDER BY recorded_at DESC LIMIT 1`.execute(db)
  const r = rows[0]
  return r ? { t: r.t.getTime(), lon: r.lon, lat: r.lat } : undefined
}

/** Stores the points; an instant already stored is skipped. Returns how many were new. */
export async function insertPoints(
  db: Executor,
  patrolId: number,
  points: { t: number; lon: number; lat: number; accuracy: number | null }[],
): Promise<number> {
  let inserted = 0
  for (let i = 0; i < points.length; i += 1000) {
    const chunk = points.slice(i, i + 1000)
    const result = await sql`
      INSERT INTO patrol_points (patrol_id, recorded_at, geom, accuracy_m)
      SELECT ${patrolId}, to_timestamp(t / 1000.0), ST_SetSRID(ST_MakePoint(lon, lat), 4326), acc
      FROM unnest(${chunk.map((p) => p.t)}::float8[], ${chunk.map((p) => p.lon)}::float8[],
                  ${chunk.map((p) => p.lat)}::float8[], ${chunk.map((p) => p.accuracy)}::float4[]) AS x(t, lon, lat, acc)
      ON CONFLICT (patrol_id, recorded_at) DO NOTHING`.execute(db)
    inserted += Number(result.numAffectedRows ?? 0)
  }
  return inserted
}

/** Adds the received count and stores the merged dropped counts (the caller holds the row lock). */
export async function addPointCounts(db: Executor, id: number, received: number, dropped: DroppedPoints) {
  await db
    .updateTable('patrols')
    .set({ points_received: sql`points_received + ${received}`, points_dropped: JSON.stringify(dropped) })
    .where('id', '=', id)
    .execute()
}

export async function endPatrol(db: Executor, id: number, endedAt: Date) {
  await db.updateTable('patrols').set({ status: 'ended', ended_at: endedAt }).where('id', '=', id).execute()
}

export async function pointsKept(db: Executor, id: number): Promise<number> {
  const r = await db
    .selectFrom('patrol_points')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('patrol_id', '=', id)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export interface PatrolRow {
  id: number
  login: string
  source: 'device' | 'gpx'
  status: 'active' | 'ended'
  started_at: Date
  ended_at: Date | null
  note: string | null
  points_received: number
  points_dropped: Partial<DroppedPoints>
  points_kept: number
  length_m: number | null
  track: string | null
}

export async function patrolRow(db: Executor, id: number): Promise<PatrolRow | undefined> {
  const { rows } = await sql<PatrolRow>`
    SELECT p.id, u.login, p.source, p.status, p.started_at, p.ended_at, p.note, p.points_received, p.points_dropped,
           t.n AS points_kept, ST_Length(t.line::geography) AS length_m,
           CASE WHEN t.n >= 2 THEN ST_AsGeoJSON(t.line, 7) END AS track
    FROM patrols p
    JOIN users u ON u.id = p.user_id
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, ST_MakeLine(pp.geom ORDER BY pp.recorded_at) AS line
      FROM patrol_points pp WHERE pp.patrol_id = p.id
    ) t
    WHERE p.id = ${id}`.execute(db)
  return rows[0]
}

export async function checkInsOf(db: Executor, patrolId: number, ids?: number[]): Promise<CheckInSummary[]> {
  const { rows } = await sql<CheckInSummary & { checkedAt: Date }>`
    SELECT c.id, c.object_id AS "objectId", o.code AS "objectCode", o.name AS "objectName", c.checked_at AS "checkedAt",
           round(c.distance_m::numeric, 1)::float8 AS "distanceM", c.checklist, c.note,
           (SELECT count(*)::int FROM patrol_check_in_photos ph WHERE ph.check_in_id = c.id) AS photos
    FROM patrol_check_ins c JOIN supervised_objects o ON o.id = c.object_id
    WHERE c.patrol_id = ${patrolId} ${ids ? sql`AND c.id = ANY(${ids}::int[])` : sql``}
    ORDER BY c.checked_at, c.id`.execute(db)
  return rows.map((r) => ({ ...r, checkedAt: new Date(r.checkedAt).toISOString() }))
}

/** The object a check-in names, and the geodesic distance (m) from the reported position to it. */
export async function objectForCheckIn(db: Executor, objectId: number, lon: number, lat: number) {
  const { rows } = await sql<{
    id: number
    code: string
    name: string
    status: string
    checklist: { code: string }[]
    distance_m: number
  }>`
    SELECT o.id, o.code, o.name, o.status, t.checklist,
           ST_Distance(o.geom::geography, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)::geography) AS distance_m
    FROM supervised_objects o JOIN object_types t ON t.code = o.type_code
    WHERE o.id = ${objectId}`.execute(db)
  return rows[0]
}

export async function insertCheckIn(
  db: Executor,
  c: {
    patrolId: number
    objectId: number
    checkedAt: Date
    lon: number
    lat: number
    accuracy: number | null
    distanceM: number
    checklist: { code: string; ok: boolean }[]
    note: string | null
    userId: number
    now: Date
    photos: CheckedPhoto[]
  },
): Promise<number> {
  const row = await db
    .insertInto('patrol_check_ins')
    .values({
      patrol_id: c.patrolId,
      object_id: c.objectId,
      checked_at: c.checkedAt,
      geom: sql`ST_SetSRID(ST_MakePoint(${c.lon}, ${c.lat}), 4326)`,
      accuracy_m: c.accuracy,
      distance_m: c.distanceM,
      checklist: JSON.stringify(c.checklist),
      note: c.note,
      created_by: c.userId,
      created_at: c.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const p of c.photos)
    await db
      .insertInto('patrol_check_in_photos')
      .values({
        check_in_id: row.id,
        content_type: p.contentType,
        size_bytes: p.sizeBytes,
        sha256: p.sha256,
        filename: p.filename,
        data: p.data,
        created_at: c.now,
      })
      .execute()
  return row.id
}

/** Problems found on a patrol, each with its flag's category and state now. */
export async function problemsOf(db: Executor, patrolId: number, flagIds?: number[]): Promise<ProblemSummary[]> {
  const { rows } = await sql<{ flagId: number; category: string; observedAt: Date; state: string }>`
    SELECT p.flag_id AS "flagId", f.category, p.observed_at AS "observedAt", f.state
    FROM patrol_problems p JOIN flags f ON f.id = p.flag_id
    WHERE p.patrol_id = ${patrolId} ${flagIds ? sql`AND p.flag_id = ANY(${flagIds}::int[])` : sql``}
    ORDER BY p.observed_at, p.flag_id`.execute(db)
  return rows.map((r) => ({ ...r, observedAt: new Date(r.observedAt).toISOString() }))
}

export async function insertProblem(db: Executor, row: { patrolId: number; flagId: number; observedAt: Date }) {
  await db
    .insertInto('patrol_problems')
    .values({ patrol_id: row.patrolId, flag_id: row.flagId, observed_at: row.observedAt })
    .execute()
}

/** The patrols started in a month (in the service's time zone), newest first, with their counts. */
export async function patrolsOfMonth(db: Executor, month: string, timeZone: string, userId: number | null) {
  const { rows } = await sql<{
    id: number
    login: string
    source: 'device' | 'gpx'
    status: 'active' | 'ended'
    started_at: Date
    ended_at: Date | null
    points_kept: number
    check_ins: number
    problems: number
  }>`
    WITH b AS (${monthBounds(month, timeZone)})
    SELECT p.id, u.login, p.source, p.status, p.started_at, p.ended_at,
           (SELECT count(*)::int FROM patrol_points pp WHERE pp.patrol_id = p.id) AS points_kept,
           (SELECT count(*)::int FROM patrol_check_ins c WHERE c.patrol_id = p.id) AS check_ins,
           (SELECT count(*)::int FROM patrol_problems pr WHERE pr.patrol_id = p.id) AS problems
    FROM patrols p JOIN users u ON u.id = p.user_id, b
    WHERE p.started_at >= b.t0 AND p.started_at < b.t1
      ${userId === null ? sql`` : sql`AND p.user_id = ${userId}`}
    ORDER BY p.started_at DESC, p.id DESC`.execute(db)
  return rows
}
