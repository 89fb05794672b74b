// Reading flags: the filtered list with everything the API shows, counts for an inbox, a flag's
// supervisor scope, and the map layer as GeoJSON built in SQL.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB, FlagState, RoutingRule } from '../../db/schema.js'
import { asGeoJSON, envelope, intersects } from '../../db/postgis.js'

type Executor = Kysely<DB> | Transaction<DB>

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
  township_cell_id: number | null
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
  if (f.bbox) where.push(intersects(sql.ref('f.location'), envelope(f.bbox)))
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
           ${asGeoJSON(sql.ref('f.location'))} AS geometry, ST_X(f.anchor) AS lon, ST_Y(f.anchor) AS lat,
           f.unowned, f.routing_rule, f.routed_on::text AS routed_on, f.missing_level,
           c.code AS cell_code, c.name AS cell_name, f.accountable_cell_id, ac.code AS accountable_code, ac.name AS accountable_name,
           f.township_cell_id, tc.code AS township_code, tc.name AS township_name, gp.code AS gap_parent_code,
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

/** The ids of the flags the filter selects, in the list's order (newest first): an export reads them in chunks. */
export async function flagIds(db: Executor, f: FlagFilter): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT f.id FROM flags f ${joins}
    WHERE ${conditions(f)}
    ORDER BY f.created_at DESC, f.id DESC
    LIMIT ${f.limit ?? 100} OFFSET ${f.offset ?? 0}`.execute(db)
  return rows.map((r) => r.id)
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
): Promise<
  | { accountable_cell_id: number | null; escalated_to_cell_id: number | null; township_cell_id: number | null }
  | undefined
> {
  return db
    .selectFrom('flags')
    .select(['accountable_cell_id', 'escalated_to_cell_id', 'township_cell_id'])
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
      'geometry', ${asGeoJSON(sql.ref('s.location'))}::json,
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

/** The township unit whose cell this is (the unit a flag in that township answers to). */
export function unitOfTownshipCell(db: Executor, cellId: number) {
  return db.selectFrom('units').select('id').where('cell_id', '=', cellId).executeTakeFirst()
}

/** The township cells of these units (a unit officer's flag scope). */
export async function townshipCellsOfUnits(db: Executor, unitIds: number[]): Promise<number[]> {
  if (unitIds.length === 0) return []
  const rows = await db
    .selectFrom('units')
    .select('cell_id')
    .where('id', 'in', unitIds)
    .where('cell_id', 'is not', null)
    .execute()
  return rows.map((r) => r.cell_id!)
}
