// Flags, their timeline (events), the people they were dispatched to, categories and the holidays of
// the working calendar. Every timestamp is passed in by the service (its clock), never now().
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB, FlagState, LimitUnit, RoutingRule } from '../schema.js'
import { geomFromGeoJSON } from '../postgis.js'
import type { CoverageScope } from './coverage.repository.js'

type Executor = Kysely<DB> | Transaction<DB>

// ---------------------------------------------------------------- categories and holidays

export interface CategoryRow {
  code: string
  name_zh: string
  name_en: string
  ack_limit: number
  ack_unit: LimitUnit
  complete_limit: number
  complete_unit: LimitUnit
  sort_order: number
  active: boolean
}

export function listCategories(db: Executor) {
  return db.selectFrom('flag_categories').selectAll().orderBy('sort_order').orderBy('code').execute() as Promise<
    CategoryRow[]
  >
}

export function findCategory(db: Executor, code: string) {
  return db.selectFrom('flag_categories').selectAll().where('code', '=', code).executeTakeFirst() as Promise<
    CategoryRow | undefined
  >
}

export function upsertCategory(db: Executor, c: Omit<CategoryRow, 'sort_order'> & { sort_order?: number }) {
  const values = {
    code: c.code,
    name_zh: c.name_zh,
    name_en: c.name_en,
    ack_limit: c.ack_limit,
    ack_unit: c.ack_unit,
    complete_limit: c.complete_limit,
    complete_unit: c.complete_unit,
    active: c.active,
    ...(c.sort_order !== undefined ? { sort_order: c.sort_order } : {}),
  }
  const { code: _code, ...update } = values
  return db
    .insertInto('flag_categories')
    .values(values)
    .onConflict((oc) => oc.column('code').doUpdateSet(update))
    .returningAll()
    .executeTakeFirstOrThrow() as Promise<CategoryRow>
}

export async function listHolidays(db: Executor): Promise<{ day: string; name: string; working: boolean }[]> {
  const { rows } = await sql<{ day: string; name: string; working: boolean }>`
    SELECT day::text AS day, name, working FROM holidays ORDER BY day`.execute(db)
  return rows
}

export function upsertHoliday(db: Executor, h: { day: string; name: string; working: boolean }) {
  return db
    .insertInto('holidays')
    .values(h)
    .onConflict((oc) => oc.column('day').doUpdateSet({ name: h.name, working: h.working }))
    .execute()
}

export function deleteHoliday(db: Executor, day: string) {
  return db.deleteFrom('holidays').where('day', '=', day).returningAll().executeTakeFirst()
}

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

// ---------------------------------------------------------------- reading flags

export interface FlagFilter {
  ids?: number[]
  states?: readonly FlagState[]
  category?: string
  townshipCode?: string
  /** overdue now: not acknowledged past the acknowledgement limit, or not completed past the completion limit */
  overdue?: boolean
  bbox?: readonly [number, number, number, number]
  createdFrom?: Date
  createdBefore?: Date
  reportedBy?: number
  /** flags dispatched or escalated to one of these cells */
  cellIds?: number[]
  now: Date
  limit?: number
  offset?: number
}

export interface FlagRow {
  id: number
  version: number
  category: string
  category_zh: string
  category_en: string
  description: string
  state: FlagState
  geometry: string
  lon: number
  lat: number
  unowned: boolean
  routing_rule: RoutingRule | null
  routed_on: string | null
  missing_level: number | null
  cell_code: string | null
  cell_name: string | null
  accountable_cell_id: number | null
  accountable_code: string | null
  accountable_name: string | null
  township_code: string | null
  township_name: string | null
  gap_parent_code: string | null
  escalated_to_code: string | null
  escalated_to_name: string | null
  reported_by: number | null
  reporter_login: string | null
  reporter_name: string | null
  created_at: Date
  updated_at: Date
  registered_at: Date | null
  rejected_at: Date | null
  dispatched_at: Date | null
  acknowledged_at: Date | null
  feedback_at: Date | null
  feedback_by: number | null
  closed_at: Date | null
  completed_at: Date | null
  ack_due_at: Date | null
  complete_due_at: Date | null
  ack_escalated_at: Date | null
  complete_escalated_at: Date | null
  escalation_level: number
  ack_overdue: boolean
  completion_overdue: boolean
  same_as_reports: number
  total: number
}

const ackOverdue = (now: Date) => sql<boolean>`(f.state = 'dispatched' AND f.ack_due_at < ${now})`
const completionOverdue = (now: Date) =>
  sql<boolean>`(f.state IN ('dispatched', 'in_progress') AND f.complete_due_at < ${now})`

