// Plans, measures with their responsible units and monthly milestones, and the ledger entries a
// measure creates (one per responsible unit and month of the plan year): all the SQL of those.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface PlanRow {
  id: number
  line_code: string
  year: number
  title: string
  measure_count: number
}

export function listPlans(db: Executor, year?: number): Promise<PlanRow[]> {
  let q = db
    .selectFrom('plans as p')
    .innerJoin('work_lines as l', 'l.code', 'p.line_code')
    .select(['p.id', 'p.line_code', 'p.year', 'p.title'])
    .select(sql<number>`(SELECT count(*) FROM measures m WHERE m.plan_id = p.id)::int`.as('measure_count'))
  if (year !== undefined) q = q.where('p.year', '=', year)
  return q.orderBy('p.year', 'desc').orderBy('l.sort_order').orderBy('p.line_code').execute()
}

export function findPlan(db: Executor, id: number) {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst()
}

export function findPlanOf(db: Executor, lineCode: string, year: number) {
  return db
    .selectFrom('plans')
    .select('id')
    .where('line_code', '=', lineCode)
    .where('year', '=', year)
    .executeTakeFirst()
}

export function insertPlan(db: Executor, p: { line_code: string; year: number; title: string; created_at: Date }) {
  return db.insertInto('plans').values(p).returning('id').executeTakeFirstOrThrow()
}

// ---------------------------------------------------------------- measures

export interface MeasureRow {
  id: number
  plan_id: number
  line_code: string
  year: number
  code: string
  title: string
  title_en: string | null
  lead_unit_id: number
  indicator_code: string
  target_value: number
  responsible_person_id: number
  responsible_name: string
}

function measureQuery(db: Executor) {
  return db
    .selectFrom('measures as m')
    .innerJoin('plans as p', 'p.id', 'm.plan_id')
    .innerJoin('people as r', 'r.id', 'm.responsible_person_id')
    .select([
      'm.id',
      'm.plan_id',
      'p.line_code',
      'p.year',
      'm.code',
      'm.title',
      'm.title_en',
      'm.lead_unit_id',
      'm.indicator_code',
      'm.target_value',
      'm.responsible_person_id',
      'r.name as responsible_name',
    ])
}

export function measuresOfPlan(db: Executor, planId: number): Promise<MeasureRow[]> {
  return measureQuery(db).where('m.plan_id', '=', planId).orderBy('m.code').execute()
}

export function findMeasure(db: Executor, id: number): Promise<MeasureRow | undefined> {
  return measureQuery(db).where('m.id', '=', id).executeTakeFirst()
}

/** The measures of this year that a unit carries out. */
export function measuresOfUnit(db: Executor, unitId: number, year: number): Promise<MeasureRow[]> {
  return measureQuery(db)
    .innerJoin('measure_units as mu', 'mu.measure_id', 'm.id')
    .innerJoin('work_lines as l', 'l.code', 'p.line_code')
    .where('mu.unit_id', '=', unitId)
    .where('p.year', '=', year)
    .orderBy('l.sort_order')
    .orderBy('p.line_code')
    .orderBy('m.code')
    .execute()
}

export function measureCodeTaken(db: Executor, planId: number, code: string) {
  return db
    .selectFrom('measures')
    .select('id')
    .where('plan_id', '=', planId)
    .where('code', '=', code)
    .executeTakeFirst()
}

export function insertMeasure(
  db: Executor,
  m: {
    plan_id: number
    code: string
    title: string
    title_en: string | null
    lead_unit_id: number
    indicator_code: string
    target_value: number
    responsible_person_id: number
    created_at: Date
  },
) {
  return db.insertInto('measures').values(m).returning('id').executeTakeFirstOrThrow()
}

export function updateMeasure(
  db: Executor,
  id: number,
  set: Partial<{
    title: string
    title_en: string | null
    lead_unit_id: number
    target_value: number
    responsible_person_id: number
  }>,
) {
  if (Object.keys(set).length === 0) return Promise.resolve()
  return db.updateTable('measures').set(set).where('id', '=', id).execute()
}

export async function unitsOfMeasures(db: Executor, measureIds: number[]) {
  if (measureIds.length === 0) return []
  return db
    .selectFrom('measure_units as mu')
    .innerJoin('units as u', 'u.id', 'mu.unit_id')
    .select(['mu.measure_id', 'u.id', 'u.code', 'u.name', 'u.name_en', 'u.kind'])
    .where('mu.measure_id', 'in', measureIds)
    .orderBy(sql`u.kind = 'department'`)
    .orderBy('u.sort_order')
    .orderBy('u.code')
    .execute()
}

