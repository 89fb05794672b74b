// All SQL of the monthly ledgers: entries with what lists show of their measure, line, unit and
// indicator; the versions and evidence of an entry; the officers' units; escalation candidates.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>
export type EntryState = 'draft' | 'submitted' | 'accepted' | 'returned'
export type EntryProgress = 'done' | 'on_track' | 'late' | 'not_started'

export interface EntryFilter {
  ids?: number[]
  /** 'YYYY-MM-01' */
  month?: string
  unitIds?: number[]
  unitCode?: string
  lineCode?: string
  lineCodes?: string[]
  measureId?: number
  states?: EntryState[]
  /** with `now`: only overdue (true) or only not overdue (false) */
  overdue?: boolean
  now?: Date
  limit?: number
  offset?: number
  orderBySubmission?: boolean
}

function entryQuery(db: Executor, f: EntryFilter) {
  let q = db
    .selectFrom('ledger_entries as e')
    .innerJoin('measures as m', 'm.id', 'e.measure_id')
    .innerJoin('plans as p', 'p.id', 'm.plan_id')
    .innerJoin('work_lines as wl', 'wl.code', 'p.line_code')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .innerJoin('units as lu', 'lu.id', 'm.lead_unit_id')
    .innerJoin('indicators as i', 'i.code', 'm.indicator_code')
  if (f.ids) q = q.where('e.id', 'in', f.ids.length ? f.ids : [0])
  if (f.month) q = q.where('e.month', '=', f.month)
  if (f.unitIds) q = q.where('e.unit_id', 'in', f.unitIds.length ? f.unitIds : [0])
  if (f.unitCode) q = q.where('u.code', '=', f.unitCode)
  if (f.lineCode) q = q.where('wl.code', '=', f.lineCode)
  if (f.lineCodes) q = q.where('wl.code', 'in', f.lineCodes.length ? f.lineCodes : [''])
  if (f.measureId) q = q.where('e.measure_id', '=', f.measureId)
  if (f.states) q = q.where('e.state', 'in', f.states)
  if (f.overdue !== undefined && f.now) {
    const now = f.now
    q = q.where((eb) => {
      const overdue = eb.and([eb('e.due_at', '<', now), eb('e.state', 'in', ['draft', 'returned'])])
      return f.overdue ? overdue : eb.not(overdue)
    })
  }
  return q
}

