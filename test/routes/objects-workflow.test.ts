// 填报 → 审核 for the supervision inventory: a grid member files in their own cell, the township above
// reviews (never the filer), a returned object is corrected and filed again, stale versions conflict,
// retired objects stay readable; every write is audited and every refused one writes nothing.
//
//   OW (township, level 1) 113.00–113.02 × 35.00–35.01, chief tChief
//   OW-A 113.00–113.01 (member aMember)   OW-B 113.01–113.02 (member bMember)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let admin: Record<string, string>
let member: { headers: Record<string, string>; login: string }
let otherMember: Record<string, string>
let township: { headers: Record<string, string>; login: string }

beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('OW', box(113, 35, 113.02, 35.01))
  const top = await f.cell({ regionId: region.id, code: 'OW', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  const a = await f.cell({
    regionId: region.id,
    code: 'OW-A',
    level: 2,
    parentCode: 'OW',
    geometry: box(113, 35, 113.01, 35.01),
  })
  const b = await f.cell({
    regionId: region.id,
    code: 'OW-B',
    level: 2,
    parentCode: 'OW',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  const tStaff = await f.staff(top.id)
  const aStaff = await f.staff(a.id)
  const bStaff = await f.staff(b.id)
  member = await signedIn(t, 'supervisor', aStaff.member.id)
  otherMember = (await signedIn(t, 'supervisor', bStaff.member.id)).headers
  township = await signedIn(t, 'supervisor', tStaff.chief.id)
})
afterAll(async () => t.close())

const inA = { type: 'Point', coordinates: [113.005, 35.005] }
const inB = { type: 'Point', coordinates: [113.015, 35.005] }
const counts = async () => {
  const { rows } = await sql<{ objects: number; audits: number }>`
    SELECT (SELECT count(*)::int FROM supervised_objects) AS objects,
           (SELECT count(*)::int FROM audit_log WHERE entity_type = 'object') AS audits`.execute(t.database.db)
  return rows[0]!
}
const post = (headers: Record<string, string>, url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })
const auditActions = async (id: number) =>
  (
    await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_login'])
      .where('entity_type', '=', 'object')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute()
  ).map((r) => `${r.action}:${r.actor_login}`)

describe('filing and review', () => {
  let filedId: number

  it('a grid member files in their own cell: filed, waiting for review, audited', async () => {
    const res = await post(member.headers, '/api/objects', {
      code: 'OW-E1',
      name: '  东风化工厂 ',
      type: 'enterprise',
      riskLevel: 'high',
      geometry: inA,
      attributes: { address: '东风路1号', employees: 40, permit: true, note: null },
    })
    expect(res.statusCode, res.body).toBe(201)
    const p = res.json().object.properties
    expect(p).toMatchObject({
      status: 'filed',
      name: '东风化工厂',
      cellCode: 'OW-A',
      filedBy: member.login,
      version: 1,
    })
    expect(p.visitsPerMonth).toBe(4)
    expect(p.attributes).toEqual({ address: '东风路1号', employees: 40, permit: true, note: null })
    filedId = res.json().object.id
    expect(await auditActions(filedId)).toEqual([`create:${member.login}`])
  })

  it('a grid member cannot file in another cell, nor outside every cell; nothing is written', async () => {
    const before = await counts()
    const other = await post(member.headers, '/api/objects', {
      code: 'OW-X1',
      name: 'x',
      type: 'boiler',
      riskLevel: 'low',
      geometry: inB,
    })
    expect(other.statusCode, other.body).toBe(403)
    const outside = await post(member.headers, '/api/objects', {
      code: 'OW-X2',
      name: 'x',
      type: 'boiler',
      riskLevel: 'low',
      geometry: { type: 'Point', coordinates: [114, 36] },
    })
    expect(outside.statusCode, outside.body).toBe(403)
    expect(await counts()).toEqual(before)
  })

  it('the filer and the grid member of a sibling cell may not review; the township accepts', async () => {
    const before = await counts()
    const own = await post(member.headers, `/api/objects/${filedId}/accept`, { version: 1 })
    expect(own.statusCode, own.body).toBe(403)
    const sibling = await post(otherMember, `/api/objects/${filedId}/accept`, { version: 1 })
    expect(sibling.statusCode, sibling.body).toBe(403)
    expect(await counts()).toEqual(before)
    const ok = await post(township.headers, `/api/objects/${filedId}/accept`, { version: 1 })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().object.properties).toMatchObject({ status: 'accepted', reviewedBy: township.login, version: 2 })
    const again = await post(admin, `/api/objects/${filedId}/accept`, { version: 2 })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('invalid_transition')
  })

  it('four eyes: the township files an object and cannot accept it itself', async () => {
    const res = await post(township.headers, '/api/objects', {
      code: 'OW-T1',
      name: '镇锅炉',
      type: 'boiler',
      riskLevel: 'medium',
      geometry: inB,
    })
    expect(res.statusCode, res.body).toBe(201)
    const id = res.json().object.id
    const self = await post(township.headers, `/api/objects/${id}/accept`, { version: 1 })
    expect(self.statusCode).toBe(409)
    expect(self.json().error.code).toBe('own_filing')
    expect((await post(admin, `/api/objects/${id}/accept`, { version: 1 })).statusCode).toBe(200)
  })

  it('returned with a reason, corrected by the filer and filed again; a stale version conflicts', async () => {
    const res = await post(member.headers, '/api/objects', {
      code: 'OW-F1',
      name: '养殖场',
      type: 'livestock_farm',
      riskLevel: 'medium',
      geometry: inA,
    })
    const id = res.json().object.id
    const blank = await post(township.headers, `/api/objects/${id}/return`, { version: 1, reason: '   ' })
    expect(blank.statusCode).toBe(400)
    const returned = await post(township.headers, `/api/objects/${id}/return`, { version: 1, reason: '位置不对' })
    expect(returned.statusCode, returned.body).toBe(200)
    expect(returned.json().object.properties).toMatchObject({ status: 'returned', returnReason: '位置不对' })
    const fixed = await t.app.inject({
      method: 'PATCH',
      url: `/api/objects/${id}`,
      headers: member.headers,
      payload: { version: 2, geometry: { type: 'Point', coordinates: [113.007, 35.002] } },
    })
    expect(fixed.statusCode, fixed.body).toBe(200)
    expect(fixed.json().object.properties).toMatchObject({ status: 'filed', returnReason: null, version: 3 })
    expect(fixed.json().object.geometry.coordinates).toEqual([113.007, 35.002])
    const before = await counts()
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/objects/${id}`,
      headers: member.headers,
      payload: { version: 2, name: 'stale' },
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 3 } })
    expect(await counts()).toEqual(before)
    expect(await auditActions(id)).toEqual([
      `create:${member.login}`,
      `return:${township.login}`,
      `update:${member.login}`,
    ])
  })

  it('retired: kept, out of the default list, listed with status=retired, no longer editable', async () => {
    const res = await post(admin, '/api/objects', {
      code: 'OW-R1',
      name: '拆除锅炉',
      type: 'boiler',
      riskLevel: 'low',
      geometry: inB,
    })
    expect(res.json().object.properties.status).toBe('accepted')
    const id = res.json().object.id
    const retired = await post(admin, `/api/objects/${id}/retire`, { version: 1, reason: '已拆除' })
    expect(retired.statusCode, retired.body).toBe(200)
    expect(retired.json().object.properties).toMatchObject({ status: 'retired', retiredReason: '已拆除' })
    const list = async (q: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/objects?${q}`, headers: admin }))
        .json()
        .features.map((f: { properties: { code: string } }) => f.properties.code)
    expect(await list('q=OW-R1')).toEqual([])
    expect(await list('q=OW-R1&status=retired')).toEqual(['OW-R1'])
    const edit = await t.app.inject({
      method: 'PATCH',
      url: `/api/objects/${id}`,
      headers: admin,
      payload: { version: 2, name: 'x' },
    })
    expect(edit.statusCode).toBe(409)
  })

  it('filters: type, review status, risk, cell and text; unknown values are named', async () => {
    const codes = async (q: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/objects?${q}`, headers: admin })
      expect(res.statusCode, res.body).toBe(200)
      return res.json().features.map((f: { properties: { code: string } }) => f.properties.code)
    }
    expect(await codes('type=boiler')).toEqual(['OW-T1'])
    expect(await codes('status=filed')).toEqual(['OW-F1'])
    expect(await codes('risk=high')).toEqual(['OW-E1'])
    expect(await codes('cell=OW-A')).toEqual(['OW-E1', 'OW-F1'])
    expect(await codes('q=化工')).toEqual(['OW-E1'])
    expect(await codes('q=%25')).toEqual([])
    const search = await t.app.inject({
      method: 'GET',
      url: `/api/search?q=${encodeURIComponent('化工')}`,
      headers: admin,
    })
    expect(search.json().filter((h: { type: string }) => h.type === 'object')).toMatchObject([
      { key: 'OW-E1', label: '东风化工厂', bbox: [113.005, 35.005, 113.005, 35.005] },
    ])
    const bad = await t.app.inject({ method: 'GET', url: '/api/objects?status=filed,lost', headers: admin })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('lost')
    const types = (await t.app.inject({ method: 'GET', url: '/api/object-types', headers: admin })).json()
    expect(types.frequencies).toEqual([
      { riskLevel: 'high', visitsPerMonth: 4 },
      { riskLevel: 'medium', visitsPerMonth: 2 },
      { riskLevel: 'low', visitsPerMonth: 1 },
    ])
    expect(types.types.find((x: { code: string }) => x.code === 'boiler').checklist.length).toBe(2)
  })

  it('a filing sent twice with one Idempotency-Key is stored once', async () => {
    const before = await counts()
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/objects',
        headers: { ...member.headers, 'idempotency-key': 'offline-filing-0001' },
        payload: { code: 'OW-I1', name: '排污口', type: 'river_outfall', riskLevel: 'high', geometry: inA },
      })
    const first = await send()
    const second = await send()
    expect(first.statusCode, first.body).toBe(201)
    expect(second.statusCode).toBe(201)
    expect(second.headers['idempotent-replayed']).toBe('true')
    expect(second.json().object.id).toBe(first.json().object.id)
    const after = await counts()
    expect(after.objects - before.objects).toBe(1)
    expect(after.audits - before.audits).toBe(1)
  })
})

describe('concurrent filings of one code', () => {
  it('one is stored, the others get 409 duplicate_object, never a 500', async () => {
    const before = await counts()
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        post(admin, '/api/objects', { code: 'OW-RACE', name: '并发', type: 'boiler', riskLevel: 'low', geometry: inA }),
      ),
    )
    const statuses = results.map((r) => r.statusCode).sort()
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409])
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().error.code).toBe('duplicate_object')
    expect((await counts()).objects).toBe(before.objects + 1)
  })
})

describe('bad filings: a clear 4xx naming the problem, nothing written', () => {
  const base = { code: 'OW-BAD', name: 'bad', type: 'enterprise', riskLevel: 'low', geometry: inA }
  const cases: [string, Record<string, unknown>, number, string][] = [
    [
      'a line',
      {
        geometry: {
          type: 'LineString',
          coordinates: [
            [113, 35],
            [113.001, 35.001],
          ],
        },
      },
      400,
      'invalid_geometry',
    ],
    ['longitude out of range', { geometry: { type: 'Point', coordinates: [200, 35] } }, 400, 'invalid_geometry'],
    ['a string coordinate', { geometry: { type: 'Point', coordinates: ['113', 35] } }, 400, 'invalid_geometry'],
    [
      'a bow-tie polygon',
      {
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [113.001, 35.001],
              [113.003, 35.003],
              [113.003, 35.001],
              [113.001, 35.003],
              [113.001, 35.001],
            ],
          ],
        },
      },
      400,
      'invalid_geometry',
    ],
    [
      'a boiler as a polygon',
      { type: 'boiler', geometry: box(113.001, 35.001, 113.002, 35.002) },
      400,
      'geometry_kind_mismatch',
    ],
    ['an unknown type', { type: 'volcano' }, 400, 'unknown_object_type'],
    ['outside every region', { geometry: { type: 'Point', coordinates: [120, 30] } }, 400, 'outside_regions'],
    ['a nested attribute', { attributes: { contact: { phone: '1' } } }, 400, 'invalid_attributes'],
    ['a blank name', { name: '   ' }, 400, 'validation'],
    ['a bad code', { code: 'has space' }, 400, 'validation'],
    ['an unknown risk level', { riskLevel: 'extreme' }, 400, 'validation'],
    ['a taken code', { code: 'OW-E1' }, 409, 'duplicate_object'],
  ]
  for (const [what, change, status, code] of cases) {
    it(what, async () => {
      const before = await counts()
      const res = await post(admin, '/api/objects', { ...base, ...change })
      expect(res.statusCode, res.body).toBe(status)
      if (code !== 'validation') expect(res.json().error.code).toBe(code)
      expect(res.json().error.message.length).toBeGreaterThan(10)
      expect(await counts()).toEqual(before)
    })
  }

  it('a grid member sending a broken geometry gets the 400, not a crash', async () => {
    const before = await counts()
    const res = await post(member.headers, '/api/objects', { ...base, geometry: { type: 'Point', coordinates: [] } })
    expect(res.statusCode, res.body).toBe(400)
    expect(await counts()).toEqual(before)
  })
})
