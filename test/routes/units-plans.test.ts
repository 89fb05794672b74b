// Plans, measures and milestones, and the ledger entries a measure creates: one per responsible unit
// and month of the plan year whose deadline is still ahead, in draft, with the month's milestone and its
// deadline (the end of the 5th working day of the next month, 18:00 in Shanghai = 10:00 UTC, counted by
// hand below). The first measure is drawn up on 1 January, so it has all twelve months.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn } from '../helpers/app.js'
import { refusedWritingNothing, unitsWorld, type UnitsWorld } from './units.helpers.js'

let w: UnitsWorld
let planId = 0
let measureId = 0
const NEW_YEAR = new Date('2026-01-01T00:00:00+08:00')

const entries = async (ofMeasure = measureId) =>
  (
    await sql<{ unit: string; month: string; milestone: string; due_at: Date; state: string }>`
      SELECT u.code AS unit, e.month::text AS month, e.milestone, e.due_at, e.state
      FROM ledger_entries e JOIN units u ON u.id = e.unit_id WHERE e.measure_id = ${ofMeasure}
      ORDER BY u.code, e.month`.execute(w.t.database.db)
  ).rows

beforeAll(async () => {
  w = await unitsWorld()
  w.t.clock.now = NEW_YEAR
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
  it('sets the milestone; entries still in draft take it, a submitted one keeps its own', async () => {
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

  it('a changed milestone is a new version of each draft entry (stale saves refused); a returned one is left alone', async () => {
    const db = w.t.database.db
    await w.send('PATCH', '/api/units/R1001', { liaisonPersonIds: [w.people.liaison] })
    const may = async (unit: string) =>
      (
        await sql<{ id: number; version: number; milestone: string; updated_at: Date; state: string }>`
          SELECT e.id, e.version, e.milestone, e.updated_at, e.state FROM ledger_entries e
          JOIN units u ON u.id = e.unit_id
          WHERE e.measure_id = ${measureId} AND e.month = '2026-05-01' AND u.code = ${unit}`.execute(db)
      ).rows[0]!
    // R1002's May entry was submitted and returned (reviewed against the old milestone; set directly)
    await sql`UPDATE ledger_entries SET state = 'returned', return_reason = '请补充照片'
      WHERE id = ${(await may('R1002')).id}`.execute(w.t.owner().db)
    const draftBefore = await may('R1001')
    const returnedBefore = await may('R1002')
    expect(draftBefore).toMatchObject({ version: 1, milestone: '', state: 'draft' })

    const at = new Date('2026-01-20T02:00:00Z')
    w.t.clock.now = at
    const officer = (await signedIn(w.t, 'unit_officer', w.people.liaison)).headers
    const res = await w.send('PUT', `/api/measures/${measureId}/milestones/5`, { description: '检查50处' })
    expect(res.status).toBe(200)

    const draft = await may('R1001')
    expect(draft).toMatchObject({ version: 2, milestone: '检查50处', state: 'draft' })
    expect(new Date(draft.updated_at).toISOString()).toBe(at.toISOString())
    const versions = await db
      .selectFrom('ledger_entry_versions')
      .select(['version', 'action', 'at', 'actor_login', 'state'])
      .where('entry_id', '=', draft.id)
      .orderBy('version')
      .execute()
    expect(versions.map((v) => [v.version, v.action, v.state])).toEqual([
      [1, 'create', 'draft'],
      [2, 'milestone', 'draft'],
    ])
    expect(new Date(versions[1]!.at).toISOString()).toBe(at.toISOString())
    expect(versions[1]!.actor_login).toMatch(/^admin-/)
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_type', '=', 'ledger_entry')
      .where('entity_id', '=', String(draft.id))
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      action: 'milestone',
      before: { version: 1, milestone: '' },
      after: { version: 2, milestone: '检查50处' },
    })

    // the officer's save, prepared against version 1 (the old milestone), is refused; a fresh one passes
    const save = (version: number) =>
      w.send(
        'PUT',
        `/api/ledgers/${draft.id}`,
        { version, doneValue: 12, doneText: '检查12处', progress: 'on_track' },
        officer,
      )
    const stale = await save(1)
    expect(stale.status, JSON.stringify(stale.body)).toBe(409)
    expect(stale.body.error.code).toBe('version_conflict')
    expect((await save(2)).status).toBe(200)

    // the returned entry: same milestone, version and time, no version row beyond its creation
    expect(await may('R1002')).toEqual(returnedBefore)
    const returnedVersions = await db
      .selectFrom('ledger_entry_versions')
      .select('action')
      .where('entry_id', '=', returnedBefore.id)
      .execute()
    expect(returnedVersions.map((v) => v.action)).toEqual(['create'])
    w.t.clock.now = NEW_YEAR
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

describe('a measure drawn up during the year', () => {
  // Deadlines counted by hand (5th working day of the next month, 18:00 in Shanghai, no holidays set):
  // August → September 2026 starts on a Tuesday: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 → 7 Sep (past on 1 Oct);
  // September → October starts on a Thursday: Thu 1, Fri 2, Mon 5, Tue 6, Wed 7 → 7 Oct (still ahead);
  // October → November starts on a Sunday: Mon 2 … Fri 6 → 6 Nov (past on 9 Nov);
  // November → December starts on a Tuesday: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 → 7 Dec.
  let lateId = 0

  it('created on 1 October: entries from September (due 7 October) to December, none for January–August', async () => {
    w.t.clock.now = new Date('2026-10-01T02:00:00Z')
    const res = await w.send('POST', `/api/plans/${planId}/measures`, {
      code: 'A-09',
      title: '秋冬季攻坚',
      leadUnitCode: 'sthj',
      indicatorCode: 'sites',
      targetValue: 40,
      responsiblePersonId: w.people.head,
      unitCodes: ['R1001'],
      milestones: [{ month: 9, description: '检查10处', plannedValue: 10 }],
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    lateId = res.body.id
    const rows = await entries(lateId)
    expect(rows.map((r) => [r.unit, r.month, r.milestone, new Date(r.due_at).toISOString()])).toEqual([
      ['R1001', '2026-09-01', '检查10处', '2026-10-07T10:00:00.000Z'],
      ['R1001', '2026-10-01', '', '2026-11-06T10:00:00.000Z'],
      ['R1001', '2026-11-01', '', '2026-12-07T10:00:00.000Z'],
      ['R1001', '2026-12-01', '', '2027-01-07T10:00:00.000Z'],
    ])
    const audit = await sql<{ after: any }>`SELECT after FROM audit_log WHERE action = 'measure.create'
      AND entity_id = ${String(lateId)}`.execute(w.t.database.db)
    expect(audit.rows[0]!.after.ledgerEntriesCreated).toBe(4)
  })

  it('a unit added on 9 November gets November and December only (October was due on 6 November)', async () => {
    w.t.clock.now = new Date('2026-11-09T02:00:00Z')
    const res = await w.send('PATCH', `/api/measures/${lateId}`, { addUnitCodes: ['R1002'] })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const rows = await entries(lateId)
    expect(rows.filter((r) => r.unit === 'R1002').map((r) => r.month)).toEqual(['2026-11-01', '2026-12-01'])
    expect(rows.filter((r) => r.unit === 'R1001')).toHaveLength(4)
  })
})
