// A unit's page: the unit, this year's measures it carries out and its letter, and the progress against
// the letter's targets month by month. For an indicator measured by environmental figures the value is
// the month's figure; otherwise it is the sum of the done values of the unit's ACCEPTED ledger entries
// of measures with that indicator, cumulative over the year. A month after the current one has none.
import type { Kysely, Transaction } from 'kysely'
import type { Direction, Progress, UnitDetail } from '../../contract/units.js'
import type { DB } from '../../db/schema.js'
import { listUnits } from './repository.js'
import { acceptedDoneOfUnit, environmentIndicatorsOfYear, figuresOfUnit } from './repository-letters.js'
import { measuresOfUnit } from './repository-plans.js'
import { letterOf } from './service-letters.js'
import { measuresToApi } from './service-plans.js'
import { unitByCode, unitRef, unitsOf } from './service.js'

type Executor = Kysely<DB> | Transaction<DB>

/** Whether a value meets a target, in the indicator's direction. */
export const meets = (direction: Direction, value: number, target: number) =>
  direction === 'lower_is_better' ? value <= target : value >= target

/** today: 'YYYY-MM-DD' in the service's time zone (months after it get no value). */
export async function progress(db: Executor, code: string, year: number, today: string): Promise<Progress> {
  const unit = await unitByCode(db, code)
  const letter = await letterOf(db, code, year)
  const codes = letter.targets.map((t) => t.indicator.code)
  const environmental = await environmentIndicatorsOfYear(db, year)
  const [figures, done] = await Promise.all([
    figuresOfUnit(
      db,
      unit.id,
      year,
      codes.filter((c) => environmental.has(c)),
    ),
    acceptedDoneOfUnit(
      db,
      unit.id,
      year,
      codes.filter((c) => !environmental.has(c)),
    ),
  ])
  const [todayYear, todayMonth] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))]
  const lastMonth = year < todayYear ? 12 : year > todayYear ? 0 : todayMonth
  const rows = letter.targets.map((t) => {
    const source = environmental.has(t.indicator.code) ? ('environment' as const) : ('ledger' as const)
    let cumulative: number | null = null
    const months = Array.from({ length: 12 }, (_, i) => {
      const month = i + 1
      let value: number | null = null
      if (source === 'environment') {
        value = figures.find((f) => f.month === month && f.indicator_code === t.indicator.code)?.value ?? null
      } else {
        const sum = done.find((d) => d.month === month && d.indicator_code === t.indicator.code)?.done
        if (sum !== undefined) cumulative = (cumulative ?? 0) + sum
        value = cumulative
      }
      if (month > lastMonth) value = null
      return {
        month: `${year}-${String(month).padStart(2, '0')}`,
        value,
        target: t.targetValue,
        met: value === null ? null : meets(t.indicator.direction, value, t.targetValue),
      }
    })
    return { indicator: t.indicator, source, target: t.targetValue, months }
  })
  return { unit: unitRef(unit), year, rows }
}

/** The unit with this year's measures it carries out and a summary of its letter. */
export async function unitDetail(db: Executor, code: string, year: number): Promise<UnitDetail> {
  const row = await unitByCode(db, code)
  const [unit] = await unitsOf(db, (await listUnits(db, [row.id])) ?? [row])
  const letter = await letterOf(db, code, year)
  return {
    ...unit!,
    year,
    measures: await measuresToApi(db, await measuresOfUnit(db, row.id, year)),
    letter:
      letter.version === null
        ? null
        : { year, signedOn: letter.signedOn, targets: letter.targets.length, hasScan: letter.scan !== null },
  }
}
