// Writing flags: locating a new one, inserting it, locking and patching it, its timeline (events) and
// the people it was dispatched to. Every timestamp is passed in by the service (its clock), never now().
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB, FlagState, RoutingRule } from '../../db/schema.js'
import { geomFromGeoJSON } from '../../db/postgis.js'

type Executor = Kysely<DB> | Transaction<DB>

// ---------------------------------------------------------------- locating a new flag

/** A point on the geometry (the point itself for a point) and whether it lies in any region. */
export async function anchorOf(
  db: Executor,
  geojson: string,
): Promise<{ lon: number; lat: number; in_region: boolean }> {
  const { rows } = await sql<{ lon: number; lat: number; in_region: boolean }>`
    WITH g AS (SELECT ST_PointOnSurface(${geomFromGeoJSON(geojson)}) AS p)
    SELECT ST_X(g.p) AS lon, ST_Y(g.p) AS lat,
           EXISTS (SELECT 1 FROM regions r WHERE ST_Intersects(r.boundary, g.p)) AS in_region
    FROM g`.execute(db)
  return rows[0]!
}

export interface DuplicateRow {
  id: number
  category: string
  state: FlagState
  description: string
  created_at: Date
  lon: number
  lat: number
  distance_m: number
}

/** Open flags of a category reported since `since`, within `distanceM` metres of the geometry. */
export async function findDuplicates(
  db: Executor,
  q: { geojson: string; category: string; openStates: readonly string[]; since: Date; until: Date; distanceM: number },
): Promise<DuplicateRow[]> {
  const { rows } = await sql<DuplicateRow>`
    WITH n AS (SELECT ${geomFromGeoJSON(q.geojson)} AS g)
    SELECT f.id, f.category, f.state, f.description, f.created_at, ST_X(f.anchor) AS lon, ST_Y(f.anchor) AS lat,
           ST_Distance(f.location::geography, n.g::geography) AS distance_m
    FROM flags f CROSS JOIN n
    WHERE f.category = ${q.category} AND f.state = ANY(${[...q.openStates]}::text[])
      AND f.created_at >= ${q.since} AND f.created_at <= ${q.until}
      AND ST_DWithin(f.location::geography, n.g::geography, ${q.distanceM})
    ORDER BY distance_m, f.id
    LIMIT 20`.execute(db)
  return rows
}

// ---------------------------------------------------------------- writing flags

export interface RoutingColumns {
  cell_id: number | null
  accountable_cell_id: number | null
  township_cell_id: number | null
  missing_level: number | null
  gap_parent_cell_id: number | null
  routing_rule: RoutingRule
  routed_on: string
  unowned: boolean
}

