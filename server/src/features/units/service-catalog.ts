// Lines of work (专项, each with its lead unit 牵头单位) and indicators (what targets and ledger values
// measure, which way is better, and the bounds a value must respect).
import type { Kysely } from 'kysely'
import type { Indicator, IndicatorBody, Line, LineBody } from '../../contract/units.js'
import type { DB } from '../../db/schema.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { badRequest } from '../../errors.js'
import {
  findIndicator,
  findLine,
  findUnitByCode,
  listIndicators,
  listLines,
  listUnits,
  upsertIndicator,
  upsertLine,
  type IndicatorRow,
  type LineRow,
  type UnitRow,
} from './repository.js'
import { unitRef } from './service.js'

type Executor = Kysely<DB>

export const indicatorToApi = (i: IndicatorRow): Indicator => ({
  code: i.code,
  name: i.name,
  nameEn: i.name_en,
  unitOfMeasure: i.unit_of_measure,
  direction: i.direction,
  minValue: i.min_value,
  maxValue: i.max_value,
})

export function lineToApi(l: LineRow, units: UnitRow[]): Line {
  const lead = units.find((u) => u.id === l.lead_unit_id)!
  return { code: l.code, name: l.name, nameEn: l.name_en, leadUnit: unitRef(lead), sortOrder: l.sort_order }
}

export async function lines(db: Executor): Promise<Line[]> {
  const units = await listUnits(db)
  return (await listLines(db)).map((l) => lineToApi(l, units))
}

/** A unit named in a request body: 400 naming the code when there is none (the body is wrong, not the URL). */
export async function unitNamed(db: Executor, code: string, field: string): Promise<UnitRow> {
  const unit = await findUnitByCode(db, code)
  if (!unit) throw badRequest('unknown_unit', `${field}: no unit with code ${JSON.stringify(code)}`, { field, code })
  return unit
}

export async function putLine(db: Kysely<DB>, actor: Actor, code: string, body: LineBody): Promise<Line> {
  return db.transaction().execute(async (trx) => {
    const lead = await unitNamed(trx, body.leadUnitCode, 'leadUnitCode')
    const before = await findLine(trx, code)
    const row = {
      code,
      name: body.name,
      name_en: body.nameEn,
      lead_unit_id: lead.id,
      ...(body.sortOrder !== undefined ? { sort_order: body.sortOrder } : {}),
    }
    await upsertLine(trx, row)
    const line = lineToApi((await findLine(trx, code))!, await listUnits(trx))
    await insertAudit(trx, {
      actor,
      action: before ? 'line.update' : 'line.create',
      entityType: 'work_line',
      entityId: code,
      before: before ?? undefined,
      after: line,
    })
    return line
  })
}

export async function indicators(db: Executor): Promise<Indicator[]> {
  return (await listIndicators(db)).map(indicatorToApi)
}

/** An indicator named in a request body: 400 naming the code when there is none. */
export async function indicatorNamed(db: Executor, code: string, field: string): Promise<IndicatorRow> {
  const indicator = await findIndicator(db, code)
  if (!indicator)
    throw badRequest('unknown_indicator', `${field}: no indicator with code ${JSON.stringify(code)}`, { field, code })
  return indicator
}

/** A value must respect its indicator's bounds (e.g. a minimum of 0 forbids negatives): 400 naming the bound. */
export function assertWithinBounds(indicator: IndicatorRow, value: number | null | undefined, field: string) {
  if (value === null || value === undefined) return
  if (indicator.min_value !== null && value < indicator.min_value)
    throw badRequest(
      'value_out_of_range',
      `${field}: ${value} is below the minimum ${indicator.min_value} of indicator ${indicator.code}`,
      { field, min: indicator.min_value },
    )
  if (indicator.max_value !== null && value > indicator.max_value)
    throw badRequest(
      'value_out_of_range',
      `${field}: ${value} is above the maximum ${indicator.max_value} of indicator ${indicator.code}`,
      { field, max: indicator.max_value },
    )
}

export async function putIndicator(
  db: Kysely<DB>,
  actor: Actor,
  code: string,
  body: IndicatorBody,
): Promise<Indicator> {
  const min = body.minValue ?? null
  const max = body.maxValue ?? null
  if (min !== null && max !== null && min > max)
    throw badRequest('invalid_bounds', `minValue ${min} is greater than maxValue ${max}`)
  return db.transaction().execute(async (trx) => {
    const before = await findIndicator(trx, code)
    const row: IndicatorRow = {
      code,
      name: body.name,
      name_en: body.nameEn,
      unit_of_measure: body.unitOfMeasure ?? '',
      direction: body.direction,
      min_value: min,
      max_value: max,
    }
    await upsertIndicator(trx, row)
    const after = indicatorToApi(row)
    await insertAudit(trx, {
      actor,
      action: before ? 'indicator.update' : 'indicator.create',
      entityType: 'indicator',
      entityId: code,
      before: before ? indicatorToApi(before) : undefined,
      after,
    })
    return after
  })
}