export async function countEntries(db: Executor, f: EntryFilter): Promise<number> {
  const row = await entryQuery(db, f)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function listEntries(db: Executor, f: EntryFilter) {
  let q = entryQuery(db, f)
    .leftJoin('measure_milestones as mm', (j) =>
      j
        .onRef('mm.measure_id', '=', 'e.measure_id')
        .on(sql<number>`extract(month FROM e.month)::int`, '=', sql.ref('mm.month')),
    )
    .leftJoin('users as su', 'su.id', 'e.submitted_by')
    .leftJoin('users as ru', 'ru.id', 'e.reviewed_by')
    .selectAll('e')
    .select([
      sql<string>`to_char(e.month, 'YYYY-MM')`.as('month_key'),
      'u.code as unit_code',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
      'u.kind as unit_kind',
      'wl.code as line_code',
      'wl.name as line_name',
      'wl.name_en as line_name_en',
      'wl.lead_unit_id as line_lead_unit_id',
      'm.code as measure_code',
      'm.title as measure_title',
      'm.title_en as measure_title_en',
      'm.target_value',
      'lu.code as lead_unit_code',
      'i.code as indicator_code',
      'i.name as indicator_name',
      'i.name_en as indicator_name_en',
      'i.unit_of_measure',
      'i.direction',
      'i.min_value',
      'i.max_value',
      'mm.planned_value',
      'su.login as submitted_by_login',
      'ru.login as reviewed_by_login',
      (eb) =>
        eb
          .selectFrom('ledger_evidence as ev')
          .whereRef('ev.entry_id', '=', 'e.id')
          .select((eb2) => eb2.fn.countAll<string>().as('n'))
          .as('evidence_count'),
    ])
  q = f.orderBySubmission
    ? q.orderBy('e.submitted_at').orderBy('e.id')
    : q.orderBy('e.month').orderBy('u.sort_order').orderBy('u.code').orderBy('m.code').orderBy('e.id')
  if (f.limit !== undefined) q = q.limit(f.limit)
  if (f.offset) q = q.offset(f.offset)
  return q.execute()
}
export type EntryRow = Awaited<ReturnType<typeof listEntries>>[number]

/** The entry's row locked for a change (null when there is none). */
export function lockEntry(db: Transaction<DB>, id: number) {
  return db
    .selectFrom('ledger_entries as e')
    .innerJoin('measures as m', 'm.id', 'e.measure_id')
    .innerJoin('plans as p', 'p.id', 'm.plan_id')
    .innerJoin('work_lines as wl', 'wl.code', 'p.line_code')
    .innerJoin('indicators as i', 'i.code', 'm.indicator_code')
    .selectAll('e')
    .select(['wl.lead_unit_id as line_lead_unit_id', 'i.min_value', 'i.max_value', 'i.code as indicator_code'])
    .where('e.id', '=', id)
    .forUpdate('e')
    .executeTakeFirst()
}
export type LockedEntry = NonNullable<Awaited<ReturnType<typeof lockEntry>>>

export interface EntryChange {
  done_value?: number | null
  done_text?: string
  progress?: EntryProgress
  state?: EntryState
  submitted_at?: Date | null
  submitted_by?: number | null
  reviewed_at?: Date | null
  reviewed_by?: number | null
  return_reason?: string | null
  escalation_level?: number
  escalated_at?: Date | null
}

/** Applies a change; `bumpVersion` false for escalation (it changes who watches, not the entry). */
export async function updateEntry(db: Transaction<DB>, id: number, change: EntryChange, now: Date, bumpVersion = true) {
  return db
    .updateTable('ledger_entries')
    .set({ ...change, updated_at: now, ...(bumpVersion ? { version: sql<number>`version + 1` } : {}) })
    .where('id', '=', id)
    .returning(['version', 'state', 'progress', 'done_value', 'done_text'])
    .executeTakeFirstOrThrow()
}

export interface NewVersion {
  entryId: number
  version: number
  action: 'create' | 'save' | 'submit' | 'accept' | 'return' | 'escalate' | 'milestone'
  at: Date
  actorId: number | null
  actorLogin: string
  state: string
  progress: string
  doneValue: number | null
  doneText: string
  reason: string | null
}

export async function insertVersion(db: Transaction<DB>, v: NewVersion) {
  await db
    .insertInto('ledger_entry_versions')
    .values({
      entry_id: v.entryId,
      version: v.version,
      action: v.action,
      at: v.at,
      actor_id: v.actorId,
      actor_login: v.actorLogin,
      state: v.state,
      progress: v.progress,
      done_value: v.doneValue,
      done_text: v.doneText,
      reason: v.reason,
    })
    .execute()
}

/** An escalation is not a new entry version; its row takes the next free number after the last one. */
export async function nextVersionNumber(db: Transaction<DB>, entryId: number): Promise<number> {
  const row = await db
    .selectFrom('ledger_entry_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('entry_id', '=', entryId)
    .executeTakeFirst()
  return Number(row?.v ?? 0) + 1
}

export function versionsOf(db: Executor, entryId: number) {
  return db.selectFrom('ledger_entry_versions').selectAll().where('entry_id', '=', entryId).orderBy('version').execute()
}

export function evidenceOf(db: Executor, entryId: number) {
  return db
    .selectFrom('ledger_evidence as ev')
    .leftJoin('users as us', 'us.id', 'ev.uploaded_by')
    .select([
      'ev.id',
      'ev.version',
      'ev.content_type',
      'ev.size_bytes',
      'ev.sha256',
      'ev.filename',
      'ev.created_at',
      'us.login as uploaded_by_login',
    ])
    .where('ev.entry_id', '=', entryId)
    .orderBy('ev.id')
    .execute()
}

export async function evidenceCount(db: Executor, entryId: number): Promise<number> {
  const row = await db
    .selectFrom('ledger_evidence')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('entry_id', '=', entryId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface NewEvidence {
  entryId: number
  version: number
  contentType: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf'
  sizeBytes: number
  sha256: string
  filename: string | null
  data: Uint8Array
  uploadedBy: number | null
  at: Date
}

export async function insertEvidence(db: Transaction<DB>, files: NewEvidence[]): Promise<number[]> {
  if (files.length === 0) return []
  const rows = await db
    .insertInto('ledger_evidence')
    .values(
      files.map((f) => ({
        entry_id: f.entryId,
        version: f.version,
        content_type: f.contentType,
        size_bytes: f.sizeBytes,
        sha256: f.sha256,
        filename: f.filename,
        data: f.data,
        uploaded_by: f.uploadedBy,
        created_at: f.at,
      })),
    )
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

export function evidenceFile(db: Executor, entryId: number, evidenceId: number) {
  return db
    .selectFrom('ledger_evidence')
    .select(['content_type', 'data', 'filename'])
    .where('entry_id', '=', entryId)
    .where('id', '=', evidenceId)
    .executeTakeFirst()
}

/** The entry's unit and state (for access checks before anything else is read). */
export function entryHead(db: Executor, id: number) {
  return db.selectFrom('ledger_entries').select(['id', 'unit_id', 'state']).where('id', '=', id).executeTakeFirst()
}

export async function unitIdByCode(db: Executor, code: string): Promise<number | null> {
  const row = await db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirst()
  return row?.id ?? null
}

export async function lineExists(db: Executor, code: string): Promise<boolean> {
  return !!(await db.selectFrom('work_lines').select('code').where('code', '=', code).executeTakeFirst())
}

/** Overdue entries (draft or returned, past due) not yet escalated to the level they have reached. */
/** Overdue entries not yet at level 2, with the codes an escalation reports (one query for the whole run). */
export function escalationCandidates(db: Executor, now: Date) {
  return db
    .selectFrom('ledger_entries as e')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .innerJoin('measures as m', 'm.id', 'e.measure_id')
    .innerJoin('plans as p', 'p.id', 'm.plan_id')
    .innerJoin('work_lines as wl', 'wl.code', 'p.line_code')
    .innerJoin('units as lu', 'lu.id', 'wl.lead_unit_id')
    .select([
      'e.id',
      'e.due_at',
      'e.escalation_level',
      'u.code as unit_code',
      'm.code as measure_code',
      'lu.code as lead_unit_code',
    ])
    .where('e.state', 'in', ['draft', 'returned'])
    .where('e.due_at', '<', now)
    .where('e.escalation_level', '<', 2)
    .orderBy('e.due_at')
    .orderBy('e.id')
    .execute()
}

/** Per unit with entries in the month: the counts of GET /api/ledgers/summary. */
export function summaryRows(db: Executor, month: string, now: Date) {
  return db
    .selectFrom('ledger_entries as e')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .where('e.month', '=', month)
    .groupBy(['u.id', 'u.code', 'u.name', 'u.name_en', 'u.kind', 'u.sort_order'])
    .select([
      'u.code',
      'u.name',
      'u.name_en',
      'u.kind',
      sql<string>`count(*)`.as('entries'),
      sql<string>`count(*) FILTER (WHERE e.state IN ('submitted', 'accepted'))`.as('submitted'),
      sql<string>`count(*) FILTER (WHERE e.state IN ('submitted', 'accepted') AND e.submitted_at <= e.due_at)`.as(
        'on_time',
      ),
      sql<string>`count(*) FILTER (WHERE e.state = 'accepted')`.as('accepted'),
      sql<string>`count(*) FILTER (WHERE e.state = 'returned')`.as('returned'),
      sql<string>`count(*) FILTER (WHERE e.state IN ('draft', 'returned') AND e.due_at < ${now})`.as('overdue'),
      sql<Date | null>`min(e.due_at)`.as('due_at'),
    ])
    .orderBy('u.sort_order')
    .orderBy('u.code')
    .execute()
}