function conditions(f: FlagFilter, options: { ignoreState?: boolean } = {}): RawBuilder<unknown> {
  const where: RawBuilder<unknown>[] = [sql`TRUE`]
  if (f.ids) where.push(sql`f.id = ANY(${f.ids}::int[])`)
  if (f.states && !options.ignoreState) where.push(sql`f.state = ANY(${[...f.states]}::text[])`)
  if (f.category) where.push(sql`f.category = ${f.category}`)
  if (f.townshipCode) where.push(sql`tc.code = ${f.townshipCode}`)
  if (f.overdue !== undefined) where.push(sql`(${ackOverdue(f.now)} OR ${completionOverdue(f.now)}) = ${f.overdue}`)
  if (f.bbox)
    where.push(
      sql`ST_Intersects(f.location, ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326))`,
    )
  if (f.createdFrom) where.push(sql`f.created_at >= ${f.createdFrom}`)
  if (f.createdBefore) where.push(sql`f.created_at < ${f.createdBefore}`)
  if (f.reportedBy !== undefined) where.push(sql`f.reported_by = ${f.reportedBy}`)
  if (f.cellIds) where.push(flagInCells(f.cellIds))
  return sql.join(where, sql` AND `)
}

/** Flags (alias `f`) dispatched or escalated to one of these cells: a supervisor's flags (lists, map, tiles). */
export function flagInCells(cellIds: number[]): RawBuilder<unknown> {
  return sql`(f.accountable_cell_id = ANY(${cellIds}::int[]) OR f.escalated_to_cell_id = ANY(${cellIds}::int[]))`
}

const joins = sql`
  JOIN flag_categories fc ON fc.code = f.category
  LEFT JOIN grid_cells c ON c.id = f.cell_id
  LEFT JOIN grid_cells ac ON ac.id = f.accountable_cell_id
  LEFT JOIN grid_cells tc ON tc.id = f.township_cell_id
  LEFT JOIN grid_cells gp ON gp.id = f.gap_parent_cell_id
  LEFT JOIN grid_cells ec ON ec.id = f.escalated_to_cell_id
  LEFT JOIN users u ON u.id = f.reported_by`

export async function flagRows(db: Executor, f: FlagFilter): Promise<FlagRow[]> {
  const { rows } = await sql<FlagRow>`
    SELECT f.id, f.version, f.category, fc.name_zh AS category_zh, fc.name_en AS category_en, f.description, f.state,
           ST_AsGeoJSON(f.location, 7) AS geometry, ST_X(f.anchor) AS lon, ST_Y(f.anchor) AS lat,
           f.unowned, f.routing_rule, f.routed_on::text AS routed_on, f.missing_level,
           c.code AS cell_code, c.name AS cell_name, f.accountable_cell_id, ac.code AS accountable_code, ac.name AS accountable_name,
           tc.code AS township_code, tc.name AS township_name, gp.code AS gap_parent_code,
           ec.code AS escalated_to_code, ec.name AS escalated_to_name,
           f.reported_by, u.login AS reporter_login, u.display_name AS reporter_name,
           f.created_at, f.updated_at, f.registered_at, f.rejected_at, f.dispatched_at, f.acknowledged_at,
           f.feedback_at, f.feedback_by, f.closed_at, f.completed_at, f.ack_due_at, f.complete_due_at,
           f.ack_escalated_at, f.complete_escalated_at, f.escalation_level,
           ${ackOverdue(f.now)} AS ack_overdue, ${completionOverdue(f.now)} AS completion_overdue,
           (SELECT count(*)::int FROM flag_events e WHERE e.flag_id = f.id AND e.action = 'same_as_report') AS same_as_reports,
           count(*) OVER ()::int AS total
    FROM flags f ${joins}
    WHERE ${conditions(f)}
    ORDER BY f.created_at DESC, f.id DESC
    LIMIT ${f.limit ?? 100} OFFSET ${f.offset ?? 0}`.execute(db)
  return rows
}

/** Counts by state (ignoring any state filter) and how many are overdue now. */
export async function flagCounts(
  db: Executor,
  f: FlagFilter,
): Promise<{ byState: Record<string, number>; overdue: number }> {
  const { rows } = await sql<{ state: string; n: number; overdue: number }>`
    SELECT f.state, count(*)::int AS n, count(*) FILTER (WHERE ${ackOverdue(f.now)} OR ${completionOverdue(f.now)})::int AS overdue
    FROM flags f ${joins}
    WHERE ${conditions(f, { ignoreState: true })}
    GROUP BY f.state`.execute(db)
  return {
    byState: Object.fromEntries(rows.map((r) => [r.state, r.n])),
    overdue: rows.reduce((a, r) => a + r.overdue, 0),
  }
}

