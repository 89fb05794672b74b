// Plans, measures and milestones, and the ledger entries a measure creates: one per responsible unit
// and month of the plan year, in draft, with the month's milestone and its deadline (the end of the
// 5th working day of the next month, 18:00 in Shanghai = 10:00 UTC, counted by hand below).
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refusedWritingNothing, unitsWorld, type UnitsWorld } from './units.helpers.js'

let w: UnitsWorld
let planId = 0
let measureId = 0

const entries = async () =>
  (
    await sql<{ unit: string; month: string; milestone: string; due_at: Date; state: string }>`
      SELECT u.code AS unit, e.month::text AS month, e.milestone, e.due_at, e.state
      FROM ledger_entries e JOIN units u ON u.id = e.unit_id WHERE e.measure_id = ${measureId}
      ORDER BY u.code, e.month`.execute(w.t.database.db)
  ).rows

beforeAll(async () => {
  w = await unitsWorld()
  await w.send('POST', '/api/units/sync')
  await w.send('POST', '/api/units', { code: 'sthj', name: '生态环境局', headPersonId: w.people.head })
  await w.send('PUT', '/api/lines/air', { name: '大气', nameEn: 'Air', leadUnitCode: 'sthj' })
  await w.send('PUT', '/api/indicators/sites', {
    name: '工地',
    nameEn: 'Sites inspected',
    direction: 'higher_is_better',
    minValue: 0,
  })
})
afterAll(() => w?.t.close())

describe('POST /api/plans', () => {
  it('adds the plan of a line for a year, once', async () => {
    const res = await w.send('POST', '/api/plans', { lineCode: 'air', year: 2026, title: '2026年大气污染防治' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ year: 2026, line: { code: 'air', leadUnit: { code: 'sthj' } }, measures: [] })
    planId = res.body.id
    await refusedWritingNothing(
      w,
      { method: 'POST', url: '/api/plans', payload: { lineCode: 'air', year: 2026, title: 'again' } },
      409,
      'plan_exists',
    )
    await refusedWritingNothing(
      w,
      { method: 'POST', url: '/api/plans', payload: { lineCode: 'noise', year: 2026, title: 'x' } },
      400,
      'unknown_line',
      /noise/,
    )
  })
})

