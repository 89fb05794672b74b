// An inspection campaign from finding to report, every figure worked out by hand (world and working
// time in inspections.helpers.ts). Monday 2 March 2026, 10:00 in Beijing (02:00Z):
//   F1 general A1 at T2  (113.15, 35.05): due 3 working days later, Thu 5 March 18:00 = 10:00Z
//   F2 serious A2 at T1A (113.02, 35.05): due 3 working hours later, 10:00–12:00 + 14:00–15:00 = 07:00Z
//   F3 general A1 at T1A (113.03, 35.05): due Thu 5 March 10:00Z
//   F4 major   A2 at T2  (113.16, 35.05): due 1 working day later, Tue 3 March 18:00 = 10:00Z
// and an ordinary flag O (dust, T1A), registered at once: due 1 working day later, Tue 3 March 10:00Z.
// All are acknowledged at 03:00Z. F1 (by T2's unit officer) and F3 (by an admin) are reported rectified
// with evidence at 03:30Z and verified by an inspector at 06:00Z; F2 is left: at 08:00Z it is overdue and
// escalates from T1A to its parent T1. F4 is reported rectified on Wed 4 March 02:00Z (late), returned,
// reported again at 02:45Z and verified at 03:00Z.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.js'
import { inspectionWorld, PNG, type Headers, type InspectionWorld } from './inspections.helpers.js'

let t: TestApp
let iw: InspectionWorld
const flagOf: Record<string, number> = {}
const findingOf: Record<string, number> = {}

const inject = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Headers, payload?: unknown) =>
  t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) })
async function ok(method: 'GET' | 'POST' | 'PUT', url: string, headers: Headers, payload?: unknown) {
  const res = await inject(method, url, headers, payload)
  expect(res.statusCode, res.body).toBeLessThan(300)
  return res.json()
}
const at = (iso: string) => (t.clock.now = new Date(iso))
const flag = (name: string) => ok('GET', `/api/flags/${flagOf[name]}`, iw.admin)

beforeAll(async () => {
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760' } })
  at('2026-03-02T02:00:00Z')
  iw = await inspectionWorld(t)
  const put = await inject('PUT', '/api/assessment/schemes/2026', iw.admin, {
    redListSize: 0,
    blackListSize: 0,
    indicators: [
      {
        code: 'insp',
        kind: 'inspection_findings',
        name: '督查问题整改',
        nameEn: 'Findings',
        weight: 50,
        appliesTo: 'township',
      },
      { code: 'ontime', kind: 'flag_on_time', name: '按时办结', nameEn: 'On time', weight: 50, appliesTo: 'township' },
    ],
  })
  expect(put.statusCode, put.body).toBe(200)
  // O: an ordinary flag in T1A, due in March like the findings
  const o = await ok('POST', '/api/flags', iw.inspector, { category: 'dust', lon: 113.02, lat: 35.02 })
  flagOf.O = o.id
  await ok('POST', `/api/flags/${o.id}/register`, iw.admin, { version: o.version })
})
afterAll(() => t?.close())

const record = (name: string, body: Record<string, unknown>, key = `finding-${name}`) =>
  inject('POST', `/api/inspections/${iw.campaignId}/findings`, { ...iw.inspector, 'idempotency-key': key }, body)

const F1 = {
  checklistItem: 'A1',
  severity: 'general',
  description: '工地围挡破损',
  lon: 113.15,
  lat: 35.05,
  observedAt: '2026-03-02T01:50:00Z',
  photos: [{ data: PNG, contentType: 'image/png', filename: 'fence.png' }],
}

