// Monthly assessment figures on a hand-built set of ten flags, with every number worked out by hand.
// All flags are "dumping": acknowledge within 1 working hour, complete within 4 working hours.
//
//  flag  cell (→ dispatched to)   reported        dispatched      feedback        verified        then            due (Nov?)
//  A     C01001                   Mon 2 Nov 09:00  Nov 2 09:00     Nov 2 11:00     Nov 2 11:30     —               Nov 2 15:00 ✓ on time, 2.5 h
//  B     C01001                   Nov 3 09:00      Nov 3 09:00     Nov 3 16:00     Nov 3 16:30     —               Nov 3 15:00 ✓ late,    7.5 h
//  C     C01002                   Nov 4 09:00      Nov 4 09:00     Nov 4 10:00     Nov 4 10:30     reopened Nov 5  Nov 4 15:00 ✓ not closed now, 1.5 h, reopened
//  D     C01002                   Nov 5 09:00      Nov 5 09:00     —               —               —               Nov 5 15:00 ✓ not closed
//  E     C01003 vacant (→ C01)    Fri 6 Nov 17:00  Nov 6 17:00     Nov 9 10:00     Nov 9 10:30     —               Nov 9 11:30 ✓ on time, 65.5 h
//  F     C02001 vacant (→ C02)    Fri 27 Nov 17:00 Nov 27 17:00    Nov 30 11:00    Dec 1 09:00     —               Nov 30 11:30 ✓ on time (closed in Dec)
//  G     C02001 vacant (→ C02)    Nov 30 16:00     Nov 30 16:00    —               —               —               Dec 1 10:30 ✗
//  H     C01001                   Nov 10 09:00     rejected        —               —               —               —
//  I     C01001                   Fri 30 Oct 09:00 Oct 30 09:00    Oct 30 10:00    Nov 2 09:00     —               Oct 30 15:00 ✗ (closed in Nov, 72 h)
//  J     C01001                   Nov 12 09:00     (still reported)
// Figures computed on 2 Dec 12:00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.js'
import { flagApi, flagsWorld, point, sh, type FlagsWorld, type Headers } from './flags.helpers.js'

let t: TestApp
let w: FlagsWorld
let api: ReturnType<typeof flagApi>

interface Figures {
  received: number
  registered: number
  due: number
  dueClosed: number
  dueClosedOnTime: number
  closureRate: number | null
  onTimeClosureRate: number | null
  closed: number
  meanHoursToClose: number | null
  reopened: number
  reopenRate: number | null
}
interface Row extends Figures {
  key: string
  code: string | null
  name: string | null
}
interface Assessment {
  month: string
  by: string
  definitions: Record<string, string>
  totals: Figures
  rows: Row[]
  townshipRanking: (Row & { rank: number | null })[]
}

