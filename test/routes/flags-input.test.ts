// POST /api/flags: bad input is refused with nothing written, and the duplicate protection.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TestApp } from '../helpers/app.js'
import {
  counts,
  JPEG,
  point,
  POINTS,
  type FlagBody,
  type FlagsWorld,
  flagsSuite,
  NOW,
  type FlagApi,
} from './flags.helpers.js'

let t: TestApp
let w: FlagsWorld
let api: FlagApi
beforeAll(async () => ({ t, w, api } = await flagsSuite()))
afterAll(async () => t.close())
beforeEach(() => {
  t.clock.now = NOW
})

describe('POST /api/flags: bad input is refused and nothing is written', () => {
  const bowtie = {
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
  }
  it.each([
    ['no category', { geometry: point(POINTS.village) }, 400, 'invalid_request', '"category"'],
    [
      'an unknown category',
      { category: 'graffiti', geometry: point(POINTS.village) },
      400,
      'unknown_category',
      '"graffiti"',
    ],
    ['no location', { category: 'dust' }, 400, 'location_required', '"geometry"'],
    ['a point out of range', { category: 'dust', geometry: point([200, 35]) }, 400, 'invalid_geometry', 'out of range'],
    [
      'a point with text coordinates',
      { category: 'dust', geometry: { type: 'Point', coordinates: ['113', 35] } },
      400,
      'invalid_geometry',
      '[lon, lat]',
    ],
    ['lon out of range', { category: 'dust', lon: 181, lat: 35 }, 400, 'invalid_request', '"lon"'],
    ['lat without lon', { category: 'dust', lat: 35 }, 400, 'invalid_geometry', '"lon" and "lat"'],
    [
      'both geometry and lon/lat',
      { category: 'dust', geometry: point(POINTS.village), lon: 113, lat: 35 },
      400,
      'invalid_geometry',
      'not both',
    ],
    [
      'a line',
      {
        category: 'dust',
        geometry: {
          type: 'LineString',
          coordinates: [
            [113, 35],
            [113.01, 35.01],
          ],
        },
      },
      400,
      'invalid_geometry',
      'not Point or Polygon',
    ],
    [
      'an unclosed ring',
      {
        category: 'dust',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [113.001, 35.001],
              [113.002, 35.001],
              [113.002, 35.002],
              [113.001, 35.0015],
            ],
          ],
        },
      },
      400,
      'invalid_geometry',
      'not closed',
    ],
    [
      'a self-intersecting polygon',
      { category: 'dust', geometry: bowtie },
      400,
      'invalid_geometry',
      'Self-intersection',
    ],
    [
      'a point outside every region',
      { category: 'dust', geometry: point(POINTS.outside) },
      400,
      'outside_jurisdiction',
      'outside every region',
    ],
    [
      'an unknown field',
      { category: 'dust', geometry: point(POINTS.village), priority: 'high' },
      400,
      'invalid_request',
      'additional',
    ],
    [
      'sameAs an unknown flag',
      { category: 'dust', geometry: point(POINTS.village), sameAs: 999999 },
      404,
      'not_found',
      '999999',
    ],
  ])('%s', async (_name, body, status, code, text) => {
    const before = await counts(t.database.db)
    const res = await api.inject('POST', '/api/flags', w.inspector, body)
    expect(res.statusCode, res.body).toBe(status)
    expect(res.json().error.code).toBe(code)
    expect(res.json().error.message).toContain(text)
    expect(await counts(t.database.db)).toEqual(before)
  })

  it('the self-intersection is located', async () => {
    const res = await api.inject('POST', '/api/flags', w.inspector, { category: 'dust', geometry: bowtie })
    const [x, y] = res.json().error.details.location as number[]
    expect(x).toBeCloseTo(113.002, 9)
    expect(y).toBeCloseTo(35.002, 9)
  })

  it('viewers and supervisors may not report (403), anonymous visitors must sign in (401); nothing written', async () => {
    const before = await counts(t.database.db)
    for (const [h, status] of [
      [w.viewer, 403],
      [w.supV1, 403],
      [{}, 401],
    ] as const) {
      expect(
        (await api.inject('POST', '/api/flags', h, { category: 'dust', geometry: point(POINTS.village) })).statusCode,
      ).toBe(status)
    }
    expect(await counts(t.database.db)).toEqual(before)
  })
})

