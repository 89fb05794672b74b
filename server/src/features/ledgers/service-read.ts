// Reading the ledgers: lists with filters, an entry with its versions and evidence, the review queue,
// the monthly summary per unit, and evidence files. Who asks decides what they see: a unit officer
// reads every unit's handed-in entries, but another unit's drafts (draft or returned, being edited)
// show no content and their details and evidence are refused — reviewing the entry's line changes
// nothing there: a reviewer judges what was handed in, never work in progress.
import type { Kysely } from 'kysely'
import type {
  LedgerEntry,
  LedgerEntryDetail,
  LedgerList,
  LedgerProgress,
  LedgerListQuery,
  LedgerSummary,
  ReviewQueue,
  ReviewQueueQuery,
} from '../../contract/ledgers.js'
import type { DB, UserRole } from '../../db/schema.js'
import { AppError, forbidden, notFound } from '../../errors.js'
import { linesLedBy, unitsOfPerson } from '../units/service.js'
import * as repo from './repository.js'

/** Who asks, as the ledgers need it. */
export interface LedgerViewer {
  userId: number
  login: string
  role: UserRole
  /** the units the account's person heads or liaises for (unit officers; [] for other roles) */
  unitIds: number[]
  /** lines whose lead unit is one of unitIds (admins review every line: null) */
  reviewLines: string[] | null
}

export async function ledgerViewer(
  db: Kysely<DB>,
  user: { id: number; login: string; role: UserRole; personId: number | null },
): Promise<LedgerViewer> {
  const unitIds = user.role === 'unit_officer' && user.personId ? await unitsOfPerson(db, user.personId) : []
  const reviewLines = user.role === 'admin' ? null : unitIds.length ? await linesLedBy(db, unitIds) : []
  return { userId: user.id, login: user.login, role: user.role, unitIds, reviewLines }
}

const HANDED_IN = new Set(['submitted', 'accepted'])
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null)

export const isOverdue = (e: { state: string; due_at: Date }, now: Date) =>
  !HANDED_IN.has(e.state) && now.getTime() > new Date(e.due_at).getTime()

export const reviewsLine = (v: LedgerViewer, lineCode: string) =>
  v.reviewLines === null || v.reviewLines.includes(lineCode)

/** May this viewer see what an entry says? Unit officers: their own units' entries, and others' once handed in. */
export function seesContent(v: LedgerViewer, e: { unit_id: number; state: string }) {
  if (v.role !== 'unit_officer') return true
  return v.unitIds.includes(e.unit_id) || HANDED_IN.has(e.state)
}

/** May this viewer review the entry: a reviewer of its line, and (unless an admin) not an officer of its unit? */
export const mayReview = (v: LedgerViewer, e: { unit_id: number; line_code: string }) =>
  (v.role === 'admin' || v.role === 'unit_officer') && reviewsLine(v, e.line_code) && !v.unitIds.includes(e.unit_id)

export function entryToApi(e: repo.EntryRow, now: Date, v: LedgerViewer, shown = seesContent(v, e)): LedgerEntry {
  const withheld = !shown
  return {
    id: e.id,
    month: e.month_key,
    unit: { code: e.unit_code, name: e.unit_name, nameEn: e.unit_name_en, kind: e.unit_kind },
    line: { code: e.line_code, name: e.line_name, nameEn: e.line_name_en },
    measure: {
      id: e.measure_id,
      code: e.measure_code,
      title: e.measure_title,
      titleEn: e.measure_title_en,
      targetValue: Number(e.target_value),
      leadUnitCode: e.lead_unit_code,
      indicator: {
        code: e.indicator_code,
        name: e.indicator_name,
        nameEn: e.indicator_name_en,
        unitOfMeasure: e.unit_of_measure,
        direction: e.direction,
        minValue: num(e.min_value),
        maxValue: num(e.max_value),
      },
    },
    milestone: e.milestone,
    plannedValue: num(e.planned_value),
    doneValue: withheld ? null : num(e.done_value),
    doneText: withheld ? '' : e.done_text,
    progress: withheld ? null : e.progress,
    state: e.state,
    version: e.version,
    dueAt: iso(e.due_at)!,
    submittedAt: iso(e.submitted_at),
    submittedBy: e.submitted_by_login ?? null,
    reviewedAt: iso(e.reviewed_at),
    reviewedBy: e.reviewed_by_login ?? null,
    returnReason: e.return_reason,
    overdue: isOverdue(e, now),
    onTime: HANDED_IN.has(e.state) && !!e.submitted_at && e.submitted_at.getTime() <= e.due_at.getTime(),
    escalationLevel: e.escalation_level,
    escalatedAt: iso(e.escalated_at),
    evidenceCount: withheld ? null : Number(e.evidence_count ?? 0),
    withheld,
    updatedAt: iso(e.updated_at)!,
  }
}

const monthStart = (month: string) => `${month}-01`

async function resolveFilters(db: Kysely<DB>, q: { unit?: string; line?: string }) {
  if (q.unit !== undefined && (await repo.unitIdByCode(db, q.unit)) === null) throw notFound('unit', q.unit)
  if (q.line !== undefined && !(await repo.lineExists(db, q.line))) throw notFound('line of work', q.line)
}

