// The bulletin's own reads (everything else comes from the assessment, coverage and continuity
// services): the county's name, the township units, the month's overdue ledger entries and the flags of
// the month not completed by their deadline.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

/** The county: the current top-level cell (the first by code when there are several). */
export async function county(db: Executor): Promise<{ name: string; nameEn: string | null } | null> {
  const row = await db
    .selectFrom('grid_cells')
    .select(['name', 'name_en'])
    .where('parent_id', 'is', null)
    .where('retired_at', 'is', null)
    .orderBy('level')
    .orderBy('code')
    .limit(1)
    .executeTakeFirst()
  return row ? { name: row.name, nameEn: row.name_en } : null
}

export interface TownshipUnitRow {
  code: string
  name: string
  name_en: string | null
  cell_id: number
}

/** Township units whose cell is current, in the county's order. */
export async function townshipUnits(db: Executor): Promise<TownshipUnitRow[]> {
  const rows = await db
    .selectFrom('units as u')
    .innerJoin('grid_cells as c', 'c.id', 'u.cell_id')
    .select(['u.code', 'u.name', 'u.name_en', 'u.cell_id'])
    .where('u.kind', '=', 'township')
    .where('c.retired_at', 'is', null)
    .orderBy('u.sort_order')
    .orderBy('u.code')
    .execute()
  return rows.map((r) => ({ ...r, cell_id: r.cell_id! }))
}

export interface OverdueLedgerRow {
  unit_code: string
  unit_name: string
  unit_name_en: string | null
  unit_kind: 'township' | 'department'
  measure_code: string
  measure_title: string
  measure_title_en: string | null
  due_at: Date
  state: 'draft' | 'returned'
}

/** Entries of the month ('YYYY-MM-01') overdue at `now`: past due and still draft or returned. */
export async function overdueLedgers(db: Executor, monthStart: string, now: Date): Promise<OverdueLedgerRow[]> {
  const rows = await db
    .selectFrom('ledger_entries as e')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .innerJoin('measures as m', 'm.id', 'e.measure_id')
    .select([
      'u.code as unit_code',
      'u.name as unit_name',
      'u.name_en as unit_name_en',
      'u.kind as unit_kind',
      'm.code as measure_code',
      'm.title as measure_title',
      'm.title_en as measure_title_en',
      'e.due_at',
      'e.state',
    ])
    .where('e.month', '=', monthStart)
    .where('e.state', 'in', ['draft', 'returned'])
    .where('e.due_at', '<', now)
    .orderBy('u.kind', 'desc')
    .orderBy('u.sort_order')
    .orderBy('u.code')
    .orderBy('m.code')
    .execute()
  return rows as OverdueLedgerRow[]
}

export interface LateFlagRow {
  id: number
  category_zh: string
  category_en: string
  state: string
  complete_due_at: Date
  township_code: string
  township_name: string
  township_name_en: string | null
}

/**
 * Flags of a township whose completion was due in [start, end) and before `now`, and that were not
 * completed by then (not yet, or late). The township is named by its unit, or by its cell without one.
 */
export async function lateFlags(db: Executor, start: Date, end: Date, now: Date): Promise<LateFlagRow[]> {
  const rows = await db
    .selectFrom('flags as f')
    .innerJoin('grid_cells as c', 'c.id', 'f.township_cell_id')
    .leftJoin('units as u', 'u.cell_id', 'f.township_cell_id')
    .innerJoin('flag_categories as fc', 'fc.code', 'f.category')
    .select([
      'f.id',
      'fc.name_zh as category_zh',
      'fc.name_en as category_en',
      'f.state',
      'f.complete_due_at',
      sql<string>`coalesce(u.code, c.code)`.as('township_code'),
      sql<string>`coalesce(u.name, c.name)`.as('township_name'),
      sql<string | null>`coalesce(u.name_en, c.name_en)`.as('township_name_en'),
    ])
    .where('f.complete_due_at', '>=', start)
    .where('f.complete_due_at', '<', end)
    .where('f.complete_due_at', '<', now)
    .where((eb) => eb.or([eb('f.completed_at', 'is', null), eb('f.completed_at', '>', eb.ref('f.complete_due_at'))]))
    .orderBy('township_code')
    .orderBy('f.complete_due_at')
    .orderBy('f.id')
    .execute()
  return rows.map((r) => ({ ...r, complete_due_at: r.complete_due_at! }))
}

// ---------------------------------------------------------------- the frozen bulletin of a closed month

/** The bulletin written when the month was closed (none for an open month, or one closed before). */
export async function findSnapshot(db: Executor, monthStart: string): Promise<unknown> {
  const row = await db
    .selectFrom('bulletin_snapshots')
    .select('data')
    .where('month', '=', monthStart)
    .executeTakeFirst()
  return row?.data ?? null
}

export async function insertSnapshot(db: Transaction<DB>, monthStart: string, data: unknown, at: Date) {
  await db
    .insertInto('bulletin_snapshots')
    .values({ month: monthStart, data: JSON.stringify(data), created_at: at })
    .execute()
}
