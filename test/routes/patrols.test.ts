// Patrols end to end on the API: a walk with bad points among good ones, a resent batch, check-ins (one
// too far, one with a text file as its photo), GPX files good and bad, and the month's completion and
// coverage — every figure worked out by hand from the coordinates below.
//
//   PT (township) 113.00–113.02 × 35.00–35.01
//   PT-A 113.00–113.01: O1 boiler high (4 visits/month) at 113.002, O2 outfall low (1) at 113.008 (lat 35.005)
//   PT-B 113.01–113.02: O3 enterprise medium (2) at 113.015, 35.005
//   parcels: P1 in A 22 m north of the track, P2 in A ~330 m north, P3 in B
//   the walk: lat 35.005 from lon 113.001 to 113.009, one point every 30 s, 0.0005° (~46 m) apart
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let admin: Record<string, string>
let walker: Record<string, string>
let otherWalker: Record<string, string>
const ids: Record<string, number> = {}
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

beforeAll(async () => {
  t = await testApp()
  // 22 November, 10:00 in Shanghai: the walks below were on the 20th (and one check-in on the 22nd)
  t.clock.now = new Date('2026-11-22T02:00:00Z')
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('PT', box(113, 35, 113.02, 35.01))
  const top = await f.cell({ regionId: region.id, code: 'PT', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  const a = await f.cell({
    regionId: region.id,
    code: 'PT-A',
    level: 2,
    parentCode: 'PT',
    geometry: box(113, 35, 113.01, 35.01),
  })
  const b = await f.cell({
    regionId: region.id,
    code: 'PT-B',
    level: 2,
    parentCode: 'PT',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  await f.staff(top.id)
  const aStaff = await f.staff(a.id)
  const bStaff = await f.staff(b.id)
  walker = (await signedIn(t, 'supervisor', aStaff.member.id)).headers
  otherWalker = (await signedIn(t, 'supervisor', bStaff.member.id)).headers
  for (const [code, type, riskLevel, lon] of [
    ['O1', 'boiler', 'high', 113.002],
    ['O2', 'river_outfall', 'low', 113.008],
    ['O3', 'enterprise', 'medium', 113.015],
  ] as const) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/objects',
      headers: admin,
      payload: { code, name: code, type, riskLevel, geometry: { type: 'Point', coordinates: [lon, 35.005] } },
    })
    ids[code] = res.json().object.id
  }
  await f.parcel({ regionId: region.id, externalId: 'P1', geometry: box(113.004, 35.0052, 113.005, 35.0058) })
  await f.parcel({ regionId: region.id, externalId: 'P2', geometry: box(113.004, 35.008, 113.005, 35.009) })
  await f.parcel({ regionId: region.id, externalId: 'P3', geometry: box(113.015, 35.002, 113.016, 35.003) })
  await f.rematchAll(region.id)
})
afterAll(async () => t.close())

const post = (headers: Record<string, string>, url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })
const counts = async () =>
  (
    await sql<{ patrols: number; points: number; check_ins: number; photos: number }>`
      SELECT (SELECT count(*)::int FROM patrols) AS patrols, (SELECT count(*)::int FROM patrol_points) AS points,
             (SELECT count(*)::int FROM patrol_check_ins) AS check_ins,
             (SELECT count(*)::int FROM patrol_check_in_photos) AS photos`.execute(t.database.db)
  ).rows[0]!
const at = (minutes: number) => new Date(Date.parse('2026-11-20T01:00:00Z') + minutes * 60_000).toISOString()
// 17 good points: lon 113.001 … 113.009 every 0.0005°, 30 s apart
const walk = Array.from({ length: 17 }, (_, i) => ({
  t: at(0.5 * (i + 1)),
  lon: 113.001 + 0.0005 * i,
  lat: 35.005,
  accuracy: 8,
}))