describe('recording findings', () => {
  it('routes each finding to its cell and unit, dispatched at once with the deadline of its severity', async () => {
    const f1 = await record('F1', F1)
    expect(f1.statusCode, f1.body).toBe(201)
    expect(f1.json()).toMatchObject({
      campaignCode: 'AIR-2603',
      checklistItem: 'A1',
      checklistLabel: '工地围挡',
      severity: 'general',
      unit: { code: 'T2' },
      cellCode: 'T2',
      state: 'dispatched',
      dueAt: '2026-03-05T10:00:00.000Z',
      rectifiedAt: null,
      overdue: false,
      escalationLevel: 0,
    })
    flagOf.F1 = f1.json().flagId
    findingOf.F1 = f1.json().id
    // the same finding sent again under its key (a phone that lost the answer) is stored once
    const again = await record('F1', F1)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.json().id).toBe(findingOf.F1)

    const f2 = await record('F2', {
      checklistItem: 'A2',
      severity: 'serious',
      description: '道路积尘严重',
      lon: 113.02,
      lat: 35.05,
      observedAt: '2026-03-02T01:55:00Z',
    })
    expect(f2.statusCode, f2.body).toBe(201)
    expect(f2.json()).toMatchObject({ unit: { code: 'T1' }, cellCode: 'T1A', dueAt: '2026-03-02T07:00:00.000Z' })
    const f3 = await record('F3', {
      checklistItem: 'A1',
      severity: 'general',
      description: '围挡缺失',
      lon: 113.03,
      lat: 35.05,
      observedAt: '2026-03-02T01:58:00Z',
    })
    expect(f3.json()).toMatchObject({ unit: { code: 'T1' }, cellCode: 'T1A', dueAt: '2026-03-05T10:00:00.000Z' })
    const f4 = await record('F4', {
      checklistItem: 'A2',
      severity: 'major',
      description: '道路未洒水',
      lon: 113.16,
      lat: 35.05,
      observedAt: '2026-03-02T01:59:00Z',
    })
    expect(f4.json()).toMatchObject({ unit: { code: 'T2' }, cellCode: 'T2', dueAt: '2026-03-03T10:00:00.000Z' })
    for (const [name, res] of [
      ['F2', f2],
      ['F3', f3],
      ['F4', f4],
    ] as const) {
      flagOf[name] = res.json().flagId
      findingOf[name] = res.json().id
    }

    // the flag is the rectification item: dispatched to the cell's people, the photo kept, its timeline
    // showing the automatic registration with the campaign
    const detail = await flag('F1')
    expect(detail).toMatchObject({ state: 'dispatched', category: 'dust', completeDueAt: '2026-03-05T10:00:00.000Z' })
    expect(detail.photos).toHaveLength(1)
    const register = detail.timeline.find((e: { action: string }) => e.action === 'register')
    expect(register.details).toMatchObject({
      automatic: true,
      finding: { campaign: 'AIR-2603', checklistItem: 'A1', severity: 'general' },
    })
  })

  it('shows a supervisor and a unit officer only their own findings; everyone reads the campaign', async () => {
    const list = async (h: Headers) =>
      (await ok('GET', `/api/inspections/${iw.campaignId}/findings`, h)).findings.map((f: { id: number }) => f.id)
    expect(await list(iw.admin)).toEqual([findingOf.F1, findingOf.F2, findingOf.F3, findingOf.F4])
    expect(await list(iw.handlerT2)).toEqual([findingOf.F1, findingOf.F4])
    expect(await list(iw.handlerT1A)).toEqual([findingOf.F2, findingOf.F3])
    expect(await list(iw.unitOfficerT2)).toEqual([findingOf.F1, findingOf.F4])
    const campaign = await ok('GET', `/api/inspections/${iw.campaignId}`, iw.unitOfficerT2)
    expect(campaign.units.map((u: { code: string }) => u.code)).toEqual(['T1', 'T2'])
    expect(campaign.counts).toEqual({ findings: 4, open: 4, overdue: 0, rectifiedOnTime: 0, rectifiedLate: 0 })
  })
})

