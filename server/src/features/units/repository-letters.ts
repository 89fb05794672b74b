// Target responsibility letters (目标责任书) with their targets and signed scans, and the figures the
// progress against their targets is read from: all the SQL of those.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface LetterRow {
  id: number
  unit_id: number
  year: number
  signed_on: string | null
  unit_signatory_person_id: number | null
  unit_signatory_name: string | null
  county_signatory_person_id: number | null
  county_signatory_name: string | null
  version: number
}

function letterQuery(db: Executor) {
  return db
    .selectFrom('responsibility_letters as l')
    .leftJoin('people as us', 'us.id', 'l.unit_signatory_person_id')
    .leftJoin('people as cs', 'cs.id', 'l.county_signatory_person_id')
    .select([
      'l.id',
      'l.unit_id',
      'l.year',
      sql<string | null>`l.signed_on::text`.as('signed_on'),
      'l.unit_signatory_person_id',
      'us.name as unit_signatory_name',
      'l.county_signatory_person_id',
      'cs.name as county_signatory_name',
      'l.version',
    ])
}

export function lettersOfYear(db: Executor, year: number): Promise<LetterRow[]> {
  return letterQuery(db).where('l.year', '=', year).orderBy('l.unit_id').execute()
}

export function findLetter(db: Executor, unitId: number, year: number): Promise<LetterRow | undefined> {
  return letterQuery(db).where('l.unit_id', '=', unitId).where('l.year', '=', year).executeTakeFirst()
}

export async function targetsOf(db: Executor, letterIds: number[]) {
  if (letterIds.length === 0) return []
  return db
    .selectFrom('letter_targets')
    .selectAll()
    .where('letter_id', 'in', letterIds)
    .orderBy('letter_id')
    .orderBy('indicator_code')
    .execute()
}

/** The newest scan of each letter (without its bytes). */
export async function latestScansOf(db: Executor, letterIds: number[]) {
  if (letterIds.length === 0) return []
  const { rows } = await sql<{
    id: number
    letter_id: number
    size_bytes: number
    sha256: string
    filename: string | null
    created_at: Date
  }>`
    SELECT DISTINCT ON (letter_id) id, letter_id, size_bytes, sha256, filename, created_at
    FROM letter_scans WHERE letter_id = ANY(${letterIds}::int[])
    ORDER BY letter_id, id DESC`.execute(db)
  return rows
}

export function latestScanData(db: Executor, letterId: number) {
  return db
    .selectFrom('letter_scans')
    .select(['id', 'data', 'filename', 'size_bytes'])
    .where('letter_id', '=', letterId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export function insertLetter(
  db: Executor,
  l: {
    unit_id: number
    year: number
    signed_on: string | null
    unit_signatory_person_id: number | null
    county_signatory_person_id: number | null
    at: Date
  },
) {
  const { at, ...values } = l
  return db
    .insertInto('responsibility_letters')
    .values({ ...values, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** A new version of the letter, only if it is still at `version` (optimistic lock); false when not. */
export async function updateLetter(
  db: Executor,
  id: number,
  version: number,
  set: Partial<{
    signed_on: string | null
    unit_signatory_person_id: number | null
    county_signatory_person_id: number | null
  }>,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('responsibility_letters')
    .set({ ...set, version: version + 1, updated_at: at })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function replaceTargets(
  db: Executor,
  letterId: number,
  targets: { indicator_code: string; target_value: number }[],
) {
  await db.deleteFrom('letter_targets').where('letter_id', '=', letterId).execute()
  if (targets.length > 0)
    await db
      .insertInto('letter_targets')
      .values(targets.map((t) => ({ ...t, letter_id: letterId })))
      .execute()
}

export function insertScan(
  db: Executor,
  s: { letter_id: number; size_bytes: number; sha256: string; filename: string | null; data: Buffer },
  uploadedBy: number | null,
  at: Date,
) {
  return db
    .insertInto('letter_scans')
    .values({ ...s, content_type: 'application/pdf', uploaded_by: uploadedBy, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** The indicators of a year's plans (of their measures): what a letter of that year may set targets for. */
export async function planIndicatorsOfYear(db: Executor, year: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom('measures as m')
    .innerJoin('plans as p', 'p.id', 'm.plan_id')
    .select('m.indicator_code')
    .distinct()
    .where('p.year', '=', year)
    .execute()
  return new Set(rows.map((r) => r.indicator_code))
}

// ---------------------------------------------------------------- progress

/**
 * Indicators measured by environmental figures in a year: those the year's assessment scheme scores as
 * `environment`, and those with figures entered for some month of the year.
 */
export async function environmentIndicatorsOfYear(db: Executor, year: number): Promise<Set<string>> {
  const { rows } = await sql<{ code: string }>`
    SELECT indicator_code AS code FROM assessment_indicators
    WHERE year = ${year} AND kind = 'environment' AND indicator_code IS NOT NULL
    UNION
    SELECT DISTINCT indicator_code FROM environment_figures
    WHERE month >= make_date(${year}::int, 1, 1) AND month < make_date(${year}::int + 1, 1, 1)`.execute(db)
  return new Set(rows.map((r) => r.code))
}

/** A unit's environmental figures of a year: month (1..12), indicator, value. */
export async function figuresOfUnit(db: Executor, unitId: number, year: number, codes: string[]) {
  if (codes.length === 0) return []
  const { rows } = await sql<{ month: number; indicator_code: string; value: number }>`
    SELECT extract(month FROM month)::int AS month, indicator_code, value FROM environment_figures
    WHERE unit_id = ${unitId} AND indicator_code = ANY(${codes}::text[])
      AND month >= make_date(${year}::int, 1, 1) AND month < make_date(${year}::int + 1, 1, 1)`.execute(db)
  return rows
}

/** Sums of done values of a unit's ACCEPTED entries of a year, per month (1..12) and indicator. */
export async function acceptedDoneOfUnit(db: Executor, unitId: number, year: number, codes: string[]) {
  if (codes.length === 0) return []
  const { rows } = await sql<{ month: number; indicator_code: string; done: number }>`
    SELECT extract(month FROM e.month)::int AS month, m.indicator_code, sum(e.done_value) AS done
    FROM ledger_entries e JOIN measures m ON m.id = e.measure_id
    WHERE e.unit_id = ${unitId} AND e.state = 'accepted' AND e.done_value IS NOT NULL
      AND m.indicator_code = ANY(${codes}::text[])
      AND e.month >= make_date(${year}::int, 1, 1) AND e.month < make_date(${year}::int + 1, 1, 1)
    GROUP BY 1, 2`.execute(db)
  return rows
}
