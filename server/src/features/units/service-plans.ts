// Plans (per line and year) and their measures: lead unit, indicator and target, the named person
// responsible, the responsible units and monthly milestones. Creating a measure (or adding a unit to
// it) creates the ledger entries: one per responsible unit and month of the plan year whose deadline
// (ledgerDueAt, on the working calendar) is still ahead, in draft, with the month's milestone.
import type { Kysely, Transaction } from 'kysely'
import type {
  CreateMeasureBody,
  CreatePlanBody,
  Measure,
  MilestoneBody,
  PatchMeasureBody,
  Plan,
  PlanDetail,
} from '../../contract/units.js'
import type { DB } from '../../db/schema.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import { loadCalendar } from '../flags/service-calendar.js'
import { ledgerDueAt } from '../ledgers/deadline.js'
import { findLine, findUnitsByCodes, listIndicators, listUnits } from './repository.js'
import {
  addMeasureUnits,
  createLedgerEntries,
  findMeasure,
  findPlan,
  findPlanOf,
  insertMeasure,
  insertPlan,
  listPlans,
  measureCodeTaken,
  measuresOfPlan,
  milestonesOf,
  setDraftEntriesMilestone,
  unitsOfMeasures,
  updateMeasure,
  upsertMilestone,
  type MeasureRow,
} from './repository-plans.js'
import { assertWithinBounds, indicatorNamed, indicatorToApi, lineToApi, unitNamed } from './service-catalog.js'
import { assertPeopleExist, unitRef } from './service.js'
import type { UnitsSettings } from './settings.js'

type Executor = Kysely<DB> | Transaction<DB>

/** Measure rows → the API's measures, with their indicator, units and milestones. */
export async function measuresToApi(db: Executor, rows: MeasureRow[]): Promise<Measure[]> {
  const ids = rows.map((r) => r.id)
  const [units, indicators, measureUnits, milestones] = await Promise.all([
    listUnits(db),
    listIndicators(db),
    unitsOfMeasures(db, ids),
    milestonesOf(db, ids),
  ])
  return rows.map((m) => ({
    id: m.id,
    planId: m.plan_id,
    lineCode: m.line_code,
    year: m.year,
    code: m.code,
    title: m.title,
    titleEn: m.title_en,
    leadUnit: unitRef(units.find((u) => u.id === m.lead_unit_id)!),
    indicator: indicatorToApi(indicators.find((i) => i.code === m.indicator_code)!),
    targetValue: m.target_value,
    responsiblePerson: { id: m.responsible_person_id, name: m.responsible_name },
    units: measureUnits.filter((u) => u.measure_id === m.id).map(unitRef),
    milestones: milestones
      .filter((s) => s.measure_id === m.id)
      .map((s) => ({ month: s.month, description: s.description, plannedValue: s.planned_value })),
  }))
}

export async function measureById(db: Executor, id: number): Promise<Measure> {
  const row = await findMeasure(db, id)
  if (!row) throw notFound('measure', id)
  return (await measuresToApi(db, [row]))[0]!
}

export async function plans(db: Executor, year?: number): Promise<Plan[]> {
  return (await listPlans(db, year)).map((p) => ({
    id: p.id,
    lineCode: p.line_code,
    year: p.year,
    title: p.title,
    measureCount: p.measure_count,
  }))
}

export async function planDetail(db: Executor, id: number): Promise<PlanDetail> {
  const plan = await findPlan(db, id)
  if (!plan) throw notFound('plan', id)
  const line = (await findLine(db, plan.line_code))!
  return {
    id: plan.id,
    line: lineToApi(line, await listUnits(db)),
    year: plan.year,
    title: plan.title,
    measures: await measuresToApi(db, await measuresOfPlan(db, id)),
  }
}

