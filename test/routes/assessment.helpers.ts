// A small hand-built world for the assessment tests: three townships (T1 with one child cell covering
// its west half, so half of T1 is a gap, vacant from 17 March 2026; T2, T3 without children, staffed), three departments, one line, one
// plan (each ledger entry with a measure of its own), an indicator pm25 (lower is better, no negatives) and letters with pm25 targets.
// Rows the assessment reads (ledger entries, flags) are inserted directly: the test states each one.
import { sql } from 'kysely'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { box, factories } from '../helpers/factories.js'
import type { TestApp } from '../helpers/app.js'

export interface AssessmentWorld {
  units: Record<'T1' | 'T2' | 'T3' | 'D1' | 'D2' | 'D3', number>
  cells: Record<'T1' | 'T2' | 'T3', number>
  planId: number
  personId: number
}

let measureCount = 0

const at = (iso: string) => new Date(iso)

export async function assessmentWorld(t: TestApp): Promise<AssessmentWorld> {
  const db = t.database.db
  const f = factories(db)
  const region = await f.region('R1', box(113, 35, 113.3, 35.1))
  // the county (level 1) and its townships (level 2, as duty continuity counts them)
  await f.cell({ regionId: region.id, code: 'C0', level: 1, geometry: box(113, 35, 113.3, 35.1) })
  const township = (code: string, west: number) =>
    f.cell({ regionId: region.id, code, level: 2, parentCode: 'C0', geometry: box(west, 35, west + 0.1, 35.1) })
  const t1 = await township('T1', 113)
  const t2 = await township('T2', 113.1)
  const t3 = await township('T3', 113.2)
  // the child covers exactly the west half: by symmetry the gap is half of T1's geodesic area
  const t1a = await f.cell({
    regionId: region.id,
    code: 'T1A',
    level: 3,
    parentCode: 'T1',
    geometry: box(113, 35, 113.05, 35.1),
  })
  // staffed since 2020; T1A's chief and member leave on 16 March 2026 (vacant from the 17th)
  for (const cell of [t1, t2, t3]) await f.staff(cell.id)
  for (const role of ['grid_chief', 'grid_member'] as const)
    await f.duty({ personId: (await f.person(`T1A ${role}`)).id, cellId: t1a.id, role, endsOn: '2026-03-16' })
  const person = await f.person('Responsible')
  const created = at('2026-01-01T00:00:00Z')
  const unit = async (code: string, kind: 'township' | 'department', cellId: number | null) =>
    (
      await db
        .insertInto('units')
        .values({ code, name: `Unit ${code}`, name_en: `Unit ${code}`, kind, cell_id: cellId, created_at: created })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const units = {
    T1: await unit('T1', 'township', t1.id),
    T2: await unit('T2', 'township', t2.id),
    T3: await unit('T3', 'township', t3.id),
    D1: await unit('D1', 'department', null),
    D2: await unit('D2', 'department', null),
    D3: await unit('D3', 'department', null),
  }
  await db
    .insertInto('indicators')
    .values([
      {
        code: 'pm25',
        name: 'PM2.5',
        name_en: 'PM2.5',
        unit_of_measure: 'µg/m³',
        direction: 'lower_is_better',
        min_value: 0,
      },
      { code: 'tasks', name: 'Tasks', name_en: 'Tasks', direction: 'higher_is_better', min_value: 0 },
    ])
    .execute()
  await db
    .insertInto('work_lines')
    .values({ code: 'air', name: '大气', name_en: 'Air', lead_unit_id: units.D1 })
    .execute()
  const plan = await db
    .insertInto('plans')
    .values({ line_code: 'air', year: 2026, title: 'Air 2026', created_at: created })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const [code, target] of [
    ['T1', 35],
    ['T2', 35],
    ['T3', 35],
  ] as const) {
    const letter = await db
      .insertInto('responsibility_letters')
      .values({ unit_id: units[code], year: 2026, signed_on: '2026-02-10', created_at: created, updated_at: created })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('letter_targets')
      .values({ letter_id: letter.id, indicator_code: 'pm25', target_value: target })
      .execute()
  }
  return { units, cells: { T1: t1.id, T2: t2.id, T3: t3.id }, planId: plan.id, personId: person.id }
}

/** A ledger entry of the measure, as the ledger workflow would have left it. */
export async function ledgerEntry(
  t: TestApp,
  w: AssessmentWorld,
  e: {
    unitId: number
    month: string
    state: 'draft' | 'submitted' | 'accepted' | 'returned'
    progress: 'done' | 'on_track' | 'late' | 'not_started'
    dueAt: string
    submittedAt: string | null
  },
) {
  const created = at('2026-01-01T00:00:00Z')
  // entries of one unit and month differ by measure: each entry gets a measure of its own
  const n = ++measureCount
  const measure = await t.database.db
    .insertInto('measures')
    .values({
      plan_id: w.planId,
      code: `M${n}`,
      title: `Measure ${n}`,
      lead_unit_id: w.units.D1,
      indicator_code: 'tasks',
      target_value: 1,
      responsible_person_id: w.personId,
      created_at: created,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return (
    await t.database.db
      .insertInto('ledger_entries')
      .values({
        measure_id: measure.id,
        unit_id: e.unitId,
        month: `${e.month}-01`,
        milestone: 'do it',
        progress: e.progress,
        state: e.state,
        due_at: at(e.dueAt),
        submitted_at: e.submittedAt ? at(e.submittedAt) : null,
        created_at: created,
        updated_at: created,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
}

/** A dispatched flag of a township with its completion deadline and, when given, its completion. */
export async function flag(t: TestApp, townshipCellId: number, completeDueAt: string, completedAt: string | null) {
  const created = at('2026-01-01T00:00:00Z')
  const row = await t.database.db
    .insertInto('flags')
    .values({
      category: 'pollution',
      location: sql`ST_SetSRID(ST_MakePoint(113.15, 35.05), 4326)` as never,
      state: completedAt ? 'closed' : 'dispatched',
      cell_id: townshipCellId,
      accountable_cell_id: townshipCellId,
      township_cell_id: townshipCellId,
      complete_due_at: at(completeDueAt),
      completed_at: completedAt ? at(completedAt) : null,
      created_at: created,
      updated_at: created,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export { SYSTEM_ACTOR }
