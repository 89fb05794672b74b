// Flag categories (with their acknowledgement and completion limits) and the holidays of the working
// calendar.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB, LimitUnit } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

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
