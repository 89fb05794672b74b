// Reading flags: the API shape of a flag, lists with filters, a supervisor's inbox, the map layer,
// photos, exports (CSV, GeoJSON) and the monthly assessment.
import type { Kysely } from 'kysely'
import type { DB, FlagState } from '../db/schema.js'
import * as repo from '../db/repositories/flags.repository.js'
import { photoData, photosOf } from '../db/repositories/flag-photos.repository.js'
import { notFound } from '../errors.js'
import { groupFigures, figuresOf, rank, type AssessmentFact } from './flags-assessment.js'
import { allowedActions } from './flags-workflow.js'
import { addDays } from './dates.js'
import { monthRange, zonedInstant } from './working-time.js'
import { flagsCsv } from './flags-csv.js'

/** Map colours by state, for clients without their own style (the web theme may use its own). */
export const STATE_COLORS: Record<FlagState, string> = {
  reported: '#9e9e9e',
  registered: '#78909c',
  rejected: '#bdbdbd',
  dispatched: '#e53935',
  in_progress: '#fb8c00',
  feedback: '#fdd835',
  closed: '#43a047',
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null)

export function flagToApi(r: repo.FlagRow) {
  return {
    id: r.id,
    version: r.version,
    category: r.category,
    categoryName: { zh: r.category_zh, en: r.category_en },
    description: r.description,
    state: r.state,
    geometry: JSON.parse(r.geometry) as unknown,
    point: [r.lon, r.lat],
    unowned: r.unowned,
    routing: {
      rule: r.routing_rule,
      routedOn: r.routed_on,
      cellCode: r.cell_code,
      cellName: r.cell_name,
      accountableCellCode: r.accountable_code,
      accountableCellName: r.accountable_name,
      townshipCode: r.township_code,
      townshipName: r.township_name,
      missingLevel: r.missing_level,
      gapParentCode: r.gap_parent_code,
    },
    reportedBy:
      r.reported_by === null ? null : { id: r.reported_by, login: r.reporter_login, displayName: r.reporter_name },
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    registeredAt: iso(r.registered_at),
    rejectedAt: iso(r.rejected_at),
    dispatchedAt: iso(r.dispatched_at),
    acknowledgedAt: iso(r.acknowledged_at),
    feedbackAt: iso(r.feedback_at),
    closedAt: iso(r.closed_at),
    completedAt: iso(r.completed_at),
    ackDueAt: iso(r.ack_due_at),
    completeDueAt: iso(r.complete_due_at),
    overdue: { ack: r.ack_overdue, completion: r.completion_overdue, any: r.ack_overdue || r.completion_overdue },
    escalationLevel: r.escalation_level,
    escalatedTo: r.escalated_to_code ? { code: r.escalated_to_code, name: r.escalated_to_name } : null,
    ackEscalatedAt: iso(r.ack_escalated_at),
    completeEscalatedAt: iso(r.complete_escalated_at),
    sameAsReports: r.same_as_reports,
    allowedActions: allowedActions(r.state),
  }
}
export type FlagApi = ReturnType<typeof flagToApi>

export async function flagDetail(db: Kysely<DB>, id: number, now: Date, contacts: boolean) {
  const [row] = await repo.flagRows(db, { ids: [id], now, limit: 1 })
  if (!row) throw notFound('flag', id)
  const [events, photos, assignees] = await Promise.all([
    repo.eventsOf(db, id),
    photosOf(db, id),
    repo.assigneesOf(db, id),
  ])
  const photoUrl = (photoId: number) => `/api/flags/${id}/photos/${photoId}`
  return {
    ...flagToApi(row),
    timeline: events.map((e) => ({
      id: e.id,
      at: iso(e.at)!,
      action: e.action,
      fromState: e.from_state,
      toState: e.to_state,
      actor: { id: e.actor_id, login: e.actor_login },
      comment: e.comment,
      details: e.details ?? null,
      photoIds: photos.filter((p) => p.event_id === e.id).map((p) => p.id),
    })),
    photos: photos.map((p) => ({
      id: p.id,
      eventId: p.event_id,
      contentType: p.content_type,
      sizeBytes: p.size_bytes,
      filename: p.filename,
      createdAt: iso(p.created_at)!,
      url: photoUrl(p.id),
    })),
    assignees: assignees.map((a) => ({
      personId: a.person_id,
      name: a.name,
      nameEn: a.name_en,
      phone: contacts ? a.phone : null,
      role: a.role,
      cellCode: a.cell_code,
      cellName: a.cell_name,
      reason: a.reason,
      assignedAt: iso(a.assigned_at)!,
    })),
  }
}

export async function flagPhoto(db: Kysely<DB>, flagId: number, photoId: number) {
  const photo = await photoData(db, flagId, photoId)
  if (!photo) throw notFound('photo', `${flagId}/${photoId}`)
  return { contentType: photo.content_type, data: Buffer.from(photo.data), filename: photo.filename }
}

export interface ListQuery {
  state?: FlagState[]
  category?: string
  township?: string
  overdue?: boolean
  bbox?: [number, number, number, number]
  /** YYYY-MM-DD, inclusive, days in the service time zone */
  from?: string
  to?: string
  reportedBy?: number
  cellIds?: number[]
  limit?: number
  offset?: number
}

export function toFilter(q: ListQuery, now: Date, timeZone: string): repo.FlagFilter {
  return {
    states: q.state,
    category: q.category,
    townshipCode: q.township,
    overdue: q.overdue,
    bbox: q.bbox,
    createdFrom: q.from ? zonedInstant(q.from, 0, timeZone) : undefined,
    createdBefore: q.to ? zonedInstant(addDays(q.to, 1), 0, timeZone) : undefined,
    reportedBy: q.reportedBy,
    cellIds: q.cellIds,
    now,
    limit: q.limit,
    offset: q.offset,
  }
}