export async function insertFlag(
  db: Executor,
  f: {
    category: string
    description: string
    geojson: string
    reportedBy: number | null
    at: Date
    routing: RoutingColumns
  },
): Promise<number> {
  const row = await db
    .insertInto('flags')
    .values({
      category: f.category,
      description: f.description,
      location: geomFromGeoJSON(f.geojson) as never,
      state: 'reported',
      reported_by: f.reportedBy,
      created_at: f.at,
      updated_at: f.at,
      ...f.routing,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export interface LockedFlag {
  id: number
  version: number
  state: FlagState
  category: string
  lon: number
  lat: number
  accountable_cell_id: number | null
  escalated_to_cell_id: number | null
  escalation_level: number
  feedback_by: number | null
  feedback_at: Date | null
  dispatched_at: Date | null
  ack_due_at: Date | null
  complete_due_at: Date | null
  ack_escalated_at: Date | null
  complete_escalated_at: Date | null
}

/** The workflow columns of a flag, locked for the rest of the transaction. */
export async function lockFlag(db: Executor, id: number): Promise<LockedFlag | undefined> {
  const { rows } = await sql<LockedFlag>`
    SELECT id, version, state, category, ST_X(anchor) AS lon, ST_Y(anchor) AS lat, accountable_cell_id, escalated_to_cell_id,
           escalation_level, feedback_by, feedback_at, dispatched_at, ack_due_at, complete_due_at,
           ack_escalated_at, complete_escalated_at
    FROM flags WHERE id = ${id} FOR UPDATE`.execute(db)
  return rows[0]
}

export type FlagPatch = Partial<
  RoutingColumns & {
    state: FlagState
    registered_at: Date
    rejected_at: Date
    dispatched_at: Date
    acknowledged_at: Date
    feedback_at: Date
    feedback_by: number | null
    closed_at: Date | null
    completed_at: Date | null
    ack_due_at: Date
    complete_due_at: Date
    ack_escalated_at: Date
    complete_escalated_at: Date
    escalation_level: number
    escalated_to_cell_id: number | null
  }
>

/**
 * Applies a patch if the flag still has `expectedVersion` (bumping it) — or, with expectedVersion
 * null, unconditionally without bumping (system markers such as escalation). False when stale.
 */
export async function updateFlag(
  db: Executor,
  id: number,
  expectedVersion: number | null,
  at: Date,
  patch: FlagPatch,
): Promise<boolean> {
  let q = db
    .updateTable('flags')
    .set({ ...patch, updated_at: at })
    .where('id', '=', id)
  if (expectedVersion !== null) {
    q = q.set((eb) => ({ version: eb('version', '+', 1) })).where('version', '=', expectedVersion)
  }
  const result = await q.executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

// ---------------------------------------------------------------- events and assignees

export interface NewFlagEvent {
  flagId: number
  at: Date
  actor: { id: number | null; login: string }
  action: string
  fromState: string | null
  toState: string | null
  comment?: string | null
  details?: unknown
}

export async function insertEvent(db: Executor, e: NewFlagEvent): Promise<number> {
  const row = await db
    .insertInto('flag_events')
    .values({
      flag_id: e.flagId,
      at: e.at,
      actor_id: e.actor.id,
      actor_login: e.actor.login,
      action: e.action,
      from_state: e.fromState,
      to_state: e.toState,
      comment: e.comment ?? null,
      details: e.details === undefined ? null : JSON.stringify(e.details),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export interface FlagEventRow {
  id: number
  at: Date
  actor_id: number | null
  actor_login: string
  action: string
  from_state: string | null
  to_state: string | null
  comment: string | null
  details: unknown
}

export function eventsOf(db: Executor, flagId: number) {
  return db
    .selectFrom('flag_events')
    .select(['id', 'at', 'actor_id', 'actor_login', 'action', 'from_state', 'to_state', 'comment', 'details'])
    .where('flag_id', '=', flagId)
    .orderBy('at')
    .orderBy('id')
    .execute() as Promise<FlagEventRow[]>
}

export async function insertAssignees(
  db: Executor,
  rows: {
    flagId: number
    personId: number
    cellId: number
    role: string
    reason: 'dispatch' | 'escalation'
    at: Date
  }[],
) {
  if (rows.length === 0) return
  await db
    .insertInto('flag_assignees')
    .values(
      rows.map((r) => ({
        flag_id: r.flagId,
        person_id: r.personId,
        cell_id: r.cellId,
        role: r.role,
        reason: r.reason,
        assigned_at: r.at,
      })),
    )
    .execute()
}

export async function assigneesOf(db: Executor, flagId: number) {
  const { rows } = await sql<{
    person_id: number
    name: string
    name_en: string | null
    phone: string | null
    role: string
    cell_code: string
    cell_name: string
    reason: 'dispatch' | 'escalation'
    assigned_at: Date
  }>`
    SELECT a.person_id, p.name, p.name_en, p.phone, a.role, c.code AS cell_code, c.name AS cell_name, a.reason, a.assigned_at
    FROM flag_assignees a JOIN people p ON p.id = a.person_id JOIN grid_cells c ON c.id = a.cell_id
    WHERE a.flag_id = ${flagId}
    ORDER BY a.assigned_at, a.id`.execute(db)
  return rows
}
