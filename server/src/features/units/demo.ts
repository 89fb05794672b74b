// The Boai demo's accountability loop (fixtures/boai/loop/*.json, written by hand): the 10 township
// units and 8 county departments with their heads and liaisons (new people), the lines air / water /
// soil, the indicators, the 2026 plans with their measures and monthly milestones (which create the
// ledger entries), and every unit's letter, signed in February 2026. Loaded through the services, so
// the demo passes the same checks and leaves the same audit trail as an admin would. The plans are
// drawn up as of 1 January of their year (Beijing time), whatever the date of loading: a measure only
// gets the months whose deadline is still ahead when it is created, and the demo keeps its whole year.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import { loadConfig } from '../../config.js'
import type { DB } from '../../db/schema.js'
import { SYSTEM_ACTOR } from '../../db/repositories/audit.repository.js'
import { insertPerson } from '../../db/repositories/people.repository.js'
import type { Direction } from '../../contract/units.js'
import { putIndicator, putLine } from './service-catalog.js'
import { putLetter } from './service-letters.js'
import { createMeasure, createPlan } from './service-plans.js'
import { createUnit, patchUnit, syncTownshipUnits } from './service.js'
import { unitsSettings, type UnitsSettings } from './settings.js'

export const LOOP_DEMO_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../fixtures/boai/loop',
)

export interface LoopDemoPerson {
  key: string
  name: string
  nameEn?: string
  phone?: string
  organisation?: string
}
export interface LoopDemoUnits {
  townships: { cellCode: string; head: string; liaisons: string[] }[]
  departments: { code: string; name: string; nameEn: string; sortOrder: number; head: string; liaisons: string[] }[]
}
export interface LoopDemoLine {
  code: string
  name: string
  nameEn: string
  leadUnit: string
  sortOrder: number
}
export interface LoopDemoIndicator {
  code: string
  name: string
  nameEn: string
  unitOfMeasure: string
  direction: Direction
  minValue: number | null
  maxValue: number | null
}
export interface LoopDemoPlan {
  line: string
  year: number
  title: string
  measures: {
    code: string
    title: string
    titleEn: string
    leadUnit: string
    indicator: string
    targetValue: number
    responsible: string
    units: string[]
    milestones: { month: number; description: string; plannedValue: number | null }[]
  }[]
}
export interface LoopDemoLetters {
  year: number
  countySignatory: string
  letters: { unit: string; signedOn: string; targets: { indicator: string; targetValue: number }[] }[]
}

export const readLoopDemo = async <T>(file: string): Promise<T> =>
  JSON.parse(await readFile(path.join(LOOP_DEMO_DIR, file), 'utf8')) as T

export interface LoopDemoReport {
  /** person ids by the fixture's person key (the demo unit officers act for some of them) */
  personIds: Map<string, number>
  units: number
  measures: number
}

/** When the demo's plan of a year is drawn up: 1 January, 00:00 Beijing time (every month still ahead). */
export const planDrawnUpOn = (year: number) => new Date(`${year}-01-01T00:00:00+08:00`)

export async function loadLoopDemo(
  db: Kysely<DB>,
  options: { settings?: UnitsSettings; now?: Date; log?: (line: string) => void } = {},
): Promise<LoopDemoReport> {
  const settings = options.settings ?? unitsSettings(loadConfig())
  const now = options.now ?? new Date()
  const actor = SYSTEM_ACTOR
  const people = await readLoopDemo<LoopDemoPerson[]>('people.json')
  const units = await readLoopDemo<LoopDemoUnits>('units.json')
  const personIds = new Map<string, number>()
  for (const p of people)
    personIds.set(
      p.key,
      (await insertPerson(db, { name: p.name, nameEn: p.nameEn, phone: p.phone, organisation: p.organisation })).id,
    )
  const person = (key: string) => {
    const id = personIds.get(key)
    if (id === undefined) throw new Error(`fixtures/boai/loop: unknown person ${key}`)
    return id
  }

  await syncTownshipUnits(db, actor, now)
  for (const t of units.townships)
    await patchUnit(db, actor, t.cellCode, { headPersonId: person(t.head), liaisonPersonIds: t.liaisons.map(person) })
  for (const d of units.departments)
    await createUnit(
      db,
      actor,
      {
        code: d.code,
        name: d.name,
        nameEn: d.nameEn,
        sortOrder: d.sortOrder,
        headPersonId: person(d.head),
        liaisonPersonIds: d.liaisons.map(person),
      },
      now,
    )
  for (const l of await readLoopDemo<LoopDemoLine[]>('lines.json'))
    await putLine(db, actor, l.code, {
      name: l.name,
      nameEn: l.nameEn,
      leadUnitCode: l.leadUnit,
      sortOrder: l.sortOrder,
    })
  for (const i of await readLoopDemo<LoopDemoIndicator[]>('indicators.json')) await putIndicator(db, actor, i.code, i)

  let measures = 0
  for (const p of await readLoopDemo<LoopDemoPlan[]>('plans.json')) {
    const asOf = planDrawnUpOn(p.year)
    const plan = await createPlan(db, actor, { lineCode: p.line, year: p.year, title: p.title }, asOf)
    for (const m of p.measures) {
      await createMeasure(
        db,
        settings,
        actor,
        plan.id,
        {
          code: m.code,
          title: m.title,
          titleEn: m.titleEn,
          leadUnitCode: m.leadUnit,
          indicatorCode: m.indicator,
          targetValue: m.targetValue,
          responsiblePersonId: person(m.responsible),
          unitCodes: m.units,
          milestones: m.milestones,
        },
        asOf,
      )
      measures++
    }
  }

  const letters = await readLoopDemo<LoopDemoLetters>('letters.json')
  const headOf = new Map([
    ...units.townships.map((t) => [t.cellCode, t.head] as const),
    ...units.departments.map((d) => [d.code, d.head] as const),
  ])
  for (const l of letters.letters)
    await putLetter(
      db,
      actor,
      l.unit,
      letters.year,
      {
        signedOn: l.signedOn,
        unitSignatoryPersonId: person(headOf.get(l.unit)!),
        countySignatoryPersonId: person(letters.countySignatory),
        targets: l.targets.map((t) => ({ indicatorCode: t.indicator, targetValue: t.targetValue })),
      },
      now,
    )
  const unitCount = units.townships.length + units.departments.length
  options.log?.(`demo: ${unitCount} units, ${measures} measures, ${letters.letters.length} letters`)
  return { personIds, units: unitCount, measures }
}
