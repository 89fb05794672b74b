// The monthly assessment on a hand-built world (assessment.helpers.ts), every figure worked out by hand
// below from the rows the test writes — not from the code — and a closed month read again, unchanged,
// after later edits.
//
// Scheme 2026 (weights): timeliness 30 (all), completion 20 (all), flag closure 10 and flag on time 10
// (townships), gap area 10 (townships), vacancy days 20 (townships), pm25 20 (townships; letter target 35, lower is better).
// Red list 1, black list 1. Month 2026-03, ledger due 2026-04-08T10:00Z, time zone Asia/Shanghai.
//
// Ledger entries of March (on time = submitted/accepted and submitted ≤ due):
//   T1: accepted done on time; accepted on_track late          → timeliness 1/2, completion 2/2
//   T2: accepted done on time; returned (submitted on time)     → timeliness 1/2, completion 1/2
//   T3: none                                                    → both not applicable
//   D1: accepted done on time; submitted done on time; draft    → timeliness 2/3, completion 1/3
//   D2: accepted late progress late                             → timeliness 0/1, completion 0/1
//   D3: none                                                    → nothing applicable: listed, no score
// Flags of T1 due in March (Shanghai time): due 03-10 completed 03-09 (on time); due 03-12 completed
//   03-13 (late); due 2026-02-28T17:00Z = 1 March 01:00 (not completed). Due 2026-03-31T17:00Z = 1 April:
//   not March. → closure 2/3, on time 1/3. T3: one flag due 03-20 completed 03-19 → 1/1, 1/1. T2: none.
// Gap: T1's child covers its west half → gap = half → score 50; T2, T3 have no children → 100.
// Vacancy: T1A (T1's child) vacant 17..31 March = 15 of T1's 2 cells × 31 days; T2, T3 staffed → 100.
// pm25 figures: T1 40 → 100 × (1 − 5/35); T2 30 → 100 (met); T3 65.625 → 100 × (1 − 30.625/35) = 12.5.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { assessmentWorld, flag, ledgerEntry, type AssessmentWorld } from './assessment.helpers.js'

let t: TestApp
let w: AssessmentWorld
let admin: Awaited<ReturnType<typeof signedIn>>
let viewer: Awaited<ReturnType<typeof signedIn>>

const DUE = '2026-04-08T10:00:00Z'
const ON_TIME = '2026-04-03T02:00:00Z'
const LATE = '2026-04-10T02:00:00Z'

const SCHEME = {
  redListSize: 1,
  blackListSize: 1,
  indicators: [
    { code: 'timeliness', kind: 'ledger_timeliness', name: '台账及时率', nameEn: 'Ledger timeliness', weight: 30 },
    { code: 'completion', kind: 'ledger_completion', name: '台账完成率', nameEn: 'Ledger completion', weight: 20 },
    {
      code: 'closure',
      kind: 'flag_closure',
      name: '办结率',
      nameEn: 'Flag closure',
      weight: 10,
      appliesTo: 'township',
    },
    { code: 'on_time', kind: 'flag_on_time', name: '按时办结率', nameEn: 'On time', weight: 10, appliesTo: 'township' },
    { code: 'gaps', kind: 'gap_area', name: '网格空白', nameEn: 'Gap area', weight: 10, appliesTo: 'township' },
    { code: 'vacancy', kind: 'vacancy_days', name: '空岗天数', nameEn: 'Vacancy', weight: 20, appliesTo: 'township' },
    {
      code: 'pm25',
      kind: 'environment',
      name: 'PM2.5',
      nameEn: 'PM2.5',
      weight: 20,
      appliesTo: 'township',
      indicatorCode: 'pm25',
    },
  ],
}

// ---------------------------------------------------------------- the hand computation
const weighted = (parts: [number, number][]) =>
  parts.reduce((a, [weight, score]) => a + weight * score, 0) / parts.reduce((a, [weight]) => a + weight, 0)
