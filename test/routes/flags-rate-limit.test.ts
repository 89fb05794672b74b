// The per-user limit on flag reports (FLAG_REPORTS_PER_HOUR): beyond it 429 with Retry-After, nothing
// written; counted in the database per user over a sliding hour, and held under parallel requests.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

const LIMIT = 3
let t: TestApp

beforeAll(async () => {
  t = await testApp({ env: { FLAG_REPORTS_PER_HOUR: String(LIMIT) } })
  const f = factories(t.database.db)
  const region = await f.region('R1', box(113, 35, 113.02, 35.01))
  const r1 = await f.cell({ regionId: region.id, code: 'R1', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  await f.staff(r1.id)
})
afterAll(async () => t.close())

async function writtenBy(userId: number) {
  const { rows } = await sql<{ flags: number; reports: number; photos: number }>`
    SELECT (SELECT count(*)::int FROM flags WHERE reported_by = ${userId}) AS flags,
           (SELECT count(*)::int FROM flag_events WHERE actor_id = ${userId} AND action IN ('report', 'same_as_report')) AS reports,
           (SELECT count(*)::int FROM flag_photos p JOIN flags f ON f.id = p.flag_id WHERE f.reported_by = ${userId}) AS photos`.execute(
    t.database.db,
  )
  return rows[0]!
}

/** a report at a distinct spot (so the duplicate check never interferes) */
let spot = 0
const report = (headers: Record<string, string>, extra: Record<string, unknown> = {}) => {
  spot++
  return t.app.inject({
    method: 'POST',
    url: '/api/flags',
    headers,
    payload: {
      category: 'dust',
      lon: 113.001 + spot * 0.0002,
      lat: 35.001 + (spot % 40) * 0.0002,
      confirmNotDuplicate: true,
      ...extra,
    },
  })
}

describe('POST /api/flags: reports per user per hour', () => {
  it('refuses the report over the limit with 429 and Retry-After, writes nothing, and lets it through once the hour has passed', async () => {
    const inspector = await signedIn(t, 'inspector')
    const start = new Date('2026-11-30T08:00:00Z')
    const minutes = (m: number) => new Date(start.getTime() + m * 60_000)
    // three reports at 08:00, 08:10 and 08:20
    for (const m of [0, 10, 20]) {
      t.clock.now = minutes(m)
      expect((await report(inspector.headers)).statusCode).toBe(201)
    }
    // the fourth at 08:30: the oldest counted report (08:00) leaves the hour at 09:00, 30 minutes on
    t.clock.now = minutes(30)
    const refused = await report(inspector.headers, {
      photos: [
        {
          data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 0xff, 0xd9]).toString(
            'base64',
          ),
        },
      ],
    })
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['retry-after']).toBe('1800')
    expect(refused.json().error).toMatchObject({
      code: 'flag_report_rate_limited',
      details: { retryAfter: 1800, limitPerHour: LIMIT },
    })
    expect(await writtenBy(inspector.userId)).toEqual({ flags: 3, reports: 3, photos: 0 })

    // 08:59:59 still inside the hour of the 08:00 report (Retry-After 1 s); at 09:00, as promised, it is let through
    t.clock.now = new Date(minutes(60).getTime() - 1000)
    const stillRefused = await report(inspector.headers)
    expect(stillRefused.statusCode).toBe(429)
    expect(stillRefused.headers['retry-after']).toBe('1')
    t.clock.now = minutes(60)
    expect((await report(inspector.headers)).statusCode).toBe(201)
    expect(await writtenBy(inspector.userId)).toEqual({ flags: 4, reports: 4, photos: 0 })
  })

  it('counts "same as" reports too, and each user separately', async () => {
    t.clock.now = new Date('2026-12-01T08:00:00Z')
    const first = await signedIn(t, 'inspector')
    const second = await signedIn(t, 'inspector')
    const created = await report(first.headers)
    expect(created.statusCode).toBe(201)
    const flagId = created.json().id as number
    for (let i = 0; i < LIMIT - 1; i++) expect((await report(first.headers, { sameAs: flagId })).statusCode).toBe(200)
    expect((await report(first.headers, { sameAs: flagId })).statusCode).toBe(429)
    expect(await writtenBy(first.userId)).toMatchObject({ flags: 1, reports: LIMIT })
    // another inspector is not held back by the first one's count
    expect((await report(second.headers)).statusCode).toBe(201)
  })

  it('holds for parallel reports: exactly the limit is written', async () => {
    t.clock.now = new Date('2026-12-02T08:00:00Z')
    const inspector = await signedIn(t, 'inspector')
    const answers = await Promise.all(Array.from({ length: 12 }, () => report(inspector.headers)))
    const codes = answers.map((a) => a.statusCode).sort()
    expect(codes.filter((c) => c === 201)).toHaveLength(LIMIT)
    expect(codes.filter((c) => c === 429)).toHaveLength(12 - LIMIT)
    expect(await writtenBy(inspector.userId)).toEqual({ flags: LIMIT, reports: LIMIT, photos: 0 })
  })
})