describe('rectification and verification', () => {
  it('is reported with evidence by the handler and verified by an inspector, never by the handler', async () => {
    at('2026-03-02T03:00:00Z')
    for (const [name, handler] of [
      ['F1', iw.handlerT2],
      ['F2', iw.handlerT1A],
      ['F3', iw.handlerT1A],
      ['F4', iw.handlerT2],
      ['O', iw.handlerT1A],
    ] as const) {
      const { version } = await flag(name)
      await ok('POST', `/api/flags/${flagOf[name]}/acknowledge`, handler, { version })
    }
    // another cell's handler may not report F1's rectification
    const stranger = await inject('POST', `/api/flags/${flagOf.F1}/feedback`, iw.handlerT1A, {
      version: (await flag('F1')).version,
      note: '已整改',
    })
    expect(stranger.statusCode).toBe(403)
    // nor may another township's unit officer
    const otherUnit = await inject('POST', `/api/flags/${flagOf.F3}/feedback`, iw.unitOfficerT2, {
      version: (await flag('F3')).version,
      note: '已整改',
    })
    expect(otherUnit.statusCode).toBe(403)
    at('2026-03-02T03:30:00Z')
    // F1 is rectified by its township's unit officer, F3 by an admin
    for (const [name, handler] of [
      ['F1', iw.unitOfficerT2],
      ['F3', iw.admin],
    ] as const) {
      await ok('POST', `/api/flags/${flagOf[name]}/feedback`, handler, {
        version: (await flag(name)).version,
        note: '围挡已修复',
        photos: [{ data: PNG, contentType: 'image/png', filename: 'fixed.png' }],
      })
    }
    // verifying is an inspector's or an admin's: not the unit officer's
    const officer = await inject('POST', `/api/flags/${flagOf.F1}/verify`, iw.unitOfficerT2, {
      version: (await flag('F1')).version,
    })
    expect([officer.statusCode, officer.json().error.code]).toEqual([403, 'forbidden'])
    // and never by whoever reported the rectification (four-eyes), an admin included
    const self = await inject('POST', `/api/flags/${flagOf.F3}/verify`, iw.admin, {
      version: (await flag('F3')).version,
    })
    expect([self.statusCode, self.json().error.code]).toEqual([403, 'four_eyes'])
    at('2026-03-02T06:00:00Z')
    for (const name of ['F1', 'F3'])
      await ok('POST', `/api/flags/${flagOf[name]}/verify`, iw.inspectorB, { version: (await flag(name)).version })
    const f1 = (await ok('GET', `/api/inspections/${iw.campaignId}/findings`, iw.admin)).findings[0]
    expect(f1).toMatchObject({
      state: 'closed',
      rectifiedAt: '2026-03-02T03:30:00.000Z',
      verifiedAt: '2026-03-02T06:00:00.000Z',
    })
    expect((await flag('F1')).photos).toHaveLength(2)
  })

  it('escalates an overdue finding one level up', async () => {
    at('2026-03-02T08:00:00Z')
    const report = await ok('POST', '/api/flags/escalate', iw.admin, {})
    expect(report.escalated).toEqual([
      expect.objectContaining({ flagId: flagOf.F2, limit: 'complete', fromCellCode: 'T1A', toCellCode: 'T1' }),
    ])
    const f2 = (await ok('GET', `/api/inspections/${iw.campaignId}/findings`, iw.admin)).findings.find(
      (f: { id: number }) => f.id === findingOf.F2,
    )
    expect(f2).toMatchObject({ state: 'in_progress', overdue: true, escalationLevel: 1 })
  })

  it('counts a rectification reported after its deadline as late, and one returned as not reported', async () => {
    const findingF4 = async () =>
      (await ok('GET', `/api/inspections/${iw.campaignId}/findings`, iw.admin)).findings.find(
        (f: { id: number }) => f.id === findingOf.F4,
      )
    const feedback = async () =>
      ok('POST', `/api/flags/${flagOf.F4}/feedback`, iw.handlerT2, {
        version: (await flag('F4')).version,
        note: '已洒水',
        photos: [{ data: PNG, contentType: 'image/png', filename: 'wet.png' }],
      })
    at('2026-03-04T02:00:00Z')
    await feedback()
    expect(await findingF4()).toMatchObject({ state: 'feedback', rectifiedAt: '2026-03-04T02:00:00.000Z' })
    at('2026-03-04T02:30:00Z')
    await ok('POST', `/api/flags/${flagOf.F4}/return`, iw.inspectorB, {
      version: (await flag('F4')).version,
      comment: '仍有积尘',
    })
    expect(await findingF4()).toMatchObject({ state: 'in_progress', rectifiedAt: null, overdue: true })
    at('2026-03-04T02:45:00Z')
    await feedback()
    at('2026-03-04T03:00:00Z')
    await ok('POST', `/api/flags/${flagOf.F4}/verify`, iw.inspectorB, { version: (await flag('F4')).version })
    expect(await findingF4()).toMatchObject({
      state: 'closed',
      rectifiedAt: '2026-03-04T02:45:00.000Z',
      verifiedAt: '2026-03-04T03:00:00.000Z',
      overdue: false,
    })
  })
})