const to2 = (x: number) => Math.round(x * 100) / 100
const T1_VACANCY = 100 * (1 - 15 / (2 * 31))
const T1 = to2(
  weighted([
    [30, 50], // timeliness 1/2
    [20, 100], // completion 2/2
    [10, 200 / 3], // closure 2/3
    [10, 100 / 3], // on time 1/3
    [10, 50], // gap: half the cell
    [20, T1_VACANCY],
    [20, 100 * (1 - 5 / 35)], // pm25 40 against 35
  ]),
)
const T2 = to2(
  weighted([
    [30, 50],
    [20, 50],
    [10, 100],
    [20, 100],
    [20, 100],
  ]),
)
const T3 = to2(
  weighted([
    [10, 100],
    [10, 100],
    [10, 100],
    [20, 100],
    [20, 12.5],
  ]),
)
const D1 = to2(
  weighted([
    [30, 200 / 3],
    [20, 100 / 3],
  ]),
)
const D2 = 0
// February: no entries, flags or figures; townships score on gap area and vacancy (all staffed)
const FEB = {
  T1: to2(
    weighted([
      [10, 50],
      [20, 100],
    ]),
  ),
  T2: 100,
  T3: 100,
}

beforeAll(async () => {
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760' } })
  t.clock.now = new Date('2026-04-01T02:00:00Z')
  w = await assessmentWorld(t)
  admin = await signedIn(t, 'admin')
  viewer = await signedIn(t, 'viewer')
  const put = await t.app.inject({
    method: 'PUT',
    url: '/api/assessment/schemes/2026',
    headers: admin.headers,
    payload: SCHEME,
  })
  expect(put.statusCode, put.body).toBe(200)
  const e = (
    unitId: number,
    state: 'draft' | 'submitted' | 'accepted' | 'returned',
    progress: 'done' | 'on_track' | 'late',
    submittedAt: string | null,
  ) => ledgerEntry(t, w, { unitId, month: '2026-03', state, progress, dueAt: DUE, submittedAt })
  const u = w.units
  await e(u.T1, 'accepted', 'done', ON_TIME)
  await e(u.T1, 'accepted', 'on_track', LATE)
  await e(u.T2, 'accepted', 'done', ON_TIME)
  await e(u.T2, 'returned', 'done', ON_TIME)
  await e(u.D1, 'accepted', 'done', ON_TIME)
  await e(u.D1, 'submitted', 'done', ON_TIME)
  await e(u.D1, 'draft', 'done', null)
  await e(u.D2, 'accepted', 'late', LATE)
  await flag(t, w.cells.T1, '2026-03-10T08:00:00Z', '2026-03-09T08:00:00Z')
  await flag(t, w.cells.T1, '2026-03-12T08:00:00Z', '2026-03-13T08:00:00Z')
  await flag(t, w.cells.T1, '2026-02-28T17:00:00Z', null)
  await flag(t, w.cells.T1, '2026-03-31T17:00:00Z', null)
  await flag(t, w.cells.T3, '2026-03-20T08:00:00Z', '2026-03-19T08:00:00Z')
  const figures = await t.app.inject({
    method: 'PUT',
    url: '/api/environment-figures',
    headers: admin.headers,
    payload: {
      rows: [
        { unit: 'T1', month: '2026-03', indicator: 'pm25', value: 40 },
        { unit: 'T2', month: '2026-03', indicator: 'pm25', value: 30 },
        { unit: 'T3', month: '2026-03', indicator: 'pm25', value: 65.625, source: 'station' },
      ],
    },
  })
  expect(figures.statusCode, figures.body).toBe(200)
  expect(figures.json()).toEqual({ written: 3 })
})
afterAll(() => t?.close())

const read = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: viewer.headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
const row = (body: any, code: string) =>
  [...body.groups.township, ...body.groups.department].find((r: any) => r.unit.code === code)

