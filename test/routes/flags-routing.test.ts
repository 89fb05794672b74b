// POST /api/flags: a report is routed by the accountability rule (and shows in the coverage report).
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

describe('POST /api/flags: routing by the accountability rule', () => {
  it('inside a staffed village: the village, its township, not unowned; the report is on the timeline and in the audit log', async () => {
    const before = await counts(t.database.db)
    const flag = await api.reportOk(w.inspector, {
      category: 'dumping',
      geometry: point(POINTS.village),
      description: '河边垃圾',
    })
    expect(flag).toMatchObject({
      state: 'reported',
      version: 1,
      unowned: false,
      escalationLevel: 0,
      // the reporting inspector may take no action on a reported flag; a county officer may register or reject it
      allowedActions: [],
    })
    expect((await api.get(w.admin, flag.id)).allowedActions).toEqual(['register', 'reject'])
    expect(flag.routing).toMatchObject({
      rule: 'direct',
      cellCode: 'C01001',
      accountableCellCode: 'C01001',
      townshipCode: 'C01',
      missingLevel: null,
      gapParentCode: null,
    })
    expect(flag.timeline).toMatchObject([
      { action: 'report', fromState: null, toState: 'reported', comment: '河边垃圾' },
    ])
    expect(flag.timeline[0]!.actor.login).toMatch(/^inspector-/)
    expect(await counts(t.database.db)).toEqual({
      ...before,
      flags: before.flags + 1,
      events: before.events + 1,
      audit: before.audit + 1,
    })
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'flag')
      .where('entity_id', '=', String(flag.id))
      .execute()
    expect(audit).toMatchObject([{ action: 'create', actor_id: w.inspectorId }])
  })

  it('on the edge shared by two villages: the lowest code, deterministically', async () => {
    const flag = await api.reportOk(w.inspector, { category: 'dust', geometry: point(POINTS.boundary) })
    expect(flag.routing).toMatchObject({ rule: 'direct', cellCode: 'C01001', accountableCellCode: 'C01001' })
  })

  it('in an overlap of two villages: the same rule (interior, then lowest code)', async () => {
    const flag = await api.reportOk(w.inspector, { category: 'dust', geometry: point(POINTS.overlap) })
    expect(flag.routing).toMatchObject({ rule: 'direct', cellCode: 'C01001' })
  })

  it('in a gap: unowned, linked to the gap (missing level 3 under C01), falls back to the township', async () => {
    const flag = await api.reportOk(w.inspector, { category: 'unowned_land', geometry: point(POINTS.gap) })
    expect(flag.unowned).toBe(true)
    expect(flag.routing).toMatchObject({
      rule: 'fallback_gap',
      cellCode: 'C01',
      accountableCellCode: 'C01',
      missingLevel: 3,
      gapParentCode: 'C01',
      townshipCode: 'C01',
    })
  })

  it('in a vacant village: unowned, falls back to the nearest staffed ancestor', async () => {
    const flag = await api.reportOk(w.inspector, { category: 'burning', geometry: point(POINTS.vacant) })
    expect(flag.unowned).toBe(true)
    expect(flag.routing).toMatchObject({
      rule: 'fallback_vacant',
      cellCode: 'C01003',
      accountableCellCode: 'C01',
      missingLevel: null,
    })
  })

  it("in a village whose only person's duty ended yesterday: vacant today, dispatched to the township's people", async () => {
    const flag = await api.reportOk(w.inspector, { category: 'water', geometry: point(POINTS.endedYesterday) })
    expect(flag.routing).toMatchObject({ rule: 'fallback_vacant', cellCode: 'C02001', accountableCellCode: 'C02' })
    const dispatched = await api.actOk(w.admin, flag.id, 'register')
    expect(dispatched.state).toBe('dispatched')
    expect(dispatched.assignees.map((a) => [a.name, a.role, a.cellCode, a.reason])).toEqual([
      ['乡长二', 'grid_chief', 'C02', 'dispatch'],
      ['乡员二', 'grid_member', 'C02', 'dispatch'],
    ])
  })

  it('an area is routed by a point on its surface', async () => {
    const area = {
      type: 'Polygon',
      coordinates: [
        [
          [113.012, 35.002],
          [113.016, 35.002],
          [113.016, 35.004],
          [113.012, 35.004],
          [113.012, 35.002],
        ],
      ],
    }
    const flag = await api.reportOk(w.inspector, { category: 'pollution', geometry: area })
    expect(flag.routing).toMatchObject({ cellCode: 'C01002', rule: 'direct' })
    const detail = await api.get(w.admin, flag.id)
    expect((detail as unknown as { geometry: { type: string } }).geometry.type).toBe('Polygon')
  })

  it('registration dispatches to the people responsible for the cell that day', async () => {
    const flag = await api.reportOk(w.inspector, { category: 'other', lon: 113.003, lat: 35.003 })
    const dispatched = await api.actOk(w.admin, flag.id, 'register')
    expect(dispatched).toMatchObject({ state: 'dispatched', version: 3 })
    expect(dispatched.assignees.map((a) => a.name)).toEqual(['张三', '李四'])
    expect(dispatched.timeline.map((e) => [e.action, e.fromState, e.toState])).toEqual([
      ['report', null, 'reported'],
      ['register', 'reported', 'registered'],
      ['dispatch', 'registered', 'dispatched'],
    ])
  })

  it('the coverage report lists open unowned flags, each linked to its gap or vacant cell', async () => {
    const gapFlag = await api.reportOk(w.inspector, { category: 'other', lon: 113.016, lat: 35.016 })
    const res = await api.inject('GET', '/api/coverage?region=C', w.viewer)
    expect(res.statusCode).toBe(200)
    const report = res.json() as {
      gaps: { id: string; parentCode: string }[]
      flags: {
        unowned: {
          id: number
          gapId: string | null
          gapParentCode: string | null
          vacantCellCode: string | null
          rule: string
        }[]
      }
    }
    const listed = report.flags.unowned.find((f) => f.id === gapFlag.id)!
    const gap = report.gaps.find((g) => g.id === listed.gapId)!
    expect(gap.parentCode).toBe('C01')
    expect(listed).toMatchObject({ rule: 'fallback_gap', gapParentCode: 'C01', vacantCellCode: null })
    expect(report.flags.unowned.some((f) => f.rule === 'fallback_vacant' && f.vacantCellCode === 'C01003')).toBe(true)
    expect(report.flags.unowned.every((f) => f.rule !== 'direct')).toBe(true)
  })
})
