// Deadlines, overdue entries and their escalation, on a calendar with a holiday, with the test clock.
// October 2026 ends on a Saturday; with Wednesday 4 November a holiday, the 5th working day of November
// is Monday 9 November: October's entries are due then at 18:00 (Shanghai). Five working days later
// (10, 11, 12, 13, 16 November) is Monday 16 November, 18:00. September's entries (no holiday in
// October in this calendar) are due on the 5th working day after Wednesday 30 September: 7 October.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, type TestApp } from '../helpers/app.js'
import { ledgerApp, ledgerCounts, loopWorld, sh, type LoopWorld, type Officer } from '../helpers/loop-world.js'

let t: TestApp
let w: LoopWorld
const OCT_DUE = sh('2026-11-09', '18:00')
const SEP_DUE = sh('2026-10-07', '18:00')

beforeAll(async () => {
  t = await ledgerApp()
  t.clock.now = sh('2026-11-02', '09:00')
  const admin = await signedIn(t, 'admin')
  const holiday = await t.app.inject({
    method: 'PUT',
    url: '/api/flags/holidays/2026-11-04',
    headers: admin.headers,
    payload: { name: '测试假日' },
  })
  expect(holiday.statusCode, holiday.body).toBe(200)
  w = await loopWorld(t, ['2026-09', '2026-10'])
})
afterAll(async () => t.close())

const call = (method: 'GET' | 'POST', url: string, who: Officer, payload?: unknown) =>
  t.app.inject({ method, url, headers: who.headers, payload: payload as object })
const escalate = async () => {
  const res = await call('POST', '/api/ledgers/escalate', w.admin)
  expect(res.statusCode, res.body).toBe(200)
  return res.json().escalated as { entryId: number; escalationLevel: number; toUnitCode: string; dueAt: string }[]
}
const overdueIds = async (month: string) =>
  (await call('GET', `/api/ledgers?overdue=true&month=${month}`, w.viewer)).json().entries.map((e: any) => e.id)

describe('deadlines, overdue and escalation', () => {
  it('the deadline comes from the working calendar (the holiday moves it)', async () => {
    const e = (await call('GET', `/api/ledgers/${w.entry('A', '2026-10')}`, w.admin)).json()
    expect(e.dueAt).toBe(OCT_DUE.toISOString())
    const s = (await call('GET', `/api/ledgers/${w.entry('B', '2026-09')}`, w.admin)).json()
    expect(s.dueAt).toBe(SEP_DUE.toISOString())
  })

  it('before the deadline: not overdue; September, long past due, goes straight to level 2 in two steps', async () => {
    t.clock.now = sh('2026-11-05', '10:00')
    const a = w.entry('A', '2026-10')
    const res = await call('POST', `/api/ledgers/${a}/submit`, w.officerA, { version: 1 })
    expect(res.statusCode).toBe(200)
    t.clock.now = new Date(OCT_DUE.getTime() - 60_000)
    expect(await overdueIds('2026-10')).toEqual([])
    const sept = [w.entry('A', '2026-09'), w.entry('B', '2026-09')]
    expect((await overdueIds('2026-09')).sort()).toEqual([...sept].sort())
    const before = await ledgerCounts(t.database.db)
    const steps = await escalate()
    expect(steps.map((s) => [s.entryId, s.escalationLevel, s.toUnitCode])).toEqual([
      [sept[0], 1, 'dept_a'],
      [sept[0], 2, 'lead'],
      [sept[1], 1, 'dept_b'],
      [sept[1], 2, 'lead'],
    ])
    const after = await ledgerCounts(t.database.db)
    expect([after.versions - before.versions, after.audit - before.audit]).toEqual([4, 4])
    const e = (await call('GET', `/api/ledgers/${sept[1]}`, w.admin)).json()
    expect(e).toMatchObject({ escalationLevel: 2, overdue: true, version: 3, state: 'draft' })
    expect(e.versions.slice(1).map((v: any) => [v.action, v.reason])).toEqual([
      ['escalate', expect.stringMatching(/head of unit dept_b/)],
      ['escalate', expect.stringMatching(/5 working days past due.*lead unit lead/)],
    ])
    // a second run finds nothing more to do
    expect(await escalate()).toEqual([])
  })

  it('at the deadline: the missing entry is overdue and goes to level 1; five working days later to level 2', async () => {
    const b = w.entry('B', '2026-10')
    t.clock.now = new Date(OCT_DUE.getTime() + 60_000)
    expect(await overdueIds('2026-10')).toEqual([b])
    expect((await escalate()).map((s) => [s.entryId, s.escalationLevel, s.toUnitCode, s.dueAt])).toEqual([
      [b, 1, 'dept_b', OCT_DUE.toISOString()],
    ])
    expect(await escalate()).toEqual([])
    // Friday 13 November is the 4th working day after; Monday 16 November 18:00 the 5th
    t.clock.now = sh('2026-11-16', '17:59')
    expect(await escalate()).toEqual([])
    t.clock.now = sh('2026-11-16', '18:01')
    expect((await escalate()).map((s) => [s.entryId, s.escalationLevel, s.toUnitCode])).toEqual([[b, 2, 'lead']])
    expect(await escalate()).toEqual([])
  })

  it('a late submission is not overdue any more but not on time; the summary counts it so', async () => {
    const b = w.entry('B', '2026-10')
    const version = (await call('GET', `/api/ledgers/${b}`, w.admin)).json().version
    const res = await call('POST', `/api/ledgers/${b}/submit`, w.officerB, { version })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ overdue: false, onTime: false, escalationLevel: 2 })
    const s = (await call('GET', '/api/ledgers/summary?month=2026-10', w.viewer)).json()
    expect(s.units.map((u: any) => [u.unit.code, u.entries, u.submitted, u.onTime, u.overdue])).toEqual([
      ['dept_a', 1, 1, 1, 0],
      ['dept_b', 1, 1, 0, 0],
    ])
    const sept = (await call('GET', '/api/ledgers/summary?month=2026-09', w.viewer)).json()
    expect(sept.units.map((u: any) => [u.unit.code, u.overdue])).toEqual([
      ['dept_a', 1],
      ['dept_b', 1],
    ])
  })

  it('a returned entry past its deadline is overdue again', async () => {
    const a = w.entry('A', '2026-10')
    const version = (await call('GET', `/api/ledgers/${a}`, w.admin)).json().version
    const res = await call('POST', `/api/ledgers/${a}/return`, w.reviewer, { version, reason: '照片不清楚' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ state: 'returned', overdue: true, onTime: false })
    expect(await overdueIds('2026-10')).toEqual([a])
    // five working days past due already: both levels at once
    expect((await escalate()).map((s) => [s.entryId, s.escalationLevel])).toEqual([
      [a, 1],
      [a, 2],
    ])
  })
})