export async function createPlan(db: Kysely<DB>, actor: Actor, body: CreatePlanBody, now: Date): Promise<PlanDetail> {
  return db.transaction().execute(async (trx) => {
    if (!(await findLine(trx, body.lineCode)))
      throw badRequest('unknown_line', `lineCode: no line of work with code ${JSON.stringify(body.lineCode)}`)
    if (await findPlanOf(trx, body.lineCode, body.year))
      throw conflict('plan_exists', `line ${body.lineCode} already has a plan for ${body.year}`)
    const { id } = await insertPlan(trx, {
      line_code: body.lineCode,
      year: body.year,
      title: body.title,
      created_at: now,
    })
    const plan = await planDetail(trx, id)
    await insertAudit(trx, { actor, action: 'plan.create', entityType: 'plan', entityId: id, after: plan })
    return plan
  })
}

/** Every unit code named must exist: 400 naming those that do not. */
async function unitsNamed(db: Executor, codes: string[], field: string) {
  const found = await findUnitsByCodes(db, codes)
  const missing = codes.filter((c) => !found.some((u) => u.code === c))
  if (missing.length > 0)
    throw badRequest(
      'unknown_unit',
      `${field}: no unit with code ${missing.map((c) => JSON.stringify(c)).join(', ')}`,
      {
        field,
        missing,
      },
    )
  return found
}

/**
 * The ledger entries of these units for the months of the year whose deadline (on the working calendar)
 * is still ahead at `at`: a measure counts from the first month still open, so one added mid-year does
 * not make the months already past overdue at once (nor count them against the unit's timeliness).
 */
async function createEntries(
  trx: Executor,
  settings: UnitsSettings,
  actor: Actor,
  e: { measureId: number; year: number; unitIds: number[]; at: Date },
): Promise<number> {
  const calendar = await loadCalendar(trx, settings.calendar)
  const months = Array.from({ length: 12 }, (_, i) => {
    const month = `${e.year}-${String(i + 1).padStart(2, '0')}`
    return { month: `${month}-01`, dueAt: ledgerDueAt(month, settings.ledgerDueWorkingDay, calendar) }
  }).filter((m) => m.dueAt.getTime() > e.at.getTime())
  return createLedgerEntries(trx, { measureId: e.measureId, unitIds: e.unitIds, months, at: e.at, actor })
}

export async function createMeasure(
  db: Kysely<DB>,
  settings: UnitsSettings,
  actor: Actor,
  planId: number,
  body: CreateMeasureBody,
  now: Date,
): Promise<Measure> {
  const milestones = body.milestones ?? []
  const months = milestones.map((m) => m.month)
  const repeated = months.filter((m, i) => months.indexOf(m) !== i)
  if (repeated.length > 0)
    throw badRequest('duplicate_milestone', `milestones: month ${repeated[0]} is given more than once`)
  return db.transaction().execute(async (trx) => {
    const plan = await findPlan(trx, planId)
    if (!plan) throw notFound('plan', planId)
    if (await measureCodeTaken(trx, planId, body.code))
      throw conflict('measure_exists', `plan ${planId} already has a measure ${JSON.stringify(body.code)}`)
    const lead = await unitNamed(trx, body.leadUnitCode, 'leadUnitCode')
    const indicator = await indicatorNamed(trx, body.indicatorCode, 'indicatorCode')
    assertWithinBounds(indicator, body.targetValue, 'targetValue')
    for (const m of milestones)
      assertWithinBounds(indicator, m.plannedValue, `milestones[month ${m.month}].plannedValue`)
    await assertPeopleExist(trx, [body.responsiblePersonId], 'responsiblePersonId')
    const units = await unitsNamed(trx, body.unitCodes, 'unitCodes')
    const { id } = await insertMeasure(trx, {
      plan_id: planId,
      code: body.code,
      title: body.title,
      title_en: body.titleEn ?? null,
      lead_unit_id: lead.id,
      indicator_code: indicator.code,
      target_value: body.targetValue,
      responsible_person_id: body.responsiblePersonId,
      created_at: now,
    })
    await addMeasureUnits(
      trx,
      id,
      units.map((u) => u.id),
    )
    for (const m of milestones)
      await upsertMilestone(trx, {
        measure_id: id,
        month: m.month,
        description: m.description,
        planned_value: m.plannedValue ?? null,
      })
    const entries = await createEntries(trx, settings, actor, {
      measureId: id,
      year: plan.year,
      unitIds: units.map((u) => u.id),
      at: now,
    })
    const measure = await measureById(trx, id)
    await insertAudit(trx, {
      actor,
      action: 'measure.create',
      entityType: 'measure',
      entityId: id,
      after: { ...measure, ledgerEntriesCreated: entries },
    })
    return measure
  })
}

