// Flag categories and the working calendar's holidays.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TestApp } from '../helpers/app.js'
import { counts, point, POINTS, type FlagsWorld, flagsSuite, NOW, type FlagApi } from './flags.helpers.js'

let t: TestApp
let w: FlagsWorld
let api: FlagApi
beforeAll(async () => ({ t, w, api } = await flagsSuite()))
afterAll(async () => t.close())
beforeEach(() => {
  t.clock.now = NOW
})

describe('flag categories and holidays', () => {
  it('GET /api/flags/categories: the seeded categories with limits', async () => {
    const res = await api.inject('GET', '/api/flags/categories', w.inspector)
    const list = res.json() as {
      code: string
      name: { zh: string; en: string }
      ackLimit: { amount: number; unit: string }
      completeLimit: { amount: number; unit: string }
    }[]
    expect(list.map((c) => c.code)).toEqual([
      'unowned_land',
      'overlapping_responsibility',
      'pollution',
      'dumping',
      'burning',
      'dust',
      'water',
      'other',
    ])
    expect(list.find((c) => c.code === 'dumping')).toMatchObject({
      ackLimit: { amount: 1, unit: 'working_hours' },
      completeLimit: { amount: 4, unit: 'working_hours' },
    })
    expect(list.find((c) => c.code === 'unowned_land')).toMatchObject({
      ackLimit: { amount: 1, unit: 'working_days' },
      completeLimit: { amount: 10, unit: 'working_days' },
    })
  })

  it('PUT /api/flags/categories/:code: admins add categories; others may not; bad limits refused; audited', async () => {
    const body = {
      nameZh: '乱占耕地',
      nameEn: 'Farmland encroachment',
      ackLimit: { amount: 2, unit: 'working_days' },
      completeLimit: { amount: 15, unit: 'working_days' },
    }
    expect(
      (
        await api.inject('POST', '/api/flags', w.inspector, {
          category: 'encroachment',
          geometry: point(POINTS.village),
        })
      ).json().error.code,
    ).toBe('unknown_category')
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/flags/categories/encroachment',
          headers: w.inspector,
          payload: body,
        })
      ).statusCode,
    ).toBe(403)
    const before = await counts(t.database.db)
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/flags/categories/encroachment',
      headers: w.admin,
      payload: { ...body, ackLimit: { amount: 0, unit: 'working_days' } },
    })
    expect(bad.statusCode).toBe(400)
    expect(await counts(t.database.db)).toEqual(before)
    const ok = await t.app.inject({
      method: 'PUT',
      url: '/api/flags/categories/encroachment',
      headers: w.admin,
      payload: body,
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect((await counts(t.database.db)).audit).toBe(before.audit + 1)
    expect(
      (await api.report(w.inspector, { category: 'encroachment', geometry: point([113.0025, 35.0065]) })).statusCode,
    ).toBe(201)
  })

  it('PUT/DELETE /api/flags/holidays/:day', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/flags/holidays/2027-01-01',
      headers: w.admin,
      payload: { name: '元旦' },
    })
    expect(put.statusCode).toBe(200)
    expect((await api.inject('GET', '/api/flags/holidays', w.viewer)).json()).toContainEqual({
      day: '2027-01-01',
      name: '元旦',
      working: false,
    })
    expect(
      (await t.app.inject({ method: 'PUT', url: '/api/flags/holidays/2027-02-30', headers: w.admin, payload: {} }))
        .statusCode,
    ).toBe(400)
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/flags/holidays/2027-01-01', headers: w.admin })).statusCode,
    ).toBe(204)
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/flags/holidays/2027-01-01', headers: w.admin })).statusCode,
    ).toBe(404)
  })
})
