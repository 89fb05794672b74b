import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let admin: Record<string, string>
beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('Q', box(113, 35, 113.02, 35.01))
  const top = await f.cell({ regionId: region.id, code: 'Q', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  await f.staff(top.id)
  const a = await f.cell({
    regionId: region.id,
    code: 'Q001',
    level: 2,
    parentCode: 'Q',
    geometry: box(113, 35, 113.01, 35.01),
  })
  const b = await f.cell({
    regionId: region.id,
    code: 'Q002',
    level: 2,
    parentCode: 'Q',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  await f.staff(a.id)
  await f.staff(b.id)
  for (let i = 0; i < 5; i++)
    await f.parcel({
      regionId: region.id,
      externalId: `Q-${i}`,
      geometry: box(113.001 + i * 0.001, 35.001, 113.0015 + i * 0.001, 35.0015),
    })
  await f.rematchAll(region.id)
})
afterAll(async () => t.close())

const matchTimes = async () =>
  (
    await sql<{ external_id: string; matched_at: Date; code: string | null }>`
    SELECT p.external_id, m.matched_at, c.code FROM parcels p JOIN parcel_matches m ON m.parcel_id = p.id LEFT JOIN grid_cells c ON c.id = m.cell_id ORDER BY p.external_id`.execute(
      t.database.db,
    )
  ).rows

describe('parcel writes', () => {
  it('PATCH /api/parcels/:id moves a parcel and rematches only that parcel', async () => {
    const before = await matchTimes()
    const id = (
      await t.database.db.selectFrom('parcels').select('id').where('external_id', '=', 'Q-2').executeTakeFirstOrThrow()
    ).id
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/parcels/${id}`,
      headers: admin,
      payload: { geometry: box(113.015, 35.005, 113.016, 35.006) },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().chain[0].cell.code).toBe('Q002')
    const after = await matchTimes()
    for (let i = 0; i < after.length; i++) {
      if (after[i]!.external_id === 'Q-2') {
        expect(after[i]!.code).toBe('Q002')
        expect(after[i]!.matched_at.getTime()).toBeGreaterThan(before[i]!.matched_at.getTime())
      } else {
        expect(after[i]!.matched_at.getTime()).toBe(before[i]!.matched_at.getTime())
      }
    }
  })

  it('POST /api/parcels matches the new parcel; a bad one is refused and nothing is written', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/parcels',
      headers: admin,
      payload: {
        externalId: 'Q-NEW',
        landUse: 'enterprise',
        ownerName: '某公司',
        geometry: box(113.011, 35.001, 113.012, 35.002),
      },
    })
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json().parcel.status).toBe('matched')
    const count = async () => (await t.database.db.selectFrom('parcels').select('id').execute()).length
    const n = await count()
    for (const payload of [
      { externalId: 'Q-NEW', landUse: 'farmland', geometry: box(113.011, 35.001, 113.012, 35.002) },
      { externalId: 'Q-BAD', landUse: 'moon', geometry: box(113.011, 35.001, 113.012, 35.002) },
      { externalId: 'Q-BAD', landUse: 'farmland', geometry: { type: 'Point', coordinates: [113, 35] } },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/parcels', headers: admin, payload })
      expect([400, 409]).toContain(res.statusCode)
    }
    expect(await count()).toBe(n)
  })
})

describe('GET /api/parcels?cell=', () => {
  it('lists the parcels matched to a cell and below it; an unknown cell is a 404', async () => {
    const inCell = async (code: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/parcels?cell=${code}`, headers: admin }))
        .json()
        .features.map((f: { properties: { cellCode: string } }) => f.properties.cellCode)
    const q1 = await inCell('Q001')
    expect(q1.length).toBeGreaterThan(0)
    expect(new Set(q1)).toEqual(new Set(['Q001']))
    expect((await inCell('Q')).length).toBeGreaterThan(q1.length)
    expect((await t.app.inject({ method: 'GET', url: '/api/parcels?cell=NOPE', headers: admin })).statusCode).toBe(404)
  })
})

describe('staffing rules', () => {
  it('a rule of two members per village makes a one-member village understaffed', async () => {
    const staffing = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/cells/Q001', headers: admin })).json().staffing
    expect(await staffing()).toBe('staffed')
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/staffing-rules/2',
      headers: admin,
      payload: { chiefsRequired: 1, membersRequired: 2 },
    })
    expect(res.statusCode).toBe(200)
    expect(await staffing()).toBe('understaffed')
    expect((await t.app.inject({ method: 'DELETE', url: '/api/staffing-rules/2', headers: admin })).statusCode).toBe(
      204,
    )
    expect(await staffing()).toBe('staffed')
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/staffing-rules/9',
      headers: admin,
      payload: { chiefsRequired: 1, membersRequired: 2 },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('"level"')
  })
})