describe('POST /api/plans/:id/measures', () => {
  const measure = () => ({
    code: 'A-01',
    title: '建筑工地扬尘检查',
    leadUnitCode: 'sthj',
    indicatorCode: 'sites',
    targetValue: 120,
    responsiblePersonId: w.people.head,
    unitCodes: ['R1001', 'R1002'],
    milestones: [
      { month: 1, description: '检查10处', plannedValue: 10 },
      { month: 3, description: '检查30处', plannedValue: 30 },
    ],
  })

  it('refuses bad input naming the problem, writing nothing', async () => {
    const url = `/api/plans/${planId}/measures`
    await refusedWritingNothing(
      w,
      { method: 'POST', url, payload: { ...measure(), unitCodes: ['R1001', 'R9999'] } },
      400,
      'unknown_unit',
      /unitCodes.*"R9999"/,
    )
    await refusedWritingNothing(
      w,
      { method: 'POST', url, payload: { ...measure(), targetValue: -5 } },
      400,
      'value_out_of_range',
      /targetValue: -5 is below the minimum 0/,
    )
    await refusedWritingNothing(
      w,
      { method: 'POST', url, payload: { ...measure(), milestones: [{ month: 13, description: '次年' }] } },
      400,
      'invalid_request',
      /month/,
    )
    await refusedWritingNothing(
      w,
      { method: 'POST', url, payload: { ...measure(), indicatorCode: 'pm99' } },
      400,
      'unknown_indicator',
      /pm99/,
    )
    await refusedWritingNothing(
      w,
      { method: 'POST', url, payload: { ...measure(), responsiblePersonId: 777777 } },
      400,
      'unknown_person',
      /777777/,
    )
    await refusedWritingNothing(
      w,
      { method: 'POST', url: '/api/plans/999999/measures', payload: measure() },
      404,
      'not_found',
    )
  })

  it('adds the measure and a draft ledger entry per unit and month, with milestone and deadline', async () => {
    const res = await w.send('POST', `/api/plans/${planId}/measures`, measure())
    expect(res.status).toBe(201)
    measureId = res.body.id
    expect(res.body).toMatchObject({
      code: 'A-01',
      lineCode: 'air',
      year: 2026,
      leadUnit: { code: 'sthj' },
      indicator: { code: 'sites', minValue: 0 },
      targetValue: 120,
      responsiblePerson: { id: w.people.head, name: 'Head' },
      units: [{ code: 'R1001' }, { code: 'R1002' }],
      milestones: [
        { month: 1, description: '检查10处', plannedValue: 10 },
        { month: 3, description: '检查30处', plannedValue: 30 },
      ],
    })
    const rows = await entries()
    expect(rows).toHaveLength(2 * 12)
    expect(rows.every((r) => r.state === 'draft')).toBe(true)
    const r1 = rows.filter((r) => r.unit === 'R1001')
    expect(r1.map((r) => r.month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`),
    )
    expect(r1.map((r) => r.milestone)).toEqual(['检查10处', '', '检查30处', '', '', '', '', '', '', '', '', ''])
    // January: Feb 2026 starts on a Sunday, working days Mon 2 … Fri 6 → due Fri 6 Feb 18:00 (+08)
    expect(new Date(r1[0]!.due_at).toISOString()).toBe('2026-02-06T10:00:00.000Z')
    // March: April starts on a Wednesday: Wed 1, Thu 2, Fri 3, Mon 6, Tue 7
    expect(new Date(r1[2]!.due_at).toISOString()).toBe('2026-04-07T10:00:00.000Z')
    // December: January 2027 starts on a Friday: Fri 1, Mon 4, Tue 5, Wed 6, Thu 7 (no holidays set here)
    expect(new Date(r1[11]!.due_at).toISOString()).toBe('2027-01-07T10:00:00.000Z')
    const versions = await sql<{ n: string }>`SELECT count(*)::text AS n FROM ledger_entry_versions v
      JOIN ledger_entries e ON e.id = v.entry_id WHERE e.measure_id = ${measureId} AND v.action = 'create' AND v.version = 1`.execute(
      w.t.database.db,
    )
    expect(Number(versions.rows[0]!.n)).toBe(24)
    const detail = await w.send('GET', `/api/plans/${planId}`, undefined, w.viewer)
    expect(detail.body.measures.map((m: any) => m.code)).toEqual(['A-01'])
    const list = await w.send('GET', '/api/plans?year=2026', undefined, w.viewer)
    expect(list.body).toEqual([
      { id: planId, lineCode: 'air', year: 2026, title: '2026年大气污染防治', measureCount: 1 },
    ])
  })

  it('a measure code is used once per plan', async () => {
    await refusedWritingNothing(
      w,
      { method: 'POST', url: `/api/plans/${planId}/measures`, payload: measure() },
      409,
      'measure_exists',
    )
  })
})

describe('PUT /api/measures/:id/milestones/:month', () => {
  it('sets the milestone; entries still in draft or returned take it, a submitted one keeps its own', async () => {
    // R1002's April entry was submitted (by H2's workflow; set directly here)
    await sql`UPDATE ledger_entries SET state = 'submitted' WHERE measure_id = ${measureId} AND month = '2026-04-01'
      AND unit_id = (SELECT id FROM units WHERE code = 'R1002')`.execute(w.t.owner().db)
    const res = await w.send('PUT', `/api/measures/${measureId}/milestones/4`, {
      description: '检查40处',
      plannedValue: 40,
    })
    expect(res.status).toBe(200)
    expect(res.body.milestones.map((m: any) => m.month)).toEqual([1, 3, 4])
    const april = (await entries()).filter((r) => r.month === '2026-04-01')
    expect(april.map((r) => [r.unit, r.milestone])).toEqual([
      ['R1001', '检查40处'],
      ['R1002', ''],
    ])
  })

  it('refuses a month outside the year and a negative planned value, writing nothing', async () => {
    for (const month of [0, 13])
      await refusedWritingNothing(
        w,
        { method: 'PUT', url: `/api/measures/${measureId}/milestones/${month}`, payload: { description: 'x' } },
        400,
        'invalid_request',
        /month/,
      )
    await refusedWritingNothing(
      w,
      {
        method: 'PUT',
        url: `/api/measures/${measureId}/milestones/5`,
        payload: { description: 'x', plannedValue: -1 },
      },
      400,
      'value_out_of_range',
      /plannedValue: -1 is below the minimum 0/,
    )
    await refusedWritingNothing(
      w,
      { method: 'PUT', url: '/api/measures/999999/milestones/5', payload: { description: 'x' } },
      404,
      'not_found',
    )
  })
})

describe('PATCH /api/measures/:id', () => {
  it('adding a unit gives it its twelve entries; other changes are audited', async () => {
    const res = await w.send('PATCH', `/api/measures/${measureId}`, { addUnitCodes: ['sthj'], targetValue: 150 })
    expect(res.status).toBe(200)
    expect(res.body.targetValue).toBe(150)
    expect(res.body.units.map((u: any) => u.code)).toEqual(['R1001', 'R1002', 'sthj'])
    const rows = await entries()
    expect(rows).toHaveLength(3 * 12)
    expect(
      rows
        .filter((r) => r.unit === 'sthj')
        .map((r) => r.milestone)
        .slice(0, 4),
    ).toEqual(['检查10处', '', '检查30处', '检查40处'])
    const audit = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log WHERE action = 'measure.update'
      AND entity_id = ${String(measureId)}`.execute(w.t.database.db)
    expect(Number(audit.rows[0]!.n)).toBe(1)
  })

  it('refuses an unknown unit and an out-of-range target, writing nothing', async () => {
    await refusedWritingNothing(
      w,
      { method: 'PATCH', url: `/api/measures/${measureId}`, payload: { addUnitCodes: ['nope'] } },
      400,
      'unknown_unit',
      /"nope"/,
    )
    await refusedWritingNothing(
      w,
      { method: 'PATCH', url: `/api/measures/${measureId}`, payload: { targetValue: -1 } },
      400,
      'value_out_of_range',
    )
  })

  it("GET /api/units/:code shows this year's measures the unit carries", async () => {
    w.t.clock.now = new Date('2026-05-10T02:00:00Z')
    const res = await w.send('GET', '/api/units/R1002', undefined, w.viewer)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ code: 'R1002', year: 2026, letter: null })
    expect(res.body.measures.map((m: any) => m.code)).toEqual(['A-01'])
  })
})
