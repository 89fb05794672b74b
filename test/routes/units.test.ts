// Units (townships from the grid, departments by hand), heads and liaisons, a unit officer's own units,
// lines of work and indicators; a unit officer account needs a person.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signIn } from '../helpers/app.js'
import { refusedWritingNothing, unitsWorld, type UnitsWorld } from './units.helpers.js'

let w: UnitsWorld
beforeAll(async () => {
  w = await unitsWorld()
})
afterAll(() => w?.t.close())

const auditCount = async (action: string) =>
  Number(
    (
      await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log WHERE action = ${action}`.execute(
        w.t.database.db,
      )
    ).rows[0]!.n,
  )

describe('POST /api/units/sync', () => {
  it('makes one township unit per level-2 cell, named after it, once', async () => {
    const first = await w.send('POST', '/api/units/sync')
    expect(first.status).toBe(200)
    expect(first.body).toEqual({ created: ['R1001', 'R1002'], townships: 2 })
    expect(await auditCount('unit.create')).toBe(2)
    const again = await w.send('POST', '/api/units/sync')
    expect(again.body).toEqual({ created: [], townships: 2 })
    const list = await w.send('GET', '/api/units', undefined, w.viewer)
    expect(list.body.map((u: any) => [u.code, u.name, u.kind, u.cellCode])).toEqual([
      ['R1001', '许良镇', 'township', 'R1001'],
      ['R1002', '月山镇', 'township', 'R1002'],
    ])
  })
})

describe('POST /api/units and PATCH /api/units/:code', () => {
  it('adds a department with its head and liaisons, audited', async () => {
    const res = await w.send('POST', '/api/units', {
      code: 'sthj',
      name: '生态环境局',
      nameEn: 'Ecology and Environment Bureau',
      headPersonId: w.people.head,
      liaisonPersonIds: [w.people.liaison],
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      code: 'sthj',
      kind: 'department',
      cellCode: null,
      head: { id: w.people.head, name: 'Head' },
      liaisons: [{ id: w.people.liaison, name: 'Liaison' }],
      leads: [],
    })
    const audit = await sql<{
      after: any
    }>`SELECT after FROM audit_log WHERE action = 'unit.create' AND entity_type = 'unit'
      ORDER BY id DESC LIMIT 1`.execute(w.t.database.db)
    expect(audit.rows[0]!.after.code).toBe('sthj')
  })

  it('changes the liaisons (the whole list) and the head', async () => {
    const res = await w.send('PATCH', '/api/units/R1001', {
      headPersonId: w.people.other,
      liaisonPersonIds: [w.people.liaison, w.people.head],
    })
    expect(res.status).toBe(200)
    expect(res.body.head).toEqual({ id: w.people.other, name: 'Other' })
    expect(res.body.liaisons.map((l: any) => l.name).sort()).toEqual(['Head', 'Liaison'])
    expect(await auditCount('unit.update')).toBe(1)
  })

  it('refuses an unknown person, a taken code, an unknown unit and a bad code, writing nothing', async () => {
    await refusedWritingNothing(
      w,
      { method: 'POST', url: '/api/units', payload: { code: 'zjj', name: '住建局', headPersonId: 999999 } },
      400,
      'unknown_person',
      /headPersonId.*999999/,
    )
    await refusedWritingNothing(
      w,
      { method: 'POST', url: '/api/units', payload: { code: 'sthj', name: '又一个' } },
      409,
      'unit_exists',
    )
    await refusedWritingNothing(
      w,
      { method: 'PATCH', url: '/api/units/nope', payload: { name: 'X' } },
      404,
      'not_found',
      /unit "nope"/,
    )
    await refusedWritingNothing(
      w,
      { method: 'PATCH', url: '/api/units/R1002', payload: { liaisonPersonIds: [w.people.other, 888888] } },
      400,
      'unknown_person',
      /888888/,
    )
    await refusedWritingNothing(
      w,
      { method: 'POST', url: '/api/units', payload: { code: '生态', name: '生态' } },
      400,
      'invalid_request',
      /code/,
    )
  })
})

describe('GET /api/units/mine', () => {
  it("lists the units a unit officer's person heads or liaises for", async () => {
    // Liaison: liaison of sthj and of R1001; Other: head of R1001
    const liaison = await w.send('POST', '/api/users', {
      login: 'unit-liaison',
      displayName: 'L',
      role: 'unit_officer',
      personId: w.people.liaison,
      password: 'long enough password',
    })
    expect(liaison.status).toBe(201)
    const headers = (await signIn(w.t, 'unit-liaison', 'long enough password')).headers
    const mine = await w.send('GET', '/api/units/mine', undefined, headers)
    expect(mine.status).toBe(200)
    expect(mine.body.map((u: any) => u.code)).toEqual(['R1001', 'sthj'])
  })

  it('a unit officer account without a person is refused with 400, nothing written', async () => {
    await refusedWritingNothing(
      w,
      {
        method: 'POST',
        url: '/api/users',
        payload: { login: 'no-person', displayName: 'N', role: 'unit_officer', password: 'long enough password' },
      },
      400,
      'person_required',
      /unit officer/,
    )
  })
})

describe('PUT /api/lines/:code and PUT /api/indicators/:code', () => {
  it('adds a line led by a unit, shown in the unit’s leads', async () => {
    const res = await w.send('PUT', '/api/lines/air', { name: '大气', nameEn: 'Air', leadUnitCode: 'sthj' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ code: 'air', leadUnit: { code: 'sthj', kind: 'department' } })
    const units = await w.send('GET', '/api/units', undefined, w.viewer)
    expect(units.body.find((u: any) => u.code === 'sthj').leads).toEqual(['air'])
    expect((await w.send('GET', '/api/lines', undefined, w.viewer)).body.map((l: any) => l.code)).toEqual(['air'])
  })

  it('adds and changes an indicator', async () => {
    const body = { name: 'PM2.5', nameEn: 'PM2.5', unitOfMeasure: 'µg/m³', direction: 'lower_is_better', minValue: 0 }
    expect((await w.send('PUT', '/api/indicators/pm25', body)).status).toBe(200)
    const changed = await w.send('PUT', '/api/indicators/pm25', { ...body, maxValue: 1000 })
    expect(changed.body).toEqual({ code: 'pm25', ...body, maxValue: 1000 })
    expect(await auditCount('indicator.create')).toBe(1)
    expect(await auditCount('indicator.update')).toBe(1)
  })

  it('refuses an unknown lead unit, crossed bounds and a bad code, writing nothing', async () => {
    await refusedWritingNothing(
      w,
      { method: 'PUT', url: '/api/lines/water', payload: { name: '水', nameEn: 'Water', leadUnitCode: 'slj' } },
      400,
      'unknown_unit',
      /leadUnitCode.*"slj"/,
    )
    await refusedWritingNothing(
      w,
      {
        method: 'PUT',
        url: '/api/indicators/x',
        payload: { name: 'X', nameEn: 'X', direction: 'higher_is_better', minValue: 5, maxValue: 1 },
      },
      400,
      'invalid_bounds',
      /minValue 5/,
    )
    await refusedWritingNothing(
      w,
      { method: 'PUT', url: '/api/lines/Air', payload: { name: '大气', nameEn: 'Air', leadUnitCode: 'sthj' } },
      400,
      'invalid_request',
    )
  })
})