beforeAll(async () => {
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760', SIGNIN_RATE_PER_MINUTE: '100000' } })
  t.clock.now = sh('2026-10-01', '09:00')
  w = await flagsWorld(t, '2020-06-01') // C02001 has been vacant since 2020
  api = flagApi(t)

  let spot = 0
  const report = async (day: string, time: string, at?: [number, number]) => {
    t.clock.now = sh(day, time)
    const p = at ?? [113.001 + (spot++ % 9) * 0.001, 35.002]
    return (await api.reportOk(w.inspector, { category: 'dumping', geometry: point(p) })).id
  }
  const step = async (
    day: string,
    time: string,
    h: Headers,
    id: number,
    action: string,
    body: Record<string, unknown> = {},
  ) => {
    t.clock.now = sh(day, time)
    await api.actOk(h, id, action, body)
  }
  /** registered at the report time, acknowledged 10 minutes later, feedback and verification when given */
  const run = async (
    id: number,
    day: string,
    time: string,
    handler: Headers,
    fb?: [string, string],
    verified?: [string, string],
  ) => {
    await step(day, time, w.admin, id, 'register')
    const [h, m] = time.split(':').map(Number) as [number, number]
    await step(day, `${String(h).padStart(2, '0')}:${String(m + 10).padStart(2, '0')}`, handler, id, 'acknowledge')
    if (fb) await step(fb[0], fb[1], handler, id, 'feedback', { note: 'done' })
    if (verified) await step(verified[0], verified[1], w.inspector2, id, 'verify')
  }

  const I = await report('2026-10-30', '09:00')
  await run(I, '2026-10-30', '09:00', w.supT1, ['2026-10-30', '10:00'], ['2026-11-02', '09:00'])
  const A = await report('2026-11-02', '09:00')
  await run(A, '2026-11-02', '09:00', w.supT1, ['2026-11-02', '11:00'], ['2026-11-02', '11:30'])
  const B = await report('2026-11-03', '09:00')
  await run(B, '2026-11-03', '09:00', w.supT1, ['2026-11-03', '16:00'], ['2026-11-03', '16:30'])
  const C = await report('2026-11-04', '09:00', [113.015, 35.003])
  await run(C, '2026-11-04', '09:00', w.supT1, ['2026-11-04', '10:00'], ['2026-11-04', '10:30'])
  await step('2026-11-05', '09:00', w.inspector2, C, 'reopen', { comment: 'rubbish is back' })
  const D = await report('2026-11-05', '09:00', [113.016, 35.004])
  await step('2026-11-05', '09:00', w.admin, D, 'register')
  const E = await report('2026-11-06', '17:00', [113.005, 35.015])
  await run(E, '2026-11-06', '17:00', w.supT1, ['2026-11-09', '10:00'], ['2026-11-09', '10:30'])
  const F = await report('2026-11-27', '17:00', [113.03, 35.01])
  await run(F, '2026-11-27', '17:00', w.supT2, ['2026-11-30', '11:00'], ['2026-12-01', '09:00'])
  const G = await report('2026-11-30', '16:00', [113.031, 35.011])
  await step('2026-11-30', '16:00', w.admin, G, 'register')
  const H = await report('2026-11-10', '09:00')
  await step('2026-11-10', '09:00', w.admin, H, 'reject', { reason: 'not dumping' })
  await report('2026-11-12', '09:00') // J

  // sanity: the deadlines the table above relies on
  expect((await api.get(w.admin, E)).completeDueAt).toBe(sh('2026-11-09', '11:30').toISOString())
  expect((await api.get(w.admin, F)).completeDueAt).toBe(sh('2026-11-30', '11:30').toISOString())
  expect((await api.get(w.admin, G)).completeDueAt).toBe(sh('2026-12-01', '10:30').toISOString())
  t.clock.now = sh('2026-12-02', '12:00')
})
afterAll(async () => t.close())

async function figures(query: string): Promise<Assessment> {
  const res = await api.inject('GET', `/api/flags/assessment?${query}`, w.viewer)
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as Assessment
}

const fig = (
  received: number,
  registered: number,
  due: number,
  dueClosed: number,
  dueClosedOnTime: number,
  closureRate: number | null,
  onTimeClosureRate: number | null,
  closed: number,
  meanHoursToClose: number | null,
  reopened: number,
  reopenRate: number | null,
): Figures => ({
  received,
  registered,
  due,
  dueClosed,
  dueClosedOnTime,
  closureRate,
  onTimeClosureRate,
  closed,
  meanHoursToClose,
  reopened,
  reopenRate,
})

