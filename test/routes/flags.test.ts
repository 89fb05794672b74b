// Reporting flags: routing by the accountability rule, bad input, duplicates, photos, and the read
// endpoints (lists, map layer, exports, categories, the coverage report's flags section).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.js'
import {
  counts,
  flagApi,
  flagsWorld,
  GIF,
  JPEG,
  multipart,
  PNG,
  point,
  POINTS,
  sh,
  WEBP,
  type FlagBody,
  type FlagsWorld,
} from './flags.helpers.js'

let t: TestApp
let w: FlagsWorld
let api: ReturnType<typeof flagApi>
const NOW = sh('2026-11-30', '10:00') // a Monday

beforeAll(async () => {
  t = await testApp({
    env: {
      SESSION_TTL_HOURS: '8760',
      SIGNIN_RATE_PER_MINUTE: '100000',
      FLAG_PHOTO_MAX_BYTES: '4096',
      FLAG_PHOTO_MAX_COUNT: '4',
    },
  })
  t.clock.now = NOW
  w = await flagsWorld(t, '2026-11-29')
  api = flagApi(t)
})
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
      allowedActions: ['register', 'reject'],
    })
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

describe('POST /api/flags: photos', () => {
  const b64 = (b: Buffer) => b.toString('base64')
  let spot = 0
  const here = () => point([113.001 + (spot++ % 8) * 0.001, 35.0015])

  it('JSON with base64 photos: stored, typed by content, served back byte for byte', async () => {
    const flag = await api.reportOk(w.inspector, {
      category: 'dust',
      geometry: here(),
      photos: [
        { data: b64(JPEG), contentType: 'image/jpeg', filename: 'a.jpg' },
        { data: `data:image/png;base64,${b64(PNG)}` },
        { data: b64(WEBP) },
      ],
    })
    expect(flag.photos.map((p) => [p.contentType, p.sizeBytes])).toEqual([
      ['image/jpeg', JPEG.length],
      ['image/png', PNG.length],
      ['image/webp', WEBP.length],
    ])
    expect(flag.timeline[0]!.photoIds).toEqual(flag.photos.map((p) => p.id))
    const res = await api.inject('GET', flag.photos[0]!.url, w.viewer)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/jpeg')
    expect(res.rawPayload.equals(JPEG)).toBe(true)
    expect((await api.inject('GET', `/api/flags/${flag.id}/photos/999999`, w.viewer)).statusCode).toBe(404)
  })

  it('multipart/form-data from a phone form: fields and photo files', async () => {
    const form = multipart(
      { category: 'burning', lon: '113.0045', lat: '35.0085', description: '秸秆焚烧', confirmNotDuplicate: 'true' },
      [
        { filename: 'IMG_1.jpg', type: 'image/jpeg', data: JPEG },
        { filename: 'IMG_2.png', type: 'image/png', data: PNG },
      ],
    )
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: { ...w.inspector, 'content-type': form.contentType },
      payload: form.payload,
    })
    expect(res.statusCode, res.body).toBe(201)
    const flag = res.json() as FlagBody & { description: string; point: number[] }
    expect(flag).toMatchObject({ description: '秸秆焚烧', point: [113.0045, 35.0085] })
    expect(flag.photos.map((p) => p.contentType)).toEqual(['image/jpeg', 'image/png'])
    const served = await api.inject('GET', flag.photos[1]!.url, w.inspector)
    expect(served.rawPayload.equals(PNG)).toBe(true)
  })

  it('multipart with the geometry as GeoJSON text', async () => {
    const form = multipart({ category: 'dust', geometry: JSON.stringify(here()), confirmNotDuplicate: 'true' }, [])
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: { ...w.inspector, 'content-type': form.contentType },
      payload: form.payload,
    })
    expect(res.statusCode, res.body).toBe(201)
  })

  const big = Buffer.concat([JPEG, Buffer.alloc(5000)])
  it.each([
    [
      'too big (JSON)',
      { photos: [{ data: b64(JPEG) }, { data: b64(big), filename: 'big.jpg' }] },
      413,
      'photo_too_large',
      'photo 2 (big.jpg)',
    ],
    [
      'a GIF (JSON)',
      { photos: [{ data: b64(GIF), contentType: 'image/gif' }] },
      415,
      'unsupported_photo_type',
      'not a JPEG, PNG or WebP',
    ],
    [
      'declared PNG, JPEG content (JSON)',
      { photos: [{ data: b64(JPEG), contentType: 'image/png' }] },
      415,
      'photo_type_mismatch',
      'declared as image/png',
    ],
    [
      'too many (JSON)',
      { photos: Array.from({ length: 5 }, () => ({ data: b64(JPEG) })) },
      400,
      'too_many_photos',
      'at most 4',
    ],
    ['not base64 (JSON)', { photos: [{ data: '%%%' }] }, 400, 'invalid_photo', 'not base64'],
  ])('%s; nothing stored', async (_name, extra, status, code, text) => {
    const before = await counts(t.database.db)
    const res = await api.report(w.inspector, {
      category: 'dust',
      geometry: here(),
      confirmNotDuplicate: true,
      ...extra,
    })
    expect(res.statusCode, res.body).toBe(status)
    expect(res.json().error).toMatchObject({ code })
    expect(res.json().error.message).toContain(text)
    expect(await counts(t.database.db)).toEqual(before)
  })

  it.each([
    ['too big', [{ filename: 'big.jpg', type: 'image/jpeg', data: big }], 413, 'photo_too_large', 'photo 1 (big.jpg)'],
    ['a GIF', [{ filename: 'x.gif', type: 'image/gif', data: GIF }], 415, 'unsupported_photo_type', 'photo 1 (x.gif)'],
    [
      'a GIF named .jpg and declared image/jpeg',
      [{ filename: 'x.jpg', type: 'image/jpeg', data: GIF }],
      415,
      'unsupported_photo_type',
      'x.jpg',
    ],
    [
      'too many',
      Array.from({ length: 5 }, (_, i) => ({ filename: `${i}.jpg`, type: 'image/jpeg', data: JPEG })),
      400,
      'too_many_photos',
      'at most 4',
    ],
    [
      'a file in another field',
      [{ field: 'attachment', filename: 'a.jpg', type: 'image/jpeg', data: JPEG }],
      400,
      'invalid_request',
      '"attachment"',
    ],
  ])('multipart: %s; nothing stored', async (_name, files, status, code, text) => {
    const before = await counts(t.database.db)
    const form = multipart({ category: 'dust', lon: '113.0071', lat: '35.0071', confirmNotDuplicate: 'true' }, files)
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: { ...w.inspector, 'content-type': form.contentType },
      payload: form.payload,
    })
    expect(res.statusCode, res.body).toBe(status)
    expect(res.json().error.code).toBe(code)
    expect(res.json().error.message).toContain(text)
    expect(await counts(t.database.db)).toEqual(before)
  })

  it('multipart from an anonymous visitor: 401 before any upload is read', async () => {
    const form = multipart({ category: 'dust', lon: '113.0071', lat: '35.0071' }, [
      { filename: 'a.jpg', type: 'image/jpeg', data: JPEG },
    ])
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: { 'content-type': form.contentType },
      payload: form.payload,
    })
    expect(res.statusCode).toBe(401)
  })
})

