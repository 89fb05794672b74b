// GET /api/cells/:code/duty-timeline and /api/continuity/*: answers counted by hand on a small world.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { continuityWorld } from './continuity.helpers.js'

let t: TestApp
let h: Record<string, string>
beforeAll(async () => {
  t = await testApp()
  await continuityWorld(t)
  h = (await signedIn(t, 'viewer')).headers
})
afterAll(async () => t.close())

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: h })
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200)
  return res.json()
}

describe('GET /api/cells/:code/duty-timeline', () => {
  it('lists the duties and the month without a chief', async () => {
    const body = await get('/api/cells/K01001/duty-timeline?from=2026-01-01&to=2026-06-15')
    expect(body.cell).toMatchObject({ code: 'K01001', level: 3 })
    expect(body.rule).toEqual({ chiefs: 1, members: 1 })
    expect(body.duties.map((d: any) => [d.person.name, d.role, d.from, d.to])).toEqual([
      ['甲', 'grid_chief', '2020-01-01', '2026-03-10'],
      ['乙', 'grid_chief', '2026-04-01', null],
      ['丙', 'grid_member', '2020-01-01', null],
    ])
    expect(body.shortfalls).toEqual([
      expect.objectContaining({
        cellCode: 'K01001',
        townshipCode: 'K01',
        from: '2026-03-11',
        to: '2026-03-31',
        days: 21,
        kind: 'understaffed',
        missing: { chiefs: 1, members: 0 },
        extraChiefs: 0,
        open: false,
      }),
    ])
  })

  it('defaults to this year so far', async () => {
    const body = await get('/api/cells/K01002/duty-timeline')
    expect([body.from, body.to]).toEqual(['2026-01-01', '2026-06-15'])
    // vacant from 05-01 to today: 31 + 15 days
    expect(body.shortfalls).toEqual([
      expect.objectContaining({ from: '2026-05-01', to: '2026-06-15', days: 46, kind: 'vacant', open: true }),
    ])
  })
})

describe('GET /api/continuity/shortfalls', () => {
  it('gives every period in the scope with totals', async () => {
    const body = await get('/api/continuity/shortfalls?scope=K01&from=2026-01-01&to=2026-06-15')
    expect(body.periods.map((p: any) => [p.cellCode, p.from, p.to, p.days, p.kind])).toEqual([
      ['K01001', '2026-03-11', '2026-03-31', 21, 'understaffed'],
      ['K01002', '2026-05-01', '2026-06-15', 46, 'vacant'],
    ])
    expect(body.totals).toEqual({ vacantDays: 46, understaffedDays: 21, cells: 2 })
  })

  it('sees a future gap when asked about the future (with the duties known today)', async () => {
    const body = await get('/api/continuity/shortfalls?scope=K01003&from=2026-06-01&to=2026-07-10')
    expect(body.periods).toEqual([
      expect.objectContaining({ cellCode: 'K01003', from: '2026-06-26', to: '2026-07-10', days: 15, open: true }),
    ])
  })
})

describe('GET /api/continuity/vacancy-days', () => {
  it('sums cell-days per township for a month', async () => {
    expect((await get('/api/continuity/vacancy-days?month=2026-03')).townships).toEqual([
      { township: { code: 'K01', name: 'Cell K01', nameEn: null }, cells: 5, vacantDays: 0, understaffedDays: 21 },
    ])
    expect((await get('/api/continuity/vacancy-days?month=2026-05&scope=K01')).townships).toMatchObject([
      { vacantDays: 31, understaffedDays: 0 },
    ])
  })

  it('counts the current month up to today', async () => {
    const body = await get('/api/continuity/vacancy-days?scope=K')
    expect(body).toMatchObject({ month: '2026-06', from: '2026-06-01', to: '2026-06-15' })
    expect(body.townships).toMatchObject([{ vacantDays: 15, understaffedDays: 0 }])
  })
})

describe('GET /api/continuity/duties-ending', () => {
  it('lists duties ending within EXPIRING_SOON_DAYS with no successor', async () => {
    const body = await get('/api/continuity/duties-ending')
    expect(body.within).toBe(t.config.expiringSoonDays)
    expect(body.duties).toEqual([
      expect.objectContaining({
        cell: expect.objectContaining({ code: 'K01003' }),
        person: expect.objectContaining({ name: '己' }),
        role: 'grid_chief',
        endsOn: '2026-06-25',
        daysLeft: 10,
        after: { kind: 'understaffed', missing: { chiefs: 1, members: 0 } },
      }),
    ])
  })

  it('looks further ahead when asked, and not at all with within=0', async () => {
    const far = await get('/api/continuity/duties-ending?within=120')
    expect(far.duties.map((d: any) => [d.cell.code, d.endsOn])).toEqual([
      ['K01003', '2026-06-25'],
      ['K01004', '2026-09-30'],
    ])
    expect((await get('/api/continuity/duties-ending?within=0')).duties).toEqual([])
    expect((await get('/api/continuity/duties-ending?within=120&scope=K01004')).duties).toHaveLength(1)
  })
})