describe('POST /api/flags: duplicate protection', () => {
  // each test uses its own spot in C02001 (0.001° of longitude ≈ 91 m)
  const at = (i: number, dLon = 0) => point([113.022 + i * 0.002 + dLon, 35.015])

  it('a second flag of the category within 50 m and 24 h of an open one → 409 possible_duplicate listing it; nothing written', async () => {
    const first = await api.reportOk(w.inspector, { category: 'dumping', geometry: at(0) })
    const before = await counts(t.database.db)
    const res = await api.report(w.inspector2, { category: 'dumping', geometry: at(0, 0.0003) }) // ≈ 27 m
    expect(res.statusCode).toBe(409)
    const error = res.json().error
    expect(error.code).toBe('possible_duplicate')
    expect(error.details.candidates).toHaveLength(1)
    expect(error.details.candidates[0]).toMatchObject({ id: first.id, category: 'dumping', state: 'reported' })
    expect(error.details.candidates[0].distanceM).toBeGreaterThan(20)
    expect(error.details.candidates[0].distanceM).toBeLessThan(35)
    expect(await counts(t.database.db)).toEqual(before)
  })

  it('not a duplicate: another category, farther than 50 m, older than 24 h, or a closed/rejected flag', async () => {
    const first = await api.reportOk(w.inspector, { category: 'burning', geometry: at(1) })
    expect((await api.report(w.inspector, { category: 'dust', geometry: at(1) })).statusCode).toBe(201)
    expect((await api.report(w.inspector, { category: 'burning', geometry: at(1, 0.0007) })).statusCode).toBe(201) // ≈ 64 m
    t.clock.now = new Date(NOW.getTime() + 24 * 3_600_000 + 1000)
    expect((await api.report(w.inspector, { category: 'burning', geometry: at(1, 0.0001) })).statusCode).toBe(201)
    t.clock.now = NOW
    const other = await api.reportOk(w.inspector, { category: 'water', geometry: at(2) })
    await api.actOk(w.admin, other.id, 'reject', { reason: 'not a problem' })
    expect((await api.report(w.inspector, { category: 'water', geometry: at(2) })).statusCode).toBe(201)
    expect(first.id).toBeGreaterThan(0)
  })

  it('confirmNotDuplicate: reported anyway, and the report says so', async () => {
    await api.reportOk(w.inspector, { category: 'pollution', geometry: at(3) })
    const res = await api.report(w.inspector2, { category: 'pollution', geometry: at(3), confirmNotDuplicate: true })
    expect(res.statusCode).toBe(201)
    expect(res.json().timeline[0].details.confirmedNotDuplicate).toBe(true)
  })

  it('sameAs: the report (and its photos) goes on the existing flag, no new flag', async () => {
    const first = await api.reportOk(w.inspector, { category: 'dust', geometry: at(4) })
    const before = await counts(t.database.db)
    const res = await api.report(w.inspector2, {
      category: 'dust',
      geometry: at(4, 0.0001),
      sameAs: first.id,
      description: '又看到了',
      photos: [{ data: JPEG.toString('base64') }],
    })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json() as { sameAs: true; eventId: number; flag: FlagBody & { sameAsReports: number } }
    expect(body.sameAs).toBe(true)
    expect(body.flag.id).toBe(first.id)
    expect(body.flag.sameAsReports).toBe(1)
    const report = body.flag.timeline.find((e) => e.action === 'same_as_report')!
    expect(report).toMatchObject({ fromState: 'reported', toState: 'reported', comment: '又看到了' })
    expect(report.photoIds).toHaveLength(1)
    expect(await counts(t.database.db)).toEqual({
      ...before,
      events: before.events + 1,
      photos: before.photos + 1,
      audit: before.audit + 1,
    })
  })

  it('sameAs a rejected flag → 409 not_open; nothing written', async () => {
    const first = await api.reportOk(w.inspector, { category: 'other', geometry: at(5) })
    await api.actOk(w.admin, first.id, 'reject', { reason: 'duplicate of a phone call' })
    const before = await counts(t.database.db)
    const res = await api.report(w.inspector, { category: 'other', geometry: at(5), sameAs: first.id })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('not_open')
    expect(await counts(t.database.db)).toEqual(before)
  })
})
