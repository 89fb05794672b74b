// Access is decided before the body is read: an anonymous request gets 401 and a wrong role 403 without
// the body being parsed or validated (no schema listed to strangers, no upload read for nothing);
// validation (400) comes only after. Nothing is written by a refused request.
import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

const PHOTO_MAX_BYTES = 64 * 1024
let t: TestApp
let viewer: Record<string, string>
let inspector: Record<string, string>
let admin: Record<string, string>

beforeAll(async () => {
  t = await testApp({ env: { FLAG_PHOTO_MAX_BYTES: String(PHOTO_MAX_BYTES), BODY_LIMIT_BYTES: '4096' } })
  const f = factories(t.database.db)
  const region = await f.region('R1', box(113, 35, 113.02, 35.01))
  await f.cell({ regionId: region.id, code: 'R1', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  viewer = (await signedIn(t, 'viewer')).headers
  inspector = (await signedIn(t, 'inspector')).headers
  admin = (await signedIn(t, 'admin')).headers
})
afterAll(async () => t.close())

const count = async (table: 'users' | 'flags' | 'flag_photos') =>
  Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.database.db)).rows[0]!.n,
  )

/**
 * A multipart flag report whose photo is `photoBytes` long, produced lazily in 16 KiB chunks;
 * `consumed()` tells how many bytes of it the server pulled.
 */
function multipartReport(photoBytes: number) {
  const boundary = 'everyinch-test-boundary'
  let consumed = 0
  const CHUNK = 16 * 1024
  async function* parts() {
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\ndust\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="lon"\r\n\r\n113.005\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="lat"\r\n\r\n35.005\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`
    consumed += head.length
    yield Buffer.from(head)
    for (let sent = 0; sent < photoBytes; sent += CHUNK) {
      const chunk = Buffer.alloc(Math.min(CHUNK, photoBytes - sent), 0xab)
      consumed += chunk.length
      yield chunk
    }
    yield Buffer.from(`\r\n--${boundary}--\r\n`)
  }
  return {
    stream: Readable.from(parts(), { objectMode: false, highWaterMark: CHUNK }),
    contentType: `multipart/form-data; boundary=${boundary}`,
    consumed: () => consumed,
  }
}

describe('access before the body', () => {
  it('anonymous POST /api/users with {} gets 401, not a 400 describing the schema', async () => {
    const before = await count('users')
    const res = await t.app.inject({ method: 'POST', url: '/api/users', payload: {} })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('unauthorized')
    expect(res.body).not.toMatch(/password|displayName|role/)
    expect(await count('users')).toBe(before)
  })

  it('a wrong role gets 403 before validation; the right role gets the 400', async () => {
    const before = await count('users')
    const asViewer = await t.app.inject({ method: 'POST', url: '/api/users', headers: viewer, payload: {} })
    expect(asViewer.statusCode).toBe(403)
    expect(asViewer.json().error.code).toBe('forbidden')
    const asAdmin = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: {} })
    expect(asAdmin.statusCode).toBe(400)
    expect(await count('users')).toBe(before)
  })

  it('a wrong role gets 403 even for a body over the size limit (it is never read, so never measured)', async () => {
    const before = await count('users')
    const big = { login: 'x'.repeat(10_000), displayName: 'x', role: 'viewer', password: 'long enough password' }
    const asViewer = await t.app.inject({ method: 'POST', url: '/api/users', headers: viewer, payload: big })
    expect(asViewer.statusCode).toBe(403)
    // the same body from an admin is read, and is too large
    const asAdmin = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: big })
    expect(asAdmin.statusCode).toBe(413)
    expect(await count('users')).toBe(before)
  })

  it("a viewer's large multipart flag report gets 403 without its upload being read; nothing is written", async () => {
    const photoBytes = 40 * PHOTO_MAX_BYTES
    const fromViewer = multipartReport(photoBytes)
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: { ...viewer, 'content-type': fromViewer.contentType },
      payload: fromViewer.stream,
    })
    expect(res.statusCode, res.body).toBe(403)
    expect(res.json().error.code).toBe('forbidden')
    // at most the read-ahead of the stream machinery, never the photo
    expect(fromViewer.consumed()).toBeLessThan(PHOTO_MAX_BYTES)

    // the measure works: an inspector's identical report is read up to the photo limit and refused as too large
    const fromInspector = multipartReport(photoBytes)
    const allowed = await t.app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: { ...inspector, 'content-type': fromInspector.contentType },
      payload: fromInspector.stream,
    })
    expect(allowed.statusCode, allowed.body).toBe(413)
    expect(fromInspector.consumed()).toBeGreaterThan(PHOTO_MAX_BYTES)

    expect(await count('flags')).toBe(0)
    expect(await count('flag_photos')).toBe(0)
  })

  it('anonymous multipart flag report: 401, upload not read', async () => {
    const report = multipartReport(40 * PHOTO_MAX_BYTES)
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: { 'content-type': report.contentType },
      payload: report.stream,
    })
    expect(res.statusCode).toBe(401)
    expect(report.consumed()).toBeLessThan(PHOTO_MAX_BYTES)
    expect(await count('flags')).toBe(0)
  })
})