describe('GET /api/assessment/:month', () => {
  it('scores and ranks the units as the hand computation does, ties sharing a rank', async () => {
    const body = await read('/api/assessment/2026-03')
    expect(body.closed).toBe(false)
    // T2 and T3 tie at 75 and share rank 1; T1 is third (1, 1, 3)
    expect(T2).toBe(75)
    expect(T3).toBe(75)
    expect(body.groups.township.map((r: any) => [r.unit.code, r.score, r.rank])).toEqual([
      ['T2', T2, 1],
      ['T3', T3, 1],
      ['T1', T1, 3],
    ])
    expect(body.groups.department.map((r: any) => [r.unit.code, r.score, r.rank])).toEqual([
      ['D1', D1, 1],
      ['D2', D2, 2],
      ['D3', null, null],
    ])
    // red list: rank ≤ 1 (both tied townships); black list: the last one, never one on the red list
    const codes = (list: any[]) => list.map((x) => x.unit.code)
    expect(codes(body.redList.township)).toEqual(['T2', 'T3'])
    expect(codes(body.blackList.township)).toEqual(['T1'])
    expect(codes(body.redList.department)).toEqual(['D1'])
    expect(codes(body.blackList.department)).toEqual(['D2'])
  })

  it("gives each part's raw value and score, not applicable parts without a score", async () => {
    const body = await read('/api/assessment/2026-03')
    const parts = (code: string) =>
      Object.fromEntries(row(body, code).parts.map((p: any) => [p.indicator, [p.rawValue, p.score, p.weight]]))
    const t1 = parts('T1')
    expect(t1.timeliness).toEqual([0.5, 50, 30])
    expect(t1.completion).toEqual([1, 100, 20])
    expect(t1.closure[0]).toBeCloseTo(2 / 3, 10)
    expect(t1.on_time[1]).toBeCloseTo(100 / 3, 10)
    expect(t1.gaps[1]).toBeCloseTo(50, 4)
    expect(t1.vacancy[1]).toBeCloseTo(T1_VACANCY, 10)
    expect(t1.pm25[0]).toBe(40)
    expect(t1.pm25[1]).toBeCloseTo(100 * (1 - 5 / 35), 10)
    const t3 = parts('T3')
    expect(t3.timeliness).toEqual([null, null, 30])
    expect(t3.completion).toEqual([null, null, 20])
    expect(parts('T2').closure).toEqual([null, null, 10])
    // departments are not scored by the township-only indicators
    expect(row(body, 'D1').parts.map((p: any) => p.indicator)).toEqual(['timeliness', 'completion'])
  })

  it('compares with the month before (computed live while February is open)', async () => {
    const body = await read('/api/assessment/2026-03')
    expect([row(body, 'T1').previousScore, row(body, 'T1').previousRank]).toEqual([FEB.T1, 3])
    expect([row(body, 'T2').previousScore, row(body, 'T2').previousRank]).toEqual([FEB.T2, 1])
    expect(row(body, 'T1').change).toBe(to2(T1 - FEB.T1))
    expect(row(body, 'T2').change).toBe(to2(T2 - FEB.T2))
    expect(row(body, 'D1').previousScore).toBeNull()
    expect(row(body, 'D1').change).toBeNull()
  })
})

describe('GET /api/assessment/:month/units/:code', () => {
  it('lists the rows each part was computed from', async () => {
    const body = await read('/api/assessment/2026-03/units/T1')
    expect(body.score).toBe(T1)
    const part = (code: string) => body.parts.find((p: any) => p.indicator === code)
    expect(part('timeliness').details.map((d: any) => [d.row, d.onTime, d.counted])).toEqual([
      ['ledger_entry', true, true],
      ['ledger_entry', false, false],
    ])
    expect(part('closure').details.map((d: any) => [d.completeDueAt, d.counted])).toEqual([
      ['2026-02-28T17:00:00.000Z', false],
      ['2026-03-10T08:00:00.000Z', true],
      ['2026-03-12T08:00:00.000Z', true],
    ])
    const [area, ...gaps] = part('gaps').details
    expect(area.row).toBe('area')
    expect(area.gapAreaM2 / area.cellAreaM2).toBeCloseTo(0.5, 6)
    expect(gaps.map((g: any) => g.parentCode)).toEqual(['T1'])
    expect(part('vacancy').rawValue).toBe(15)
    expect(part('vacancy').details).toEqual([
      { row: 'cell_days', cells: 2, daysInMonth: 31 },
      {
        row: 'shortfall',
        cellCode: 'T1A',
        from: '2026-03-17',
        to: '2026-03-31',
        days: 15,
        kind: 'vacant',
        missingChiefs: 1,
        missingMembers: 1,
      },
    ])
    expect(part('pm25').details).toEqual([
      { row: 'figure', indicator: 'pm25', value: 40, target: 35, direction: 'lower_is_better', source: '' },
    ])
  })

  it('answers 404 for an unknown unit', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/assessment/2026-03/units/NOPE',
      headers: viewer.headers,
    })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.message).toContain('NOPE')
  })
})

