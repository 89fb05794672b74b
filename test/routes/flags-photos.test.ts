// POST /api/flags with photos: JSON (base64) and multipart/form-data, and every refusal.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { TestApp } from '../helpers/app.js'
import {
  counts,
  GIF,
  JPEG,
  multipart,
  PNG,
  point,
  WEBP,
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