export async function patchMeasure(
  db: Kysely<DB>,
  settings: UnitsSettings,
  actor: Actor,
  id: number,
  body: PatchMeasureBody,
  now: Date,
): Promise<Measure> {
  return db.transaction().execute(async (trx) => {
    const row = await findMeasure(trx, id)
    if (!row) throw notFound('measure', id)
    const before = (await measuresToApi(trx, [row]))[0]!
    const lead = body.leadUnitCode !== undefined ? await unitNamed(trx, body.leadUnitCode, 'leadUnitCode') : null
    if (body.targetValue !== undefined)
      assertWithinBounds(
        await indicatorNamed(trx, row.indicator_code, 'indicatorCode'),
        body.targetValue,
        'targetValue',
      )
    await assertPeopleExist(trx, [body.responsiblePersonId], 'responsiblePersonId')
    const added = body.addUnitCodes ? await unitsNamed(trx, body.addUnitCodes, 'addUnitCodes') : []
    await updateMeasure(trx, id, {
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.titleEn !== undefined ? { title_en: body.titleEn } : {}),
      ...(lead ? { lead_unit_id: lead.id } : {}),
      ...(body.targetValue !== undefined ? { target_value: body.targetValue } : {}),
      ...(body.responsiblePersonId !== undefined ? { responsible_person_id: body.responsiblePersonId } : {}),
    })
    const newUnits = added.filter((u) => !before.units.some((b) => b.code === u.code)).map((u) => u.id)
    await addMeasureUnits(trx, id, newUnits)
    const entries = await createEntries(trx, settings, actor, {
      measureId: id,
      year: row.year,
      unitIds: newUnits,
      at: now,
    })
    const after = await measureById(trx, id)
    await insertAudit(trx, {
      actor,
      action: 'measure.update',
      entityType: 'measure',
      entityId: id,
      before,
      after: { ...after, ledgerEntriesCreated: entries },
    })
    return after
  })
}

/**
 * A month's milestone; the month's entries still in draft take it too, each as a new version with its
 * version row and audit row (a returned entry was reviewed against its milestone and keeps it).
 */
export async function putMilestone(
  db: Kysely<DB>,
  actor: Actor,
  id: number,
  month: number,
  body: MilestoneBody,
  now: Date,
): Promise<Measure> {
  return db.transaction().execute(async (trx) => {
    const row = await findMeasure(trx, id)
    if (!row) throw notFound('measure', id)
    const indicator = await indicatorNamed(trx, row.indicator_code, 'indicatorCode')
    assertWithinBounds(indicator, body.plannedValue, 'plannedValue')
    const before = (await milestonesOf(trx, [id])).find((m) => m.month === month) ?? null
    await upsertMilestone(trx, {
      measure_id: id,
      month,
      description: body.description,
      planned_value: body.plannedValue ?? null,
    })
    const monthKey = `${row.year}-${String(month).padStart(2, '0')}-01`
    const updated = await setDraftEntriesMilestone(trx, {
      measureId: id,
      month: monthKey,
      milestone: body.description,
      at: now,
      actor,
    })
    for (const entry of updated)
      await insertAudit(trx, {
        actor,
        action: 'milestone',
        entityType: 'ledger_entry',
        entityId: entry.id,
        before: { version: entry.version - 1, milestone: entry.before },
        after: { version: entry.version, milestone: body.description },
      })
    await insertAudit(trx, {
      actor,
      action: 'measure.milestone',
      entityType: 'measure',
      entityId: id,
      before: before ?? undefined,
      after: {
        month,
        description: body.description,
        plannedValue: body.plannedValue ?? null,
        entriesUpdated: updated.map((e) => e.id),
      },
    })
    return measureById(trx, id)
  })
}