describe('GET /api/assessment/trend', () => {
  it("gives the unit's score and rank for each month so far", async () => {
    const body = await read('/api/assessment/trend?year=2026&unit=T1')
    expect(body.months.map((m: any) => [m.month, m.score, m.rank, m.groupSize])).toEqual([
      ['2026-01', FEB.T1, 3, 3],
      ['2026-02', FEB.T1, 3, 3],
      ['2026-03', T1, 3, 3],
      // April (today's month): T1's flag due 1 April 01:00 Shanghai, not completed → closure 0, on time 0;
      // T1A vacant all April: 30 of 2 × 30 cell-days → 50
      [
        '2026-04',
        to2(
          weighted([
            [10, 0],
            [10, 0],
            [10, 50],
            [20, 50],
          ]),
        ),
        3,
        3,
      ],
    ])
  })
})

describe('POST /api/assessment/:month/close', () => {
  it('refuses before the ledger deadline, closes once after it, and the figures never change again', async () => {
    const close = () => t.app.inject({ method: 'POST', url: '/api/assessment/2026-03/close', headers: admin.headers })
    t.clock.now = new Date('2026-04-01T02:00:00Z')
    const early = await close()
    expect(early.statusCode).toBe(409)
    expect(early.json().error.code).toBe('ledger_deadline_not_passed')
    expect(await t.database.db.selectFrom('assessment_months').selectAll().execute()).toEqual([])

    const live = await read('/api/assessment/2026-03')
    t.clock.now = new Date('2026-04-20T02:00:00Z')
    const closed = await close()
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json().closed).toBe(true)
    const frozen = { ...closed.json(), closed: false, closedAt: null }
    expect(frozen).toEqual(live)
    const drill = await read('/api/assessment/2026-03/units/T1')
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'assessment.close')
      .execute()
    expect(audit.map((a) => a.entity_id)).toEqual(['2026-03'])

    const again = await close()
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('month_closed')

    // later edits: a late entry made on time, a new flag, a weight changed, a figure changed, February's figure
    await t.database.db
      .updateTable('ledger_entries')
      .set({ submitted_at: new Date(ON_TIME) })
      .where('submitted_at', '=', new Date(LATE))
      .execute()
    await flag(t, w.cells.T2, '2026-03-15T08:00:00Z', null)
    const reweighted = { ...SCHEME, indicators: SCHEME.indicators.map((i) => ({ ...i, weight: i.weight + 5 })) }
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/assessment/schemes/2026',
          headers: admin.headers,
          payload: reweighted,
        })
      ).statusCode,
    ).toBe(200)
    const figures = await t.app.inject({
      method: 'PUT',
      url: '/api/environment-figures',
      headers: admin.headers,
      payload: {
        rows: [
          { unit: 'T1', month: '2026-03', indicator: 'pm25', value: 20 },
          { unit: 'T1', month: '2026-02', indicator: 'pm25', value: 80 },
        ],
      },
    })
    expect(figures.statusCode).toBe(200)

    expect(await read('/api/assessment/2026-03')).toEqual(closed.json())
    expect(await read('/api/assessment/2026-03/units/T1')).toEqual(drill)
    // an open month does see the edits (April now scores with the new weights, February with its figure)
    expect(row(await read('/api/assessment/2026-02'), 'T1').score).not.toBe(FEB.T1)
  })
})