export async function addMeasureUnits(db: Executor, measureId: number, unitIds: number[]) {
  if (unitIds.length === 0) return
  await db
    .insertInto('measure_units')
    .values(unitIds.map((unit_id) => ({ measure_id: measureId, unit_id })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

// ---------------------------------------------------------------- milestones

export interface MilestoneRow {
  measure_id: number
  month: number
  description: string
  planned_value: number | null
}

export async function milestonesOf(db: Executor, measureIds: number[]): Promise<MilestoneRow[]> {
  if (measureIds.length === 0) return []
  return db
    .selectFrom('measure_milestones')
    .selectAll()
    .where('measure_id', 'in', measureIds)
    .orderBy('measure_id')
    .orderBy('month')
    .execute()
}

export function upsertMilestone(db: Executor, m: MilestoneRow) {
  return db
    .insertInto('measure_milestones')
    .values(m)
    .onConflict((oc) =>
      oc.columns(['measure_id', 'month']).doUpdateSet({ description: m.description, planned_value: m.planned_value }),
    )
    .execute()
}

// ---------------------------------------------------------------- ledger entries

/**
 * One draft ledger entry per unit and month ('YYYY-MM-01' with its due instant) of a measure, with the
 * month's milestone (or ''), and its 'create' version row; entries that exist are left alone.
 * Returns how many were created.
 */
export async function createLedgerEntries(
  db: Executor,
  e: {
    measureId: number
    unitIds: number[]
    months: { month: string; dueAt: Date }[]
    at: Date
    actor: { id: number | null; login: string }
  },
): Promise<number> {
  if (e.unitIds.length === 0 || e.months.length === 0) return 0
  const months = e.months.map((m) => m.month)
  const dues = e.months.map((m) => m.dueAt.toISOString())
  const { rows } = await sql<{ n: number }>`
    WITH created AS (
      INSERT INTO ledger_entries (measure_id, unit_id, month, milestone, due_at, created_at, updated_at)
      SELECT ${e.measureId}, u.unit_id, d.month, COALESCE(ms.description, ''), d.due_at, ${e.at}, ${e.at}
      FROM unnest(${e.unitIds}::int[]) AS u(unit_id)
      CROSS JOIN unnest(${months}::date[], ${dues}::timestamptz[]) AS d(month, due_at)
      LEFT JOIN measure_milestones ms
        ON ms.measure_id = ${e.measureId} AND ms.month = extract(month FROM d.month)
      ON CONFLICT (measure_id, unit_id, month) DO NOTHING
      RETURNING id, version, state, progress, done_value, done_text
    ), versions AS (
      INSERT INTO ledger_entry_versions (entry_id, version, action, at, actor_id, actor_login, state, progress,
                                         done_value, done_text)
      SELECT id, version, 'create', ${e.at}, ${e.actor.id}, ${e.actor.login}, state, progress, done_value, done_text
      FROM created
      RETURNING entry_id
    )
    SELECT count(*)::int AS n FROM versions`.execute(db)
  return rows[0]?.n ?? 0
}

/**
 * A changed milestone reaches the month's entries still in draft (a returned entry was reviewed against
 * its milestone and keeps it): each becomes a new version (so a save made against the old milestone is
 * refused as stale) with a 'milestone' version row. Returns the entries changed, for their audit rows.
 */
export async function setDraftEntriesMilestone(
  db: Executor,
  e: { measureId: number; month: string; milestone: string; at: Date; actor: { id: number | null; login: string } },
): Promise<{ id: number; version: number; before: string }[]> {
  const { rows } = await sql<{ id: number; version: number; before: string }>`
    WITH old AS (
      SELECT id, milestone FROM ledger_entries
      WHERE measure_id = ${e.measureId} AND month = ${e.month}::date AND state = 'draft'
        AND milestone <> ${e.milestone}
      FOR UPDATE
    ), updated AS (
      UPDATE ledger_entries le SET milestone = ${e.milestone}, version = le.version + 1, updated_at = ${e.at}
      FROM old WHERE le.id = old.id
      RETURNING le.id, le.version, le.state, le.progress, le.done_value, le.done_text, old.milestone AS before
    ), versions AS (
      INSERT INTO ledger_entry_versions (entry_id, version, action, at, actor_id, actor_login, state, progress,
                                         done_value, done_text, reason)
      SELECT id, version, 'milestone', ${e.at}, ${e.actor.id}, ${e.actor.login}, state, progress, done_value,
             done_text, ${`milestone: ${e.milestone}`}
      FROM updated
      RETURNING entry_id
    )
    SELECT id, version, before FROM updated ORDER BY id`.execute(db)
  return rows
}
