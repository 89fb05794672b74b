// The yearly scheme (weighted indicators, list sizes) and the monthly environmental figures: entered as
// rows or imported as CSV, checked all together, and written all or nothing.
import type { Kysely } from 'kysely'
import type {
  AssessmentScheme,
  EnvironmentFigure,
  EnvironmentFigureRow,
  EnvironmentFiguresQuery,
  SchemeBody,
} from '../../contract/assessment.js'
import type { DB } from '../../db/schema.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { AppError, badRequest, notFound } from '../../errors.js'
import * as repo from './repository.js'

export async function getScheme(db: Kysely<DB>, year: number): Promise<AssessmentScheme> {
  const [scheme, indicators] = await Promise.all([repo.findScheme(db, year), repo.schemeIndicators(db, year)])
  if (!scheme) throw notFound('assessment scheme', year)
  return {
    year,
    redListSize: scheme.red_list_size,
    blackListSize: scheme.black_list_size,
    updatedAt: new Date(scheme.updated_at).toISOString(),
    indicators: indicators.map((i) => ({
      code: i.code,
      kind: i.kind,
      name: i.name,
      nameEn: i.name_en,
      weight: Number(i.weight),
      appliesTo: i.applies_to,
      indicatorCode: i.indicator_code,
      sortOrder: i.sort_order,
    })),
  }
}

/** PUT /api/assessment/schemes/{year}: replaces the year's scheme; a closed month keeps its figures. */
export async function putScheme(
  db: Kysely<DB>,
  year: number,
  body: SchemeBody,
  actor: Actor,
  now: Date,
): Promise<AssessmentScheme> {
  const problems: string[] = []
  const seen = new Set<string>()
  body.indicators.forEach((i, n) => {
    if (seen.has(i.code)) problems.push(`indicators[${n}]: the code "${i.code}" is given twice`)
    seen.add(i.code)
    if (i.kind === 'environment' && !i.indicatorCode)
      problems.push(`indicators[${n}] (${i.code}): kind environment needs indicatorCode (the figure it compares)`)
    if (i.kind !== 'environment' && i.indicatorCode)
      problems.push(`indicators[${n}] (${i.code}): indicatorCode is only for kind environment`)
  })
  const wanted = [...new Set(body.indicators.flatMap((i) => (i.indicatorCode ? [i.indicatorCode] : [])))]
  const known = new Set((await repo.findIndicators(db, wanted)).map((i) => i.code))
  for (const code of wanted) if (!known.has(code)) problems.push(`unknown indicator "${code}"`)
  if (problems.length > 0) throw badRequest('invalid_scheme', problems.join('; '), { problems })

  await db.transaction().execute(async (tx) => {
    // read in the transaction: the audit's "before" is what this write replaced
    const before = await getScheme(tx, year).catch(() => null)
    await repo.replaceScheme(
      tx,
      year,
      { red: body.redListSize, black: body.blackListSize },
      body.indicators.map((i, n) => ({
        code: i.code,
        kind: i.kind,
        name: i.name,
        name_en: i.nameEn,
        weight: i.weight,
        applies_to: i.appliesTo ?? 'all',
        indicator_code: i.indicatorCode ?? null,
        sort_order: i.sortOrder ?? (n + 1) * 10,
      })),
      now,
    )
    await insertAudit(tx, {
      actor,
      action: 'assessment_scheme.put',
      entityType: 'assessment_scheme',
      entityId: year,
      before,
      after: body,
    })
  })
  return getScheme(db, year)
}

// ---------------------------------------------------------------- environmental figures