describe('the campaign report and the assessment', () => {
  it('counts findings by unit, checklist item and severity', async () => {
    const r = await ok('GET', `/api/inspections/${iw.campaignId}/report`, iw.unitOfficerT2)
    // 4 March 03:00Z: F1, F3 on time; F4 late; F2 open and overdue
    const c = (findings: number, open: number, overdue: number, onTime: number, late: number) => ({
      findings,
      open,
      overdue,
      rectifiedOnTime: onTime,
      rectifiedLate: late,
    })
    expect(r.totals).toEqual(c(4, 1, 1, 2, 1))
    expect(r.units.map((u: { unit: { code: string }; counts: unknown }) => [u.unit.code, u.counts])).toEqual([
      ['T1', c(2, 1, 1, 1, 0)],
      ['T2', c(2, 0, 0, 1, 1)],
    ])
    expect(r.checklist.map((k: { code: string; counts: unknown }) => [k.code, k.counts])).toEqual([
      ['A1', c(2, 0, 0, 2, 0)],
      ['A2', c(2, 1, 1, 0, 1)],
    ])
    expect(r.severities.map((s: { severity: string; counts: unknown }) => [s.severity, s.counts])).toEqual([
      ['general', c(2, 0, 0, 2, 0)],
      ['major', c(1, 0, 0, 0, 1)],
      ['serious', c(1, 1, 1, 0, 0)],
    ])
  })

  it('scores each unit on its findings weighted by severity, and no longer counts them as flags', async () => {
    // T1: F3 general on time (1) of F2 serious (3) + F3 (1) = 25 %; T2: F1 general on time (1) of F1 (1) +
    // F4 major late (2) = 1/3; T3: none
    const unit = async (code: string) => ok('GET', `/api/assessment/2026-03/units/${code}`, iw.admin)
    const t1 = await unit('T1')
    type Part = { indicator: string; rawValue: number | null; score: number | null; details: unknown[] }
    const part = (u: { parts: Part[] }, code: string) => u.parts.find((p) => p.indicator === code)!
    expect(part(t1, 'insp').rawValue).toBeCloseTo(0.25, 10)
    expect(part(t1, 'insp').details).toEqual([
      expect.objectContaining({ row: 'finding', flagId: flagOf.F2, severity: 'serious', weight: 3, counted: false }),
      expect.objectContaining({ row: 'finding', flagId: flagOf.F3, severity: 'general', weight: 1, counted: true }),
    ])
    const t2 = part(await unit('T2'), 'insp')
    expect(t2.rawValue).toBeCloseTo(1 / 3, 10)
    expect(t2.details).toEqual([
      expect.objectContaining({ flagId: flagOf.F4, severity: 'major', weight: 2, counted: false }),
      expect.objectContaining({ flagId: flagOf.F1, severity: 'general', weight: 1, counted: true }),
    ])
    expect(part(await unit('T3'), 'insp').score).toBeNull()
    // the findings are flags, but the flag indicator leaves them to the findings indicator: T1's on-time
    // part is O alone (not completed)
    expect(part(t1, 'ontime')).toMatchObject({
      score: 0,
      details: [expect.objectContaining({ row: 'flag', flagId: flagOf.O, counted: false })],
    })
  })
})
