// Time limits in working time (Asia/Shanghai, Mon–Fri 08:30–12:00 and 14:00–18:00), holidays, the
// overdue marks and escalation — all on the controllable clock, no sleeping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.js'
import { flagApi, flagsWorld, point, POINTS, sh, type FlagBody, type FlagsWorld } from './flags.helpers.js'

let t: TestApp
let w: FlagsWorld
let api: ReturnType<typeof flagApi>

beforeAll(async () => {
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760', SIGNIN_RATE_PER_MINUTE: '100000' } })
  t.clock.now = sh('2026-11-27', '09:00')
  w = await flagsWorld(t, '2026-11-26')
  api = flagApi(t)
})
afterAll(async () => t.close())

/** reported at `reportedAt`, registered (and so dispatched) at `dispatchAt` */
async function dispatchedAt(
  category: string,
  at: readonly number[],
  reportedAt: Date,
  dispatchAt: Date,
): Promise<FlagBody> {
  t.clock.now = reportedAt
  const f = await api.reportOk(w.inspector, { category, geometry: point(at) })
  t.clock.now = dispatchAt
  return api.actOk(w.admin, f.id, 'register')
}

async function escalate(at: Date) {
  t.clock.now = at
  const res = await api.inject('POST', '/api/flags/escalate', w.admin)
  expect(res.statusCode, res.body).toBe(200)
  return (
    res.json() as {
      escalated: {
        flagId: number
        limit: string
        fromCellCode: string
        toCellCode: string
        escalationLevel: number
        atTop: boolean
      }[]
    }
  ).escalated
}

describe('deadlines fixed at dispatch', () => {
  it('dumping dispatched Friday 17:00: acknowledge by Friday 18:00, complete (4 working hours) by Monday 11:30', async () => {
    const f = await dispatchedAt('dumping', [113.0011, 35.0011], sh('2026-11-27', '16:50'), sh('2026-11-27', '17:00'))
    expect(f.ackDueAt).toBe(sh('2026-11-27', '18:00').toISOString())
    expect(f.completeDueAt).toBe(sh('2026-11-30', '11:30').toISOString())
    const dispatch = f.timeline.find((e) => e.action === 'dispatch')!
    expect(dispatch.details).toMatchObject({ ackDueAt: f.ackDueAt, completeDueAt: f.completeDueAt })
  })

  it('unowned land dispatched Monday 10:00: 1 working day → end of Tuesday; 10 working days → end of the second Monday after', async () => {
    const f = await dispatchedAt('unowned_land', POINTS.gap, sh('2026-11-30', '09:00'), sh('2026-11-30', '10:00'))
    expect(f.ackDueAt).toBe(sh('2026-12-01', '18:00').toISOString())
    expect(f.completeDueAt).toBe(sh('2026-12-14', '18:00').toISOString())
  })

  it('a holiday (PUT /api/flags/holidays) is skipped, a make-up Saturday counts — for flags dispatched afterwards', async () => {
    const before = await dispatchedAt(
      'dumping',
      [113.0013, 35.0013],
      sh('2026-12-04', '16:00'),
      sh('2026-12-04', '17:00'),
    )
    expect(before.completeDueAt).toBe(sh('2026-12-07', '11:30').toISOString())
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/flags/holidays/2026-12-07',
          headers: w.admin,
          payload: { name: 'test holiday' },
        })
      ).statusCode,
    ).toBe(200)
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/flags/holidays/2026-12-05',
          headers: w.admin,
          payload: { name: '调休', working: true },
        })
      ).statusCode,
    ).toBe(200)
    const after = await dispatchedAt(
      'dumping',
      [113.0015, 35.0015],
      sh('2026-12-04', '16:30'),
      sh('2026-12-04', '17:00'),
    )
    // Friday 17–18 (1 h), Saturday (a make-up working day) 08:30–11:30 (3 h)
    expect(after.completeDueAt).toBe(sh('2026-12-05', '11:30').toISOString())
    expect((await api.get(w.admin, before.id)).completeDueAt).toBe(sh('2026-12-07', '11:30').toISOString())
    await t.app.inject({ method: 'DELETE', url: '/api/flags/holidays/2026-12-07', headers: w.admin })
    await t.app.inject({ method: 'DELETE', url: '/api/flags/holidays/2026-12-05', headers: w.admin })
  })
})