/** The cell a flag is scoped to for supervisors: where it was (or would be) dispatched. */
export async function flagScopeCells(
  db: Executor,
  id: number,
): Promise<{ accountable_cell_id: number | null; escalated_to_cell_id: number | null } | undefined> {
  return db
    .selectFrom('flags')
    .select(['accountable_cell_id', 'escalated_to_cell_id'])
    .where('id', '=', id)
    .executeTakeFirst()
}

/**
 * Flags as a GeoJSON FeatureCollection text built in SQL, with the state's colour from `colors`
 * (a state → colour map passed as a parameter).
 */
export async function flagFeatureCollection(
  db: Executor,
  f: FlagFilter,
  colors: Record<string, string>,
): Promise<{ geojson: string; total: number }> {
  const { rows } = await sql<{ fc: string; total: number }>`
    WITH selected AS (
      SELECT f.*, fc.name_zh AS category_zh, fc.name_en AS category_en, c.code AS cell_code, ac.code AS accountable_code,
             tc.code AS township_code, ec.code AS escalated_to_code,
             ${ackOverdue(f.now)} AS ack_overdue, ${completionOverdue(f.now)} AS completion_overdue,
             count(*) OVER () AS total
      FROM flags f ${joins}
      WHERE ${conditions(f)}
      ORDER BY f.created_at DESC, f.id DESC
      LIMIT ${f.limit ?? 5000} OFFSET ${f.offset ?? 0}
    )
    SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
      'type', 'Feature', 'id', s.id,
      'geometry', ST_AsGeoJSON(s.location, 7)::json,
      'properties', json_build_object(
        'id', s.id, 'category', s.category, 'categoryZh', s.category_zh, 'categoryEn', s.category_en,
        'state', s.state, 'color', ${JSON.stringify(colors)}::jsonb ->> s.state,
        'description', s.description, 'unowned', s.unowned, 'routingRule', s.routing_rule,
        'cellCode', s.cell_code, 'accountableCellCode', s.accountable_code, 'townshipCode', s.township_code,
        'missingLevel', s.missing_level, 'escalationLevel', s.escalation_level, 'escalatedToCode', s.escalated_to_code,
        'overdue', s.ack_overdue OR s.completion_overdue,
        'point', json_build_array(ST_X(s.anchor), ST_Y(s.anchor)),
        'createdAt', s.created_at, 'dispatchedAt', s.dispatched_at, 'ackDueAt', s.ack_due_at,
        'completeDueAt', s.complete_due_at, 'closedAt', s.closed_at))
      ORDER BY s.created_at DESC, s.id DESC), '[]'::json))::text AS fc,
      COALESCE(max(s.total), 0)::int AS total
    FROM selected s`.execute(db)
  return { geojson: rows[0]!.fc, total: rows[0]!.total }
}

// ---------------------------------------------------------------- escalation

export interface EscalationCandidate {
  id: number
  limit: 'ack' | 'complete'
}

/** Flags past a limit they have not yet been escalated for, oldest deadline first. */
export async function escalationCandidates(db: Executor, now: Date): Promise<EscalationCandidate[]> {
  const { rows } = await sql<{ id: number; kind: 'ack' | 'complete' }>`
    SELECT id, 'ack'::text AS kind, ack_due_at AS due FROM flags
    WHERE state = 'dispatched' AND ack_due_at < ${now} AND ack_escalated_at IS NULL
    UNION ALL
    SELECT id, 'complete'::text, complete_due_at FROM flags
    WHERE state IN ('dispatched', 'in_progress') AND complete_due_at < ${now} AND complete_escalated_at IS NULL
    ORDER BY due, id, kind`.execute(db)
  return rows.map((r) => ({ id: r.id, limit: r.kind }))
}

// ---------------------------------------------------------------- assessment

export interface AssessmentFlagRow {
  id: number
  state: FlagState
  created_at: Date
  dispatched_at: Date | null
  complete_due_at: Date | null
  completed_at: Date | null
  received: boolean
  registered: boolean
  due: boolean
  first_close: Date | null
  reopened_after_close: boolean
  accountable_cell_id: number | null
  accountable_code: string | null
  accountable_name: string | null
  accountable_level: number | null
  township_cell_id: number | null
  township_code: string | null
  township_name: string | null
}