describe('a patrol', () => {
  let patrolId: number

  it('starts, takes a batch with bad points among good ones, keeps the good and counts the bad', async () => {
    const start = await post(walker, '/api/patrols', { startedAt: at(0) })
    expect(start.statusCode, start.body).toBe(201)
    patrolId = start.json().id
    expect(start.json()).toMatchObject({ status: 'active', source: 'device', pointsKept: 0, track: null })
    const bad = [
      { t: at(3.25), lon: 114.5, lat: 35.005 }, // ~136 km from its neighbours 15 s later: a jump
      { t: new Date(Date.parse(t.clock.now.toISOString()) + 86_400_000).toISOString(), lon: 113.005, lat: 35.005 },
      { ...walk[4]! }, // the same instant twice
      { t: at(6.25), lon: 113.006, lat: 35.005, accuracy: 900 }, // a fix 900 m wide
    ]
    const res = await post(walker, `/api/patrols/${patrolId}/points`, { points: [...walk, ...bad] })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      received: 21,
      kept: 17,
      dropped: { duplicate: 1, future: 1, beforeStart: 0, poorAccuracy: 1, jump: 1 },
      pointsKept: 17,
    })
    const view = (await t.app.inject({ method: 'GET', url: `/api/patrols/${patrolId}`, headers: admin })).json()
    expect(view.track.coordinates).toHaveLength(17)
    // 0.008° of longitude at 35.005° N on the sphere: 6371008.8 · 0.008 · π/180 · cos(35.005°)
    const expected = 6371008.8 * 0.008 * (Math.PI / 180) * Math.cos((35.005 * Math.PI) / 180)
    expect(Math.abs(view.lengthM - expected) / expected).toBeLessThan(0.005)
  })

  it('a resent batch stores nothing twice; with its Idempotency-Key it is answered from the first time', async () => {
    const before = await counts()
    const again = await post(walker, `/api/patrols/${patrolId}/points`, { points: walk.slice(0, 5) })
    expect(again.json()).toMatchObject({ received: 5, kept: 0, pointsKept: 17 })
    expect(again.json().dropped.duplicate).toBe(5)
    const batch = { points: [{ t: at(9), lon: 113.0085, lat: 35.005 }] }
    const headers = { ...walker, 'idempotency-key': 'patrol-batch-000042' }
    const first = await post(headers, `/api/patrols/${patrolId}/points`, batch)
    const replay = await post(headers, `/api/patrols/${patrolId}/points`, batch)
    expect(replay.headers['idempotent-replayed']).toBe('true')
    expect(replay.json()).toEqual(first.json())
    expect((await counts()).points).toBe(before.points + 1)
  })

  it('checks in near an object with a photo; too far, a text file as photo, an unknown item: 4xx, nothing stored', async () => {
    const ok = await post(walker, `/api/patrols/${patrolId}/check-ins`, {
      objectId: ids.O1,
      lon: 113.0021,
      lat: 35.0051,
      accuracy: 6,
      checkedAt: at(2),
      checklist: [
        { code: 'fuel', ok: true },
        { code: 'dust_removal', ok: false },
      ],
      note: '除尘器停机',
      photos: [{ data: PNG.toString('base64'), filename: 'boiler.png' }],
    })
    expect(ok.statusCode, ok.body).toBe(201)
    // 0.0001° east and north at 35° N: about 9.1 m and 11.1 m apart, so about 14 m
    expect(ok.json().distanceM).toBeGreaterThan(12)
    expect(ok.json().distanceM).toBeLessThan(16)
    expect(ok.json()).toMatchObject({ objectCode: 'O1', photos: 1 })

    const before = await counts()
    const base = { objectId: ids.O2, lon: 113.008, lat: 35.005, checkedAt: at(8), checklist: [] }
    const far = await post(walker, `/api/patrols/${patrolId}/check-ins`, { ...base, lon: 113.03 })
    expect(far.statusCode).toBe(400)
    expect(far.json().error.code).toBe('too_far')
    expect(far.json().error.message).toMatch(/you are \d+ m from O2/)
    const text = await post(walker, `/api/patrols/${patrolId}/check-ins`, {
      ...base,
      photos: [{ data: Buffer.from('just some text, not an image').toString('base64'), filename: 'a.jpg' }],
    })
    expect(text.statusCode).toBe(415)
    const item = await post(walker, `/api/patrols/${patrolId}/check-ins`, {
      ...base,
      checklist: [{ code: 'fuel', ok: true }],
    })
    expect(item.statusCode).toBe(400)
    expect(item.json().error.code).toBe('unknown_checklist_item')
    const stranger = await post(otherWalker, `/api/patrols/${patrolId}/check-ins`, base)
    expect(stranger.statusCode).toBe(403)
    expect(await counts()).toEqual(before)
  })

  it('ends; an ended patrol takes no more points', async () => {
    const end = await post(walker, `/api/patrols/${patrolId}/end`, { endedAt: at(10) })
    expect(end.statusCode, end.body).toBe(200)
    expect(end.json()).toMatchObject({ status: 'ended', endedAt: at(10) })
    const late = await post(walker, `/api/patrols/${patrolId}/points`, {
      points: [{ t: at(11), lon: 113.009, lat: 35.005 }],
    })
    expect(late.statusCode).toBe(409)
  })
})