describe('overdue and escalation', () => {
  it('missed acknowledgement, then missed completion: one level up each time, once per limit, visibly', async () => {
    const f = await dispatchedAt('burning', [113.0021, 35.0021], sh('2027-01-08', '16:55'), sh('2027-01-08', '17:00')) // a Friday
    expect(f.ackDueAt).toBe(sh('2027-01-08', '18:00').toISOString())
    expect(f.completeDueAt).toBe(sh('2027-01-11', '11:30').toISOString())

    expect((await escalate(sh('2027-01-08', '17:59'))).filter((e) => e.flagId === f.id)).toEqual([])
    t.clock.now = sh('2027-01-08', '18:00')
    expect((await api.get(w.admin, f.id)).overdue).toEqual({ ack: false, completion: false, any: false })

    // one minute past the acknowledgement limit
    t.clock.now = sh('2027-01-08', '18:01')
    expect((await api.get(w.admin, f.id)).overdue).toEqual({ ack: true, completion: false, any: true })
    const overdueList = (await api.inject('GET', '/api/flags?overdue=true&limit=1000', w.viewer)).json() as {
      flags: { id: number }[]
    }
    expect(overdueList.flags.map((x) => x.id)).toContain(f.id)
    const first = (await escalate(sh('2027-01-08', '18:01'))).filter((e) => e.flagId === f.id)
    expect(first).toEqual([
      { flagId: f.id, limit: 'ack', fromCellCode: 'C01001', toCellCode: 'C01', escalationLevel: 1, atTop: false },
    ])
    const afterFirst = await api.get(w.admin, f.id)
    expect(afterFirst).toMatchObject({
      state: 'dispatched',
      escalationLevel: 1,
      escalatedTo: { code: 'C01' },
      version: f.version,
    })
    expect(afterFirst.assignees.filter((a) => a.reason === 'escalation').map((a) => [a.name, a.cellCode])).toEqual([
      ['乡长一', 'C01'],
      ['乡员一', 'C01'],
    ])
    const event = afterFirst.timeline.at(-1)!
    expect(event).toMatchObject({ action: 'escalate', fromState: 'dispatched', toState: 'dispatched' })
    expect(event.comment).toContain('acknowledgement limit')
    // once per missed limit: running again (later, still unacknowledged) does nothing more
    expect((await escalate(sh('2027-01-11', '09:00'))).filter((e) => e.flagId === f.id)).toEqual([])

    // acknowledged late; the completion limit passes Monday 11:30 without feedback
    t.clock.now = sh('2027-01-11', '09:30')
    await api.actOk(w.supV1, f.id, 'acknowledge')
    expect((await escalate(sh('2027-01-11', '11:30'))).filter((e) => e.flagId === f.id)).toEqual([])
    const second = (await escalate(sh('2027-01-11', '11:31'))).filter((e) => e.flagId === f.id)
    expect(second).toEqual([
      { flagId: f.id, limit: 'complete', fromCellCode: 'C01', toCellCode: 'C', escalationLevel: 2, atTop: false },
    ])
    expect(await api.get(w.admin, f.id)).toMatchObject({
      escalationLevel: 2,
      escalatedTo: { code: 'C' },
      overdue: { ack: false, completion: true, any: true },
    })
    expect((await escalate(sh('2027-01-12', '11:31'))).filter((e) => e.flagId === f.id)).toEqual([])

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_login'])
      .where('entity_type', '=', 'flag')
      .where('entity_id', '=', String(f.id))
      .where('action', '=', 'escalate')
      .execute()
    expect(audit).toHaveLength(2)
    expect(audit.every((a) => a.actor_login?.startsWith('admin-'))).toBe(true)
  })

  it('acknowledged and completed in time: never escalated; feedback pending verification is not overdue', async () => {
    const f = await dispatchedAt('dumping', [113.0031, 35.0031], sh('2027-01-12', '08:50'), sh('2027-01-12', '09:00'))
    t.clock.now = sh('2027-01-12', '09:30')
    await api.actOk(w.supV1, f.id, 'acknowledge')
    t.clock.now = sh('2027-01-12', '12:00')
    await api.actOk(w.supV1, f.id, 'feedback', { note: 'done' })
    expect((await escalate(sh('2027-01-13', '18:00'))).filter((e) => e.flagId === f.id)).toEqual([])
    expect((await api.get(w.admin, f.id)).overdue.any).toBe(false)
  })

  it('feedback returned after the completion limit: overdue again and escalated then', async () => {
    const f = await dispatchedAt('dumping', [113.0041, 35.0041], sh('2027-01-13', '08:50'), sh('2027-01-13', '09:00'))
    t.clock.now = sh('2027-01-13', '09:10')
    await api.actOk(w.supV1, f.id, 'acknowledge')
    await api.actOk(w.supV1, f.id, 'feedback', { note: 'done?' })
    expect((await escalate(sh('2027-01-14', '09:00'))).filter((e) => e.flagId === f.id)).toEqual([])
    t.clock.now = sh('2027-01-14', '09:30')
    await api.actOk(w.inspector2, f.id, 'return', { comment: 'still there' })
    const escalated = (await escalate(sh('2027-01-14', '09:31'))).filter((e) => e.flagId === f.id)
    expect(escalated).toMatchObject([{ limit: 'complete', toCellCode: 'C01', escalationLevel: 1 }])
  })

  it('a flag already at the township by the fallback rule escalates to the county, then has nobody higher', async () => {
    const f = await dispatchedAt('burning', POINTS.vacant, sh('2027-01-15', '08:40'), sh('2027-01-15', '09:00'))
    expect(f.routing.accountableCellCode).toBe('C01')
    const both = (await escalate(sh('2027-01-19', '09:00'))).filter((e) => e.flagId === f.id)
    expect(both).toEqual([
      { flagId: f.id, limit: 'ack', fromCellCode: 'C01', toCellCode: 'C', escalationLevel: 1, atTop: false },
      { flagId: f.id, limit: 'complete', fromCellCode: 'C', toCellCode: 'C', escalationLevel: 2, atTop: true },
    ])
  })

  it("the township supervisor's inbox counts the overdue flags of its villages", async () => {
    t.clock.now = sh('2027-01-19', '09:00')
    const res = await api.inject('GET', '/api/flags/inbox?overdue=true', w.supT1)
    expect(res.statusCode).toBe(200)
    const body = res.json() as { overdue: number; flags: { overdue: { any: boolean } }[] }
    expect(body.overdue).toBeGreaterThanOrEqual(3)
    expect(body.flags.length).toBeGreaterThan(0)
    expect(body.flags.every((x) => x.overdue.any)).toBe(true)
  })

  it('POST /api/flags/escalate is for admins only', async () => {
    expect((await api.inject('POST', '/api/flags/escalate', w.viewer)).statusCode).toBe(403)
    expect((await api.inject('POST', '/api/flags/escalate', w.supCounty)).statusCode).toBe(403)
  })
})