export async function listLedgerEntries(
  db: Kysely<DB>,
  q: LedgerListQuery,
  now: Date,
  v: LedgerViewer,
): Promise<LedgerList> {
  await resolveFilters(db, q)
  // a unit officer's list defaults to their own units
  const own = v.role === 'unit_officer' && q.unit === undefined && !q.all
  const filter: repo.EntryFilter = {
    month: q.month ? monthStart(q.month) : undefined,
    unitCode: q.unit,
    unitIds: own ? v.unitIds : undefined,
    lineCode: q.line,
    measureId: q.measure,
    states: q.state ? [q.state] : undefined,
    overdue: q.overdue,
    now,
  }
  const [total, rows] = await Promise.all([
    repo.countEntries(db, filter),
    repo.listEntries(db, { ...filter, limit: q.limit ?? 200, offset: q.offset ?? 0 }),
  ])
  return { total, entries: rows.map((r) => entryToApi(r, now, v)) }
}

async function entryRow(db: Kysely<DB>, id: number) {
  const [row] = await repo.listEntries(db, { ids: [id] })
  if (!row) throw notFound('ledger entry', id)
  return row
}

export async function ledgerEntryDetail(
  db: Kysely<DB>,
  id: number,
  now: Date,
  v: LedgerViewer,
  /** the version a reviewer just returned it at: they are answered with what they judged, unless it changed since */
  returnedAtVersion?: number,
): Promise<LedgerEntryDetail> {
  const row = await entryRow(db, id)
  const justReturned = returnedAtVersion !== undefined && row.version === returnedAtVersion
  if (!justReturned && !seesContent(v, row))
    throw forbidden(
      `entry ${id} is a draft of unit ${row.unit_code} (${row.state}); only its own officers read it before it is handed in`,
    )
  const [versions, evidence] = await Promise.all([repo.versionsOf(db, id), repo.evidenceOf(db, id)])
  const entry = entryToApi(row, now, v, justReturned || undefined)
  const editable = row.state === 'draft' || row.state === 'returned'
  return {
    ...entry,
    progress: row.progress,
    evidenceCount: evidence.length,
    versions: versions.map((r) => ({
      version: r.version,
      action: r.action,
      at: iso(r.at)!,
      actorLogin: r.actor_login,
      state: r.state as LedgerEntry['state'],
      progress: r.progress as LedgerProgress,
      doneValue: num(r.done_value),
      doneText: r.done_text,
      reason: r.reason,
    })),
    evidence: evidence.map((r) => ({
      id: r.id,
      version: r.version,
      contentType: r.content_type,
      sizeBytes: r.size_bytes,
      sha256: r.sha256,
      filename: r.filename,
      uploadedBy: r.uploaded_by_login ?? null,
      createdAt: iso(r.created_at)!,
    })),
    can: {
      edit: editable && v.role === 'unit_officer' && v.unitIds.includes(row.unit_id),
      review: row.state === 'submitted' && mayReview(v, row) && row.submitted_by !== v.userId,
    },
  }
}

/**
 * Submitted entries of the lines the viewer reviews, oldest submission first; their own submissions
 * and (for a unit officer) their own units' entries left out — the county office reviews those.
 */
export async function reviewQueue(
  db: Kysely<DB>,
  q: ReviewQueueQuery,
  now: Date,
  v: LedgerViewer,
): Promise<ReviewQueue> {
  await resolveFilters(db, q)
  if (v.role !== 'admin' && v.role !== 'unit_officer') throw forbidden('only reviewers of a line have a review queue')
  const rows = await repo.listEntries(db, {
    month: q.month ? monthStart(q.month) : undefined,
    lineCode: q.line,
    lineCodes: v.reviewLines ?? undefined,
    states: ['submitted'],
    orderBySubmission: true,
  })
  return {
    entries: rows.filter((r) => r.submitted_by !== v.userId && mayReview(v, r)).map((r) => entryToApi(r, now, v)),
  }
}

/** GET /api/ledgers/summary: per unit with entries in the month. Used by the assessment and the bulletin. */
export async function ledgerSummary(db: Kysely<DB>, month: string, now: Date = new Date()): Promise<LedgerSummary> {
  const rows = await repo.summaryRows(db, monthStart(month), now)
  const dues = rows.map((r) => r.due_at).filter((d): d is Date => d !== null)
  return {
    month,
    dueAt: dues.length ? new Date(Math.min(...dues.map((d) => new Date(d).getTime()))).toISOString() : null,
    units: rows.map((r) => ({
      unit: { code: r.code, name: r.name, nameEn: r.name_en, kind: r.kind },
      entries: Number(r.entries),
      submitted: Number(r.submitted),
      onTime: Number(r.on_time),
      accepted: Number(r.accepted),
      returned: Number(r.returned),
      overdue: Number(r.overdue),
    })),
  }
}

/** The unit an entry's officer acts for (unit officers' access scope); none for an unknown entry, so 404 follows. */
export async function entryUnitScope(db: Kysely<DB>, id: number): Promise<number[]> {
  const head = await repo.entryHead(db, id)
  return head ? [head.unit_id] : []
}

/**
 * An evidence file. Unit officers of other units are refused, except reviewers of the entry's line
 * once the entry is handed in (submitted or accepted): they judge it by its evidence.
 */
export async function ledgerEvidenceFile(db: Kysely<DB>, id: number, evidenceId: number, v: LedgerViewer) {
  const row = await entryRow(db, id)
  const ownUnit = v.unitIds.includes(row.unit_id)
  if (v.role === 'unit_officer' && !ownUnit && !(reviewsLine(v, row.line_code) && HANDED_IN.has(row.state)))
    throw forbidden(
      `evidence of unit ${row.unit_code} is read by its own officers, and by its line's reviewers once handed in (entry ${id} is ${row.state})`,
    )
  const file = await repo.evidenceFile(db, id, evidenceId)
  if (!file) throw new AppError(404, 'not_found', `entry ${id} has no evidence ${evidenceId}`, { id, evidenceId })
  return { contentType: file.content_type, data: Buffer.from(file.data), filename: file.filename }
}