describe('GPX', () => {
  const gpx = (pts: string) =>
    `<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>${pts}</trkseg></trk></gpx>`
  const pt = (lon: number, lat: number, time: string) => `<trkpt lat="${lat}" lon="${lon}"><time>${time}</time></trkpt>`

  it('a GPX track becomes an ended patrol; a jump in it is dropped and counted', async () => {
    const res = await post(walker, '/api/patrols/gpx', {
      gpx: gpx(
        pt(113.011, 35.003, '2026-11-19T01:00:00Z') +
          pt(113.012, 35.003, '2026-11-19T01:01:00Z') +
          pt(120, 40, '2026-11-19T01:01:10Z') +
          pt(113.013, 35.003, '2026-11-19T01:02:00Z'),
      ),
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      source: 'gpx',
      status: 'ended',
      pointsReceived: 4,
      pointsKept: 3,
      startedAt: '2026-11-19T01:00:00.000Z',
      endedAt: '2026-11-19T01:02:00.000Z',
    })
    expect(res.json().pointsDropped.jump).toBe(1)
  })

  for (const [what, body, code] of [
    ['not XML', 'this is not xml', 'invalid_gpx'],
    ['XML but not GPX', '<kml><Document/></kml>', 'invalid_gpx'],
    ['a point without a time', gpx('<trkpt lat="35" lon="113"></trkpt>'), 'invalid_gpx'],
    ['no track points', gpx(''), 'invalid_gpx'],
    ['only future points', gpx(pt(113.011, 35.003, '2030-01-01T00:00:00Z')), 'no_usable_points'],
  ] as const) {
    it(`${what}: 400 ${code}, no patrol stored`, async () => {
      const before = await counts()
      const res = await post(walker, '/api/patrols/gpx', { gpx: body })
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().error.code).toBe(code)
      expect(await counts()).toEqual(before)
    })
  }
})

describe('the month', () => {
  const completion = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/patrol-completion?month=2026-11&region=PT',
      headers: admin,
    })
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }

  it('completion, coverage, objects behind schedule and cells nobody walked', async () => {
    const r = await completion()
    // PT-A: O1 needs 4, O2 needs 1 → 5; one day with a check-in at O1 → 1 of 5 = 20 %;
    // P1 lies 22 m from the track, P2 about 330 m: 1 of 2 parcels covered.
    // PT-B: O3 needs 2, none made; the GPX walk (113.011–113.013 at lat 35.003, on 19 November) lies in
    // PT-B, so the cell was walked, but it ends 0.002° of longitude (about 182 m) west of P3: not covered.
    expect(r.cells).toEqual([
      {
        code: 'PT-A',
        name: 'Cell PT-A',
        objects: 2,
        requiredVisits: 5,
        visitsMade: 1,
        completionPct: 20,
        objectsOnSchedule: 0,
        patrols: 1,
        parcels: 2,
        parcelsCovered: 1,
        coveragePct: 50,
      },
      {
        code: 'PT-B',
        name: 'Cell PT-B',
        objects: 1,
        requiredVisits: 2,
        visitsMade: 0,
        completionPct: 0,
        objectsOnSchedule: 0,
        patrols: 1,
        parcels: 1,
        parcelsCovered: 0,
        coveragePct: 0,
      },
    ])
    expect(r.missed.map((m: { code: string; visitsMade: number }) => `${m.code}:${m.visitsMade}`)).toEqual([
      'O1:1',
      'O2:0',
      'O3:0',
    ])
    expect(r.cellsWithoutPatrol).toEqual([])
  })

  it('a second check-in the same day does not count again; one on another day does', async () => {
    const p2 = (await post(walker, '/api/patrols', { startedAt: at(60) })).json().id
    const checkIn = (minutes: number) =>
      post(walker, `/api/patrols/${p2}/check-ins`, {
        objectId: ids.O1,
        lon: 113.002,
        lat: 35.005,
        checkedAt: at(minutes),
        checklist: [],
      })
    expect((await checkIn(61)).statusCode).toBe(201)
    expect((await completion()).cells[0].visitsMade).toBe(1)
    expect((await checkIn(60 * 48)).statusCode).toBe(201)
    const r = await completion()
    expect(r.cells[0]).toMatchObject({ visitsMade: 2, completionPct: 40 })
  })

  it('a month nobody walked lists every cell without a patrol; bad queries are named', async () => {
    const r = (
      await t.app.inject({ method: 'GET', url: '/api/patrol-completion?month=2026-10&region=PT', headers: admin })
    ).json()
    expect(r.cellsWithoutPatrol).toEqual(['PT-A', 'PT-B'])
    expect(r.cells.map((c: { visitsMade: number }) => c.visitsMade)).toEqual([0, 0])
    const both = await t.app.inject({ method: 'GET', url: '/api/patrol-completion?month=2026-11', headers: admin })
    expect(both.statusCode).toBe(400)
    const month = await t.app.inject({
      method: 'GET',
      url: '/api/patrol-completion?month=2026-13&region=PT',
      headers: admin,
    })
    expect(month.statusCode).toBe(400)
  })
})