describe('GET /api/flags, /api/flags.geojson, /api/flags/export', () => {
  let mineId: number
  let otherId: number
  beforeAll(async () => {
    t.clock.now = sh('2026-11-20', '09:00')
    otherId = (
      await api.reportOk(w.inspector2, {
        category: 'water',
        geometry: point([113.035, 35.005]),
        description: '=HYPERLINK("x")',
      })
    ).id
    t.clock.now = NOW
    mineId = (
      await api.reportOk(w.inspector, {
        category: 'water',
        geometry: point([113.036, 35.006]),
        description: '污水, "直排"',
      })
    ).id
  })

  it('inspectors: mine=true lists only what they reported', async () => {
    const res = await api.inject('GET', '/api/flags?mine=true&limit=1000', w.inspector2)
    expect(res.statusCode).toBe(200)
    const ids = (res.json() as { flags: { id: number }[] }).flags.map((f) => f.id)
    expect(ids).toContain(otherId)
    expect(ids).not.toContain(mineId)
  })

  it('officers filter by state, category, township, bbox and date range', async () => {
    const list = async (q: string) => {
      const res = await api.inject('GET', `/api/flags?${q}&limit=1000`, w.viewer)
      expect(res.statusCode, res.body).toBe(200)
      return (
        res.json() as {
          total: number
          flags: { id: number; category: string; state: string; routing: { townshipCode: string } }[]
        }
      ).flags
    }
    const water = await list('category=water&township=C02')
    expect(water.map((f) => f.id)).toEqual(expect.arrayContaining([mineId, otherId]))
    expect(water.every((f) => f.category === 'water' && f.routing.townshipCode === 'C02')).toBe(true)
    expect((await list('from=2026-11-20&to=2026-11-20')).map((f) => f.id)).toEqual([otherId])
    expect((await list('bbox=113.0355,35.0055,113.0365,35.0065')).map((f) => f.id)).toEqual([mineId])
    expect((await list('state=rejected,closed')).every((f) => ['rejected', 'closed'].includes(f.state))).toBe(true)
    expect((await list('township=C01')).some((f) => f.id === mineId)).toBe(false)
  })

  it('bad filters → 400 naming the parameter', async () => {
    for (const [q, name] of [
      ['state=lost', '"state"'],
      ['bbox=1,2,3', '"bbox"'],
      ['from=2026-02-30', '"from"'],
      ['limit=0', '"limit"'],
    ]) {
      const res = await api.inject('GET', `/api/flags?${q}`, w.viewer)
      expect(res.statusCode, q).toBe(400)
      expect(res.json().error.message).toContain(name)
    }
  })

  it('supervisors use their inbox, not the county list (403)', async () => {
    expect((await api.inject('GET', '/api/flags', w.supT1)).statusCode).toBe(403)
  })

  it('the map layer: a FeatureCollection with state colours; supervisors see only their cells', async () => {
    const res = await api.inject('GET', '/api/flags.geojson?bbox=113.02,35,113.04,35.02', w.viewer)
    expect(res.statusCode).toBe(200)
    const fc = res.json() as {
      type: string
      features: {
        id: number
        geometry: { type: string }
        properties: { state: string; color: string; townshipCode: string }
      }[]
    }
    expect(fc.type).toBe('FeatureCollection')
    expect(fc.features.map((f) => f.id)).toEqual(expect.arrayContaining([mineId, otherId]))
    const reported = fc.features.find((f) => f.id === mineId)!
    expect(reported.properties).toMatchObject({ state: 'reported', color: '#9e9e9e', townshipCode: 'C02' })
    expect(reported.geometry.type).toBe('Point')
    const own = (await api.inject('GET', '/api/flags.geojson', w.supT1)).json() as typeof fc
    expect(own.features.length).toBeGreaterThan(0)
    expect(own.features.every((f) => f.properties.townshipCode === 'C01')).toBe(true)
  })

  it('CSV export: UTF-8 with BOM, quoted where needed, formulas defused', async () => {
    const res = await api.inject('GET', '/api/flags/export?format=csv&category=water&township=C02', w.viewer)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toBe('attachment; filename="flags.csv"')
    expect(res.body.startsWith('\ufeffid,category,state,description,lon,lat,')).toBe(true)
    const lines = res.body.trim().split('\r\n')
    expect(lines.length).toBeGreaterThanOrEqual(3)
    expect(res.body).toContain(
      `${mineId},water,reported,"污水, ""直排""",113.036,35.006,C02001,C02,C02,true,fallback_vacant`,
    )
    expect(res.body).toContain(`${otherId},water,reported,"'=HYPERLINK(""x"")"`)
  })

  it('GeoJSON export: the same flags as a FeatureCollection download', async () => {
    const res = await api.inject('GET', '/api/flags/export?format=geojson&category=water&township=C02', w.admin)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8')
    const ids = (JSON.parse(res.body) as { features: { id: number }[] }).features.map((f) => f.id)
    expect(ids).toEqual(expect.arrayContaining([mineId, otherId]))
    expect((await api.inject('GET', '/api/flags/export?format=xlsx', w.admin)).statusCode).toBe(400)
    expect((await api.inject('GET', '/api/flags/export?format=csv', w.inspector)).statusCode).toBe(403)
  })
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
