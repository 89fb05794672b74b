// Responsible units (townships and county departments), their heads and liaisons, lines of work and
// indicators: all the SQL of those.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface UnitRow {
  id: number
  code: string
  name: string
  name_en: string | null
  kind: 'township' | 'department'
  cell_id: number | null
  cell_code: string | null
  head_person_id: number | null
  head_name: string | null
  sort_order: number
}

function unitQuery(db: Executor) {
  return db
    .selectFrom('units as u')
    .leftJoin('grid_cells as c', 'c.id', 'u.cell_id')
    .leftJoin('people as h', 'h.id', 'u.head_person_id')
    .select([
      'u.id',
      'u.code',
      'u.name',
      'u.name_en',
      'u.kind',
      'u.cell_id',
      'c.code as cell_code',
      'u.head_person_id',
      'h.name as head_name',
      'u.sort_order',
    ])
}

/** Units in the order they are listed: townships first, then departments, each by sort order and code. */
export function listUnits(db: Executor, ids?: number[]): Promise<UnitRow[]> {
  let q = unitQuery(db)
  if (ids) {
    if (ids.length === 0) return Promise.resolve([])
    q = q.where('u.id', 'in', ids)
  }
  return q
    .orderBy(sql`u.kind = 'department'`)
    .orderBy('u.sort_order')
    .orderBy('u.code')
    .execute() as Promise<UnitRow[]>
}

export function findUnitByCode(db: Executor, code: string): Promise<UnitRow | undefined> {
  return unitQuery(db).where('u.code', '=', code).executeTakeFirst() as Promise<UnitRow | undefined>
}

export async function findUnitsByCodes(db: Executor, codes: string[]): Promise<UnitRow[]> {
  if (codes.length === 0) return []
  return unitQuery(db).where('u.code', 'in', codes).execute() as Promise<UnitRow[]>
}

/** Liaisons of these units: unit id → people. */
export async function liaisonsOf(db: Executor, unitIds: number[]) {
  if (unitIds.length === 0) return []
  return db
    .selectFrom('unit_liaisons as l')
    .innerJoin('people as p', 'p.id', 'l.person_id')
    .select(['l.unit_id', 'p.id', 'p.name'])
    .where('l.unit_id', 'in', unitIds)
    .orderBy('p.name')
    .orderBy('p.id')
    .execute()
}

/** The units whose head or one of whose liaisons is this person. */
export async function unitIdsOfPerson(db: Executor, personId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    SELECT id FROM units WHERE head_person_id = ${personId}
    UNION
    SELECT unit_id FROM unit_liaisons WHERE person_id = ${personId}
    ORDER BY 1`.execute(db)
  return rows.map((r) => r.id)
}

export function insertUnit(
  db: Executor,
  u: { code: string; name: string; name_en: string | null; kind: 'township' | 'department'; cell_id: number | null },
  extra: { head_person_id?: number | null; sort_order?: number; created_at: Date },
) {
  return db
    .insertInto('units')
    .values({ ...u, ...extra })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export function updateUnit(
  db: Executor,
  id: number,
  set: { name?: string; name_en?: string | null; head_person_id?: number | null; sort_order?: number },
) {
  if (Object.keys(set).length === 0) return Promise.resolve()
  return db.updateTable('units').set(set).where('id', '=', id).execute()
}

export async function replaceLiaisons(db: Executor, unitId: number, personIds: number[]) {
  await db.deleteFrom('unit_liaisons').where('unit_id', '=', unitId).execute()
  if (personIds.length > 0)
    await db
      .insertInto('unit_liaisons')
      .values(personIds.map((person_id) => ({ unit_id: unitId, person_id })))
      .execute()
}

/** Current level-2 cells (townships) that have no unit yet. */
export function townshipCellsWithoutUnit(db: Executor) {
  return db
    .selectFrom('grid_cells as c')
    .leftJoin('units as u', 'u.cell_id', 'c.id')
    .select(['c.id', 'c.code', 'c.name', 'c.name_en'])
    .where('c.level', '=', 2)
    .where('c.retired_at', 'is', null)
    .where('u.id', 'is', null)
    .orderBy('c.code')
    .execute()
}

/** Whether a unit code is taken (a township whose cell code equals a department's code is skipped). */
export async function unitCodesTaken(db: Executor, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set()
  const rows = await db.selectFrom('units').select('code').where('code', 'in', codes).execute()
  return new Set(rows.map((r) => r.code))
}

export async function countUnits(db: Executor, kind: 'township' | 'department'): Promise<number> {
  const row = await db
    .selectFrom('units')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** People that exist among these ids. */
export async function existingPeople(db: Executor, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set()
  const rows = await db.selectFrom('people').select('id').where('id', 'in', ids).execute()
  return new Set(rows.map((r) => r.id))
}

export function personName(db: Executor, id: number) {
  return db.selectFrom('people').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
}

// ---------------------------------------------------------------- lines

export interface LineRow {
  code: string
  name: string
  name_en: string
  lead_unit_id: number
  sort_order: number
}

export function listLines(db: Executor): Promise<LineRow[]> {
  return db.selectFrom('work_lines').selectAll().orderBy('sort_order').orderBy('code').execute()
}

export function findLine(db: Executor, code: string): Promise<LineRow | undefined> {
  return db.selectFrom('work_lines').selectAll().where('code', '=', code).executeTakeFirst()
}

export async function lineCodesLedBy(
  db: Executor,
  unitIds: number[],
): Promise<{ code: string; lead_unit_id: number }[]> {
  if (unitIds.length === 0) return []
  return db
    .selectFrom('work_lines')
    .select(['code', 'lead_unit_id'])
    .where('lead_unit_id', 'in', unitIds)
    .orderBy('sort_order')
    .orderBy('code')
    .execute()
}

export function upsertLine(db: Executor, line: Omit<LineRow, 'sort_order'> & { sort_order?: number }) {
  const { code: _code, ...update } = line
  return db
    .insertInto('work_lines')
    .values(line)
    .onConflict((oc) => oc.column('code').doUpdateSet(update))
    .execute()
}

// ---------------------------------------------------------------- indicators

export interface IndicatorRow {
  code: string
  name: string
  name_en: string
  unit_of_measure: string
  direction: 'higher_is_better' | 'lower_is_better'
  min_value: number | null
  max_value: number | null
}

export function listIndicators(db: Executor): Promise<IndicatorRow[]> {
  return db.selectFrom('indicators').selectAll().orderBy('code').execute() as Promise<IndicatorRow[]>
}

export function findIndicator(db: Executor, code: string): Promise<IndicatorRow | undefined> {
  return db.selectFrom('indicators').selectAll().where('code', '=', code).executeTakeFirst() as Promise<
    IndicatorRow | undefined
  >
}

export function upsertIndicator(db: Executor, row: IndicatorRow) {
  const { code: _code, ...update } = row
  return db
    .insertInto('indicators')
    .values(row)
    .onConflict((oc) => oc.column('code').doUpdateSet(update))
    .execute()
}