export async function listFigures(db: Kysely<DB>, q: EnvironmentFiguresQuery): Promise<EnvironmentFigure[]> {
  let unitId: number | undefined
  if (q.unit !== undefined) {
    const [unit] = await repo.findUnitsByCode(db, [q.unit])
    if (!unit) throw notFound('unit', q.unit)
    unitId = unit.id
  }
  const range = q.month
    ? { from: `${q.month}-01`, to: `${q.month}-01` }
    : q.year
      ? { from: `${q.year}-01-01`, to: `${q.year}-12-01` }
      : {}
  const rows = await repo.listFigures(db, { ...range, unitId })
  return rows.map((r) => ({
    unit: r.unit_code,
    unitName: r.unit_name,
    month: String(r.month).slice(0, 7),
    indicator: r.indicator_code,
    value: Number(r.value),
    source: r.source,
    enteredAt: new Date(r.entered_at).toISOString(),
  }))
}

/** A row to write, with where it came from (a CSV line or the index in the body). */
export interface FigureInput extends EnvironmentFigureRow {
  where: string
  /** why the value as written was refused (a CSV value that is not a plain decimal, or out of bounds) */
  valueProblem?: string
}

const MONTH = /^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])$/

/**
 * Checks every row (unit and indicator known, month real, value within the indicator's bounds, no
 * row twice) and writes them all in one transaction, or none: 400 naming every bad row.
 */
export async function writeFigures(
  db: Kysely<DB>,
  rows: FigureInput[],
  actor: Actor,
  now: Date,
  action: 'put' | 'import',
): Promise<{ written: number }> {
  const units = new Map((await repo.findUnitsByCode(db, [...new Set(rows.map((r) => r.unit))])).map((u) => [u.code, u]))
  const indicators = new Map(
    (await repo.findIndicators(db, [...new Set(rows.map((r) => r.indicator))])).map((i) => [i.code, i]),
  )
  const problems: string[] = []
  const seen = new Set<string>()
  const values: repo.FigureValues[] = []
  for (const r of rows) {
    const bad = (why: string) => problems.push(`${r.where}: ${why}`)
    const unit = units.get(r.unit)
    const indicator = indicators.get(r.indicator)
    if (!unit) bad(`unknown unit "${r.unit}"`)
    if (!indicator) bad(`unknown indicator "${r.indicator}"`)
    if (!MONTH.test(r.month)) bad(`month "${r.month}" is not a month YYYY-MM`)
    if (r.valueProblem) bad(r.valueProblem)
    else if (!Number.isFinite(r.value)) bad(`value is not a number`)
    else if (indicator) {
      const min = indicator.min_value === null ? null : Number(indicator.min_value)
      const max = indicator.max_value === null ? null : Number(indicator.max_value)
      if (min !== null && r.value < min) bad(`value ${r.value} is below ${r.indicator}'s minimum ${min}`)
      if (max !== null && r.value > max) bad(`value ${r.value} is above ${r.indicator}'s maximum ${max}`)
    }
    const key = `${r.unit}|${r.month}|${r.indicator}`
    if (seen.has(key)) bad(`${r.unit} ${r.month} ${r.indicator} is given twice`)
    seen.add(key)
    if (unit && indicator)
      values.push({
        unit_id: unit.id,
        month: `${r.month}-01`,
        indicator_code: r.indicator,
        value: r.value,
        source: r.source ?? '',
      })
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).join('; ')
    const more = problems.length > 20 ? ` … and ${problems.length - 20} more` : ''
    throw new AppError(400, 'invalid_figures', `${problems.length} bad row(s), nothing written: ${shown}${more}`, {
      problems,
    })
  }
  await db.transaction().execute(async (tx) => {
    const before = await repo.figuresAt(tx, values)
    for (let i = 0; i < values.length; i += 500) await repo.upsertFigures(tx, values.slice(i, i + 500), actor.id, now)
    await insertAudit(tx, {
      actor,
      action: `environment_figures.${action}`,
      entityType: 'environment_figures',
      entityId: null,
      before: before.map((b) => ({ unitId: b.unit_id, month: b.month, indicator: b.indicator_code, value: b.value })),
      after: rows.map(({ where: _where, ...r }) => r),
    })
  })
  return { written: values.length }
}