/**
 * Every flag that counts for the month [start, end): reported in it, registered in it, due in it
 * (completion deadline inside it) or closed (verified) in it, with what the figures need.
 */
export async function assessmentRows(db: Executor, start: Date, end: Date): Promise<AssessmentFlagRow[]> {
  const { rows } = await sql<AssessmentFlagRow>`
    WITH closes AS (
      SELECT flag_id, min(at) AS first_close FROM flag_events
      WHERE action = 'verify' AND at >= ${start} AND at < ${end} GROUP BY flag_id
    ),
    regs AS (
      SELECT DISTINCT flag_id FROM flag_events WHERE action = 'register' AND at >= ${start} AND at < ${end}
    ),
    marked AS (
      SELECT f.*, (f.created_at >= ${start} AND f.created_at < ${end}) AS received,
             (r.flag_id IS NOT NULL) AS registered,
             (f.dispatched_at IS NOT NULL AND f.complete_due_at >= ${start} AND f.complete_due_at < ${end}) AS due,
             cl.first_close
      FROM flags f LEFT JOIN closes cl ON cl.flag_id = f.id LEFT JOIN regs r ON r.flag_id = f.id
    )
    SELECT m.id, m.state, m.created_at, m.dispatched_at, m.complete_due_at, m.completed_at,
           m.received, m.registered, m.due, m.first_close,
           (m.first_close IS NOT NULL AND EXISTS (
             SELECT 1 FROM flag_events x WHERE x.flag_id = m.id AND x.action = 'reopen' AND x.at > m.first_close)) AS reopened_after_close,
           m.accountable_cell_id, ac.code AS accountable_code, ac.name AS accountable_name, ac.level AS accountable_level,
           m.township_cell_id, tc.code AS township_code, tc.name AS township_name
    FROM marked m
    LEFT JOIN grid_cells ac ON ac.id = m.accountable_cell_id
    LEFT JOIN grid_cells tc ON tc.id = m.township_cell_id
    WHERE m.received OR m.registered OR m.due OR m.first_close IS NOT NULL
    ORDER BY m.id`.execute(db)
  return rows
}

/** The people each flag was dispatched to (not escalation), for per-person figures. */
export async function dispatchAssignees(db: Executor, flagIds: number[]) {
  if (flagIds.length === 0) return []
  const { rows } = await sql<{ flag_id: number; person_id: number; name: string }>`
    SELECT DISTINCT a.flag_id, a.person_id, p.name
    FROM flag_assignees a JOIN people p ON p.id = a.person_id
    WHERE a.reason = 'dispatch' AND a.flag_id = ANY(${flagIds}::int[])
    ORDER BY a.flag_id, a.person_id`.execute(db)
  return rows
}

// ---------------------------------------------------------------- coverage

export interface UnownedFlagRow {
  id: number
  category: string
  state: FlagState
  routing_rule: RoutingRule | null
  missing_level: number | null
  gap_parent_code: string | null
  cell_code: string | null
  accountable_code: string | null
  point: [number, number]
  created_at: Date
}

/** Open flags marked unowned (in a gap or a vacant cell) whose point lies in the scope. */
/** `cellIds`: only flags those cells answer for (the same rule as the flag lists and tiles for a supervisor). */
export async function unownedFlagsIn(
  db: Executor,
  scope: CoverageScope,
  openStates: readonly string[],
  cellIds?: number[],
): Promise<UnownedFlagRow[]> {
  const area =
    scope.kind === 'region'
      ? sql`(SELECT boundary FROM regions WHERE id = ${scope.regionId})`
      : sql`(SELECT boundary FROM grid_cells WHERE id = ${scope.cellId})`
  const { rows } = await sql<UnownedFlagRow>`
    SELECT f.id, f.category, f.state, f.routing_rule, f.missing_level, gp.code AS gap_parent_code, c.code AS cell_code,
           ac.code AS accountable_code, ARRAY[ST_X(f.anchor), ST_Y(f.anchor)]::float8[] AS point, f.created_at
    FROM flags f
    LEFT JOIN grid_cells gp ON gp.id = f.gap_parent_cell_id
    LEFT JOIN grid_cells c ON c.id = f.cell_id
    LEFT JOIN grid_cells ac ON ac.id = f.accountable_cell_id
    WHERE f.unowned AND f.state = ANY(${[...openStates]}::text[]) AND ST_Intersects(${area}, f.anchor)
      AND ${cellIds ? flagInCells(cellIds) : sql`true`}
    ORDER BY f.created_at, f.id`.execute(db)
  return rows
}
