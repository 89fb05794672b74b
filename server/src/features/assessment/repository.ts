// The assessment's tables: the yearly scheme, environmental figures, and the frozen rows of closed months.
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface UnitRow {
  id: number
  code: string
  name: string
  name_en: string | null
  kind: 'township' | 'department'
  cell_id: number | null
}

export function listUnits(db: Executor): Promise<UnitRow[]> {
  return db
    .selectFrom('units')
    .select(['id', 'code', 'name', 'name_en', 'kind', 'cell_id'])
    .orderBy('sort_order')
    .orderBy('code')
    .execute() as Promise<UnitRow[]>
}

export function findUnitsByCode(db: Executor, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([] as UnitRow[])
  return db
    .selectFrom('units')
    .select(['id', 'code', 'name', 'name_en', 'kind', 'cell_id'])
    .where('code', 'in', codes)
    .execute() as Promise<UnitRow[]>
}

// ---------------------------------------------------------------- the scheme

export function findScheme(db: Executor, year: number) {
  return db.selectFrom('assessment_schemes').selectAll().where('year', '=', year).executeTakeFirst()
}

export function schemeIndicators(db: Executor, year: number) {
  return db
    .selectFrom('assessment_indicators')
    .selectAll()
    .where('year', '=', year)
    .orderBy('sort_order')
    .orderBy('code')
    .execute()
}

export interface SchemeIndicatorValues {
  code: string
  kind: DB['assessment_indicators']['kind']
  name: string
  name_en: string
  weight: number
  applies_to: 'township' | 'department' | 'all'
  indicator_code: string | null
  sort_order: number
}

/** Replaces the year's scheme (its list sizes and all its indicators). */
export async function replaceScheme(
  db: Transaction<DB>,
  year: number,
  sizes: { red: number; black: number },
  indicators: SchemeIndicatorValues[],
  at: Date,
) {
  await db
    .insertInto('assessment_schemes')
    .values({ year, red_list_size: sizes.red, black_list_size: sizes.black, updated_at: at })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet({ red_list_size: sizes.red, black_list_size: sizes.black, updated_at: at }),
    )
    .execute()
  await db.deleteFrom('assessment_indicators').where('year', '=', year).execute()
  if (indicators.length > 0)
    await db
      .insertInto('assessment_indicators')
      .values(indicators.map((i) => ({ ...i, year })))
      .execute()
  return true
}

export function findIndicators(db: Executor, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([])
  return db
    .selectFrom('indicators')
    .select(['code', 'direction', 'min_value', 'max_value', 'name', 'unit_of_measure'])
    .where('code', 'in', codes)
    .execute()
}

// ---------------------------------------------------------------- environmental figures

export function listFigures(db: Executor, filter: { from?: string; to?: string; unitId?: number }) {
  let q = db
    .selectFrom('environment_figures as f')
    .innerJoin('units as u', 'u.id', 'f.unit_id')
    .select([
      'u.code as unit_code',
      'u.name as unit_name',
      'f.unit_id',
      'f.month',
      'f.indicator_code',
      'f.value',
      'f.source',
      'f.entered_at',
    ])
  if (filter.from) q = q.where('f.month', '>=', filter.from)
  if (filter.to) q = q.where('f.month', '<=', filter.to)
  if (filter.unitId !== undefined) q = q.where('f.unit_id', '=', filter.unitId)
  return q.orderBy('f.month').orderBy('u.sort_order').orderBy('u.code').orderBy('f.indicator_code').execute()
}

export interface FigureValues {
  unit_id: number
  month: string
  indicator_code: string
  value: number
  source: string
}

export function figuresAt(db: Executor, keys: FigureValues[]) {
  if (keys.length === 0) return Promise.resolve([])
  return db
    .selectFrom('environment_figures')
    .selectAll()
    .where((eb) =>
      eb.or(
        keys.map((k) =>
          eb.and([
            eb('unit_id', '=', k.unit_id),
            eb('month', '=', k.month),
            eb('indicator_code', '=', k.indicator_code),
          ]),
        ),
      ),
    )
    .execute()
}