export async function listFlags(db: Kysely<DB>, q: ListQuery, now: Date, timeZone: string) {
  const filter = toFilter({ ...q, limit: q.limit ?? 100, offset: q.offset ?? 0 }, now, timeZone)
  const rows = await repo.flagRows(db, filter)
  return { total: rows[0]?.total ?? 0, limit: filter.limit!, offset: filter.offset!, flags: rows.map(flagToApi) }
}

/** A supervisor's flags: dispatched or escalated to their cells (and below), open ones by default. */
export async function inbox(db: Kysely<DB>, cellIds: number[], q: ListQuery, now: Date, timeZone: string) {
  const filter = toFilter(
    {
      ...q,
      limit: q.limit ?? 100,
      offset: q.offset ?? 0,
      state: q.state ?? ['dispatched', 'in_progress', 'feedback'],
      cellIds,
    },
    now,
    timeZone,
  )
  const [rows, counts] = await Promise.all([repo.flagRows(db, filter), repo.flagCounts(db, filter)])
  const byState = Object.fromEntries(
    (['dispatched', 'in_progress', 'feedback', 'closed'] as const).map((s) => [s, counts.byState[s] ?? 0]),
  ) as Record<'dispatched' | 'in_progress' | 'feedback' | 'closed', number>
  return { counts: byState, overdue: counts.overdue, total: rows[0]?.total ?? 0, flags: rows.map(flagToApi) }
}

export function flagMap(db: Kysely<DB>, q: ListQuery, now: Date, timeZone: string) {
  return repo.flagFeatureCollection(db, toFilter({ ...q, limit: q.limit ?? 5000 }, now, timeZone), STATE_COLORS)
}

// ---------------------------------------------------------------- export

export const EXPORT_LIMIT = 100_000

export async function exportFlags(
  db: Kysely<DB>,
  format: 'csv' | 'geojson',
  q: ListQuery,
  now: Date,
  timeZone: string,
) {
  if (format === 'geojson') {
    const { geojson } = await repo.flagFeatureCollection(
      db,
      toFilter({ ...q, limit: EXPORT_LIMIT, offset: 0 }, now, timeZone),
      STATE_COLORS,
    )
    return { contentType: 'application/geo+json; charset=utf-8', filename: 'flags.geojson', body: geojson }
  }
  const rows = await repo.flagRows(db, toFilter({ ...q, limit: EXPORT_LIMIT, offset: 0 }, now, timeZone))
  return { contentType: 'text/csv; charset=utf-8', filename: 'flags.csv', body: flagsCsv(rows.map(flagToApi)) }
}

// ---------------------------------------------------------------- assessment

export type AssessmentBy = 'cell' | 'township' | 'person'

export const ASSESSMENT_DEFINITIONS = {
  month: 'calendar month in the service time zone',
  received: 'flags reported in the month',
  registered: 'flags registered in the month',
  due: 'flags dispatched whose completion deadline falls in the month',
  dueClosed: 'of the due flags, those closed now',
  dueClosedOnTime: 'of those, the ones whose verified feedback was given by the completion deadline',
  closureRate: 'dueClosed / due',
  onTimeClosureRate: 'dueClosedOnTime / due',
  closed: 'flags verified (closed) in the month',
  meanHoursToClose: 'mean wall-clock hours from dispatch to the first close in the month, over the closed flags',
  reopenRate: 'of the flags closed in the month, the share reopened after that close',
  cell: 'the cell the flag was dispatched to (after the fallback rule)',
  township: 'the level-2 cell whose territory holds the flag',
  person: 'each person the flag was dispatched to (responsible for the dispatched cell at dispatch)',
}

export async function assessment(db: Kysely<DB>, month: string, by: AssessmentBy, now: Date, timeZone: string) {
  const { start, end } = monthRange(month, timeZone)
  const rows = await repo.assessmentRows(db, start, end)
  const fact = (r: repo.AssessmentFlagRow, key: string, code: string | null, name: string | null): AssessmentFact => ({
    flagId: r.id,
    key,
    code,
    name,
    received: r.received,
    registered: r.registered,
    due: r.due,
    closedNow: r.state === 'closed',
    closedOnTime:
      r.state === 'closed' &&
      r.completed_at !== null &&
      r.complete_due_at !== null &&
      r.completed_at <= r.complete_due_at,
    dispatchedAt: r.dispatched_at,
    firstCloseInMonth: r.first_close,
    reopenedAfterClose: r.reopened_after_close,
  })
  const township = (r: repo.AssessmentFlagRow) => fact(r, r.township_code ?? '-', r.township_code, r.township_name)
  let facts: AssessmentFact[]
  if (by === 'cell') {
    facts = rows.map((r) => fact(r, r.accountable_code ?? '-', r.accountable_code, r.accountable_name))
  } else if (by === 'township') {
    facts = rows.map(township)
  } else {
    const people = await repo.dispatchAssignees(
      db,
      rows.map((r) => r.id),
    )
    const byId = new Map(rows.map((r) => [r.id, r]))
    facts = people.map((p) => fact(byId.get(p.flag_id)!, String(p.person_id), String(p.person_id), p.name))
  }
  const townshipGroups = groupFigures(rows.filter((r) => r.township_code !== null).map(township))
  return {
    month,
    by,
    timeZone,
    computedAt: now.toISOString(),
    definitions: ASSESSMENT_DEFINITIONS,
    totals: figuresOf(rows.map((r) => fact(r, 'all', null, null))),
    rows: groupFigures(facts),
    townshipRanking: rank(townshipGroups),
  }
}
