import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB, Role } from '../schema.js'
import { likeContains } from '../like.js'

type Executor = Kysely<DB> | Transaction<DB>

export function insertPerson(
  db: Executor,
  p: { name: string; nameEn?: string | null; phone?: string | null; organisation?: string | null },
) {
  return db
    .insertInto('people')
    .values({ name: p.name, name_en: p.nameEn ?? null, phone: p.phone ?? null, organisation: p.organisation ?? null })
    .returning(['id', 'name', 'name_en', 'phone', 'organisation'])
    .executeTakeFirstOrThrow()
}

export function findPerson(db: Executor, id: number) {
  return db
    .selectFrom('people')
    .select(['id', 'name', 'name_en', 'phone', 'organisation'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export function listPeople(db: Executor, filter: { q?: string; limit: number; offset: number }) {
  let q = db
    .selectFrom('people')
    .select(['id', 'name', 'name_en', 'phone', 'organisation'])
    .orderBy('name')
    .orderBy('id')
  if (filter.q) {
    const text = filter.q
    q = q.where((eb) => eb.or([likeContains('name', text), likeContains('name_en', text, 'ILIKE')]))
  }
  return q.limit(filter.limit).offset(filter.offset).execute()
}

export interface ResponsibilityRow {
  id: number
  person_id: number
  person_name: string
  person_name_en: string | null
  phone: string | null
  organisation: string | null
  cell_id: number
  cell_code: string
  cell_name: string
  cell_level: number
  role: Role
  starts_on: string
  ends_on: string | null
}

const responsibilityColumns = sql`r.id, r.person_id, p.name AS person_name, p.name_en AS person_name_en, p.phone,
  p.organisation, r.cell_id, c.code AS cell_code, c.name AS cell_name, c.level AS cell_level, r.role, r.starts_on, r.ends_on`

/** Responsibilities of cells, current on `at` (or all of them, history included, when at is null). */
export async function responsibilitiesOfCells(
  db: Executor,
  cellIds: number[],
  at: string | null,
): Promise<ResponsibilityRow[]> {
  if (cellIds.length === 0) return []
  const { rows } = await sql<ResponsibilityRow>`
    SELECT ${responsibilityColumns}
    FROM responsibilities r JOIN people p ON p.id = r.person_id JOIN grid_cells c ON c.id = r.cell_id
    WHERE r.cell_id = ANY(${cellIds}::int[])
      AND (${at}::date IS NULL OR (r.starts_on <= ${at}::date AND (r.ends_on IS NULL OR r.ends_on >= ${at}::date)))
    ORDER BY c.level DESC, r.role, r.starts_on DESC, p.name`.execute(db)
  return rows
}

export async function responsibilitiesOfPerson(
  db: Executor,
  personId: number,
  at: string | null,
): Promise<ResponsibilityRow[]> {
  const { rows } = await sql<ResponsibilityRow>`
    SELECT ${responsibilityColumns}
    FROM responsibilities r JOIN people p ON p.id = r.person_id JOIN grid_cells c ON c.id = r.cell_id
    WHERE r.person_id = ${personId} AND c.retired_at IS NULL
      AND (${at}::date IS NULL OR (r.starts_on <= ${at}::date AND (r.ends_on IS NULL OR r.ends_on >= ${at}::date)))
    ORDER BY c.level, c.code, r.starts_on`.execute(db)
  return rows
}

export function findResponsibility(db: Executor, id: number) {
  return db.selectFrom('responsibilities').selectAll().where('id', '=', id).executeTakeFirst()
}

export function insertResponsibility(
  db: Executor,
  r: { personId: number; cellId: number; role: Role; startsOn: string; endsOn: string | null },
) {
  return db
    .insertInto('responsibilities')
    .values({ person_id: r.personId, cell_id: r.cellId, role: r.role, starts_on: r.startsOn, ends_on: r.endsOn })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function endResponsibility(db: Executor, id: number, endsOn: string) {
  return db
    .updateTable('responsibilities')
    .set({ ends_on: endsOn })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function insertResponsibilities(
  db: Executor,
  rows: { personId: number; cellId: number; role: Role; startsOn: string; endsOn: string | null }[],
) {
  if (rows.length === 0) return
  await sql`
    INSERT INTO responsibilities (person_id, cell_id, role, starts_on, ends_on)
    SELECT * FROM unnest(${rows.map((r) => r.personId)}::int[], ${rows.map((r) => r.cellId)}::int[],
      ${rows.map((r) => r.role)}::text[], ${rows.map((r) => r.startsOn)}::date[], ${rows.map((r) => r.endsOn)}::date[])`.execute(
    db,
  )
}

export async function searchPeople(db: Executor, q: string, limit: number) {
  const { rows } = await sql<{ id: number; name: string; name_en: string | null; organisation: string | null }>`
    SELECT id, name, name_en, organisation FROM people
    WHERE ${likeContains('name', q)} OR ${likeContains('name_en', q, 'ILIKE')}
    ORDER BY (name = ${q}) DESC, name, id LIMIT ${limit}`.execute(db)
  return rows
}