export function upsertFigures(db: Transaction<DB>, rows: FigureValues[], by: number | null, at: Date) {
  return db
    .insertInto('environment_figures')
    .values(rows.map((r) => ({ ...r, entered_by: by, entered_at: at })))
    .onConflict((oc) =>
      oc.columns(['unit_id', 'month', 'indicator_code']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        source: eb.ref('excluded.source'),
        entered_by: eb.ref('excluded.entered_by'),
        entered_at: eb.ref('excluded.entered_at'),
      })),
    )
    .execute()
}

// ---------------------------------------------------------------- closed months

export function findClosedMonth(db: Executor, monthStart: string) {
  return db.selectFrom('assessment_months').selectAll().where('month', '=', monthStart).executeTakeFirst()
}

export function closedMonthsBetween(db: Executor, from: string, to: string) {
  return db.selectFrom('assessment_months').selectAll().where('month', '>=', from).where('month', '<=', to).execute()
}

/** A closed month's scores, with the unit's names as they were at closing (rows closed before the names
 * were kept show the current ones). */
export function frozenScores(db: Executor, monthStart: string) {
  return db
    .selectFrom('assessment_scores as s')
    .innerJoin('units as u', 'u.id', 's.unit_id')
    .select((eb) => [
      's.unit_id',
      's.peer_group',
      's.score',
      's.rank',
      's.previous_score',
      's.previous_rank',
      'u.code',
      eb.fn.coalesce('s.unit_name', 'u.name').as('name'),
      eb
        .case()
        .when('s.unit_name', 'is', null)
        .then(eb.ref('u.name_en'))
        .else(eb.ref('s.unit_name_en'))
        .end()
        .as('name_en'),
      'u.sort_order',
    ])
    .where('s.month', '=', monthStart)
    .orderBy('u.sort_order')
    .orderBy('u.code')
    .execute()
}

export function frozenParts(db: Executor, monthStart: string, unitId?: number) {
  let q = db.selectFrom('assessment_score_parts').selectAll().where('month', '=', monthStart)
  if (unitId !== undefined) q = q.where('unit_id', '=', unitId)
  return q.orderBy('unit_id').orderBy('position').execute()
}

export interface FrozenScore {
  unit_id: number
  peer_group: 'township' | 'department'
  score: number | null
  rank: number | null
  previous_score: number | null
  previous_rank: number | null
  unit_name: string
  unit_name_en: string | null
}
export interface FrozenPart {
  unit_id: number
  indicator_code: string
  kind: string
  name: string
  name_en: string
  raw_value: number | null
  score: number | null
  weight: number
  position: number
  details: unknown[]
}

export async function insertClosedMonth(
  db: Transaction<DB>,
  monthStart: string,
  closed: { at: Date; by: number | null; redListSize: number; blackListSize: number },
  scores: FrozenScore[],
  parts: FrozenPart[],
): Promise<boolean> {
  const inserted = await db
    .insertInto('assessment_months')
    .values({
      month: monthStart,
      closed_at: closed.at,
      closed_by: closed.by,
      red_list_size: closed.redListSize,
      black_list_size: closed.blackListSize,
    })
    .onConflict((oc) => oc.column('month').doNothing())
    .returning('month')
    .executeTakeFirst()
  // closed meanwhile by another request
  if (!inserted) return false
  if (scores.length > 0)
    await db
      .insertInto('assessment_scores')
      .values(scores.map((s) => ({ ...s, month: monthStart })))
      .execute()
  // in slices: a county's parts carry their drill-down rows
  for (let i = 0; i < parts.length; i += 200)
    await db
      .insertInto('assessment_score_parts')
      .values(parts.slice(i, i + 200).map((p) => ({ ...p, month: monthStart, details: JSON.stringify(p.details) })))
      .execute()
  return true
}
