// Reading flags: the API shape of a flag (with the actions the requesting user may take on it), lists
// with filters, a supervisor's inbox, the map layer and photos.
import type { Kysely } from 'kysely'
import type { Flag, FlagDetail, FlagEventAction, FlagGeometry, FlagList, Inbox } from '../../contract/flags.js'
import type { DB, FlagState } from '../../db/schema.js'
import { notFound } from '../../errors.js'
import { supervisorCellIds } from '../../services/cells.service.js'
import { addDays } from '../../services/dates.js'
import { zonedInstant } from '../../services/working-time.js'
import * as repo from './repository-read.js'
import { unitsOfPerson } from '../units/service.js'
import { assigneesOf, eventsOf } from './repository.js'
import { photoData, photosOf } from './repository-photos.js'
import type { FlagUser } from './settings.js'
import { actionsFor, type FlagViewer } from './workflow.js'
import { FLAG_STATE_COLOURS } from '../../contract/flag-colours.js'

/** Map colours by state, for clients without their own style: the same as the web map's (contract/flag-colours.ts). */
export const STATE_COLORS: Record<FlagState, string> = FLAG_STATE_COLOURS

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null)

/** Who asks, for the per-flag action lists: their role, and a supervisor's cells today; null = anonymous. */
export async function flagViewer(
  db: Kysely<DB>,
  user: Pick<FlagUser, 'id' | 'role' | 'personId'> | null,
  today: string,
): Promise<FlagViewer | null> {
  if (!user) return null
  const cellIds =
    user.role === 'supervisor' && user.personId !== null ? await supervisorCellIds(db, user.personId, today) : null
  const townshipCellIds =
    user.role === 'unit_officer'
      ? new Set(
          user.personId === null ? [] : await repo.townshipCellsOfUnits(db, await unitsOfPerson(db, user.personId)),
        )
      : null
  return {
    userId: user.id,
    role: user.role,
    cellIds: user.role === 'supervisor' ? (cellIds ?? new Set()) : null,
    townshipCellIds,
  }
}

/** The cell a flag is scoped to for supervisors (where it is dispatched); unknown flag: none, so 404 follows. */
export async function flagScopeCell(db: Kysely<DB>, id: number): Promise<number[]> {
  const flag = await repo.flagScopeCells(db, id)
  if (!flag) return []
  // a flag nobody is accountable for is outside every supervisor's cells
  return [flag.accountable_cell_id ?? 0]
}

/** The unit a flag is scoped to for unit officers (its township's); unknown flag: none, so 404 follows. */
export async function flagScopeUnit(db: Kysely<DB>, id: number): Promise<number[]> {
  const flag = await repo.flagScopeCells(db, id)
  if (!flag) return []
  const unit = flag.township_cell_id === null ? undefined : await repo.unitOfTownshipCell(db, flag.township_cell_id)
  // a flag outside every township unit is outside every unit officer's units
  return [unit?.id ?? 0]
}

export function flagToApi(r: repo.FlagRow, viewer: FlagViewer | null): Flag {
  return {
    id: r.id,
    version: r.version,
    category: r.category,
    categoryName: { zh: r.category_zh, en: r.category_en },
    description: r.description,
    state: r.state,
    geometry: JSON.parse(r.geometry) as FlagGeometry,
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
    allowedActions: actionsFor(viewer, {
      state: r.state,
      accountableCellId: r.accountable_cell_id,
      townshipCellId: r.township_cell_id,
      feedbackBy: r.feedback_by,
    }),
  }
}
export type FlagApi = Flag

export async function flagDetail(
  db: Kysely<DB>,
  id: number,
  now: Date,
  contacts: boolean,
  viewer: FlagViewer | null = null,
): Promise<FlagDetail> {
  const [row] = await repo.flagRows(db, { ids: [id], now, limit: 1 })
  if (!row) throw notFound('flag', id)
  const [events, photos, assignees] = await Promise.all([eventsOf(db, id), photosOf(db, id), assigneesOf(db, id)])
  const photoUrl = (photoId: number) => `/api/flags/${id}/photos/${photoId}`
  return {
    ...flagToApi(row, viewer),
    timeline: events.map((e) => ({
      id: e.id,
      at: iso(e.at)!,
      action: e.action as FlagEventAction,
      fromState: e.from_state as FlagState | null,
      toState: e.to_state as FlagState | null,
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

export async function listFlags(
  db: Kysely<DB>,
  q: ListQuery,
  now: Date,
  timeZone: string,
  viewer: FlagViewer | null,
): Promise<FlagList> {
  const filter = toFilter({ ...q, limit: q.limit ?? 100, offset: q.offset ?? 0 }, now, timeZone)
  const rows = await repo.flagRows(db, filter)
  return {
    total: rows[0]?.total ?? 0,
    limit: filter.limit!,
    offset: filter.offset!,
    flags: rows.map((r) => flagToApi(r, viewer)),
  }
}

/** A supervisor's flags: dispatched or escalated to their cells (and below), open ones by default. */
export async function inbox(
  db: Kysely<DB>,
  cellIds: number[],
  q: ListQuery,
  now: Date,
  timeZone: string,
  viewer: FlagViewer | null,
): Promise<Inbox> {
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
  return {
    counts: byState,
    overdue: counts.overdue,
    total: rows[0]?.total ?? 0,
    flags: rows.map((r) => flagToApi(r, viewer)),
  }
}

export function flagMap(db: Kysely<DB>, q: ListQuery, now: Date, timeZone: string) {
  return repo.flagFeatureCollection(db, toFilter({ ...q, limit: q.limit ?? 5000 }, now, timeZone), STATE_COLORS)
}