describe('GET /api/flags/assessment', () => {
  it('totals for November 2026', async () => {
    const a = await figures('month=2026-11')
    // received A–H, J (9); registered A–G (7); due A–F (6); closed now among them A B E F (4), on time A E F (3);
    // closed in November A B C E I (5): (2.5 + 7.5 + 1.5 + 65.5 + 72) / 5 = 29.8 h; C reopened (1 of 5)
    expect(a.totals).toEqual(fig(9, 7, 6, 4, 3, 0.6667, 0.5, 5, 29.8, 1, 0.2))
    expect(a.definitions.due).toContain('completion deadline')
  })

  it('by cell (the dispatched cell)', async () => {
    const a = await figures('month=2026-11&by=cell')
    expect(a.by).toBe('cell')
    const only = ({ key: _k, code: _c, name: _n, ...figures }: Row) => figures
    expect(Object.fromEntries(a.rows.map((r) => [r.code, only(r)]))).toEqual({
      // A B H J received; A B registered and due; A on time, B late; A B I closed: (2.5 + 7.5 + 72) / 3
      C01001: fig(4, 2, 2, 2, 1, 1, 0.5, 3, 27.33, 0, 0),
      // C D; C closed (1.5 h) and reopened, D never acknowledged
      C01002: fig(2, 2, 2, 0, 0, 0, 0, 1, 1.5, 1, 1),
      // E, from the vacant village C01003
      C01: fig(1, 1, 1, 1, 1, 1, 1, 1, 65.5, 0, 0),
      // F (due, closed on time in December) and G (due in December)
      C02: fig(2, 2, 1, 1, 1, 1, 1, 0, null, 0, null),
    })
  })

  it('by township, with the ranking', async () => {
    const a = await figures('month=2026-11&by=township')
    const rows = Object.fromEntries(a.rows.map((r) => [r.code, r]))
    expect(rows.C01).toMatchObject(fig(7, 5, 5, 3, 2, 0.6, 0.4, 5, 29.8, 1, 0.2))
    expect(rows.C02).toMatchObject(fig(2, 2, 1, 1, 1, 1, 1, 0, null, 0, null))
    expect(a.townshipRanking.map((r) => [r.rank, r.code, r.onTimeClosureRate])).toEqual([
      [1, 'C02', 1],
      [2, 'C01', 0.4],
    ])
  })

  it('by person (the people each flag was dispatched to)', async () => {
    const a = await figures('month=2026-11&by=person')
    const byName = Object.fromEntries(a.rows.map((r) => [r.name, r]))
    expect(Object.keys(byName).sort()).toEqual(
      ['张三', '李四', '王五', '赵六', '乡长一', '乡员一', '乡长二', '乡员二'].sort(),
    )
    // H (rejected) and J (never registered) were dispatched to nobody; I was received in October
    expect(byName['张三']).toMatchObject(fig(2, 2, 2, 2, 1, 1, 0.5, 3, 27.33, 0, 0))
    expect(byName['李四']).toMatchObject(fig(2, 2, 2, 2, 1, 1, 0.5, 3, 27.33, 0, 0))
    expect(byName['王五']).toMatchObject(fig(2, 2, 2, 0, 0, 0, 0, 1, 1.5, 1, 1))
    expect(byName['乡长一']).toMatchObject(fig(1, 1, 1, 1, 1, 1, 1, 1, 65.5, 0, 0))
    expect(byName['乡员二']).toMatchObject(fig(2, 2, 1, 1, 1, 1, 1, 0, null, 0, null))
    expect(byName['张三']!.key).toBe(String(w.people.v1Chief))
  })

  it('December: G due (not closed); F closed in December', async () => {
    const a = await figures('month=2026-12')
    // received none; registered none; due G; closed F (first close Dec 1 09:00, dispatched Nov 27 17:00 = 88 h)
    expect(a.totals).toEqual(fig(0, 0, 1, 0, 0, 0, 0, 1, 88, 0, 0))
  })

  it('a month with nothing: zeros and no rates', async () => {
    expect((await figures('month=2025-01')).totals).toEqual(fig(0, 0, 0, 0, 0, null, null, 0, null, 0, null))
  })

  it('bad month or grouping → 400; inspectors and supervisors → 403', async () => {
    for (const q of ['month=2026-13', 'month=2026-1', 'month=2026-11&by=village', '']) {
      expect((await api.inject('GET', `/api/flags/assessment?${q}`, w.viewer)).statusCode, q).toBe(400)
    }
    expect((await api.inject('GET', '/api/flags/assessment?month=2026-11', w.inspector)).statusCode).toBe(403)
    expect((await api.inject('GET', '/api/flags/assessment?month=2026-11', w.supCounty)).statusCode).toBe(403)
  })
})
