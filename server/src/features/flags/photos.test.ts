import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors.js'
import { checkPhotos, decodeBase64Photo, sniffImageType } from './photos.js'

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46])
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')])
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00')
const limits = { maxBytes: 64, maxCount: 2 }

function thrown(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected an AppError')
}

describe('sniffImageType', () => {
  it('recognises JPEG, PNG and WebP by their first bytes, nothing else', () => {
    expect(sniffImageType(JPEG)).toBe('image/jpeg')
    expect(sniffImageType(PNG)).toBe('image/png')
    expect(sniffImageType(WEBP)).toBe('image/webp')
    expect(sniffImageType(GIF)).toBeNull()
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeNull()
    expect(sniffImageType(Buffer.from([0xff, 0xd8]))).toBeNull()
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
  })
})

describe('decodeBase64Photo', () => {
  it('accepts plain base64 and base64 data URLs', () => {
    expect(decodeBase64Photo(JPEG.toString('base64'), 0).data.equals(JPEG)).toBe(true)
    const url = decodeBase64Photo(`data:image/png;base64,${PNG.toString('base64')}`, 0)
    expect(url).toEqual({ data: PNG, declaredType: 'image/png' })
  })

  it.each(['', 'not base64!', 'abcde', 'data:image/png,rawtext'])('refuses %j with 400 invalid_photo', (text) => {
    expect(thrown(() => decodeBase64Photo(text, 1, 'x.png'))).toMatchObject({ status: 400, code: 'invalid_photo' })
    expect(thrown(() => decodeBase64Photo(text, 1, 'x.png')).message).toContain('photo 2 (x.png)')
  })
})

describe('checkPhotos', () => {
  it('returns type by content, size and hash', () => {
    const [a, b] = checkPhotos([{ data: JPEG, declaredType: 'image/jpg', filename: 'a.jpg' }, { data: WEBP }], limits)
    expect(a).toMatchObject({ contentType: 'image/jpeg', sizeBytes: JPEG.length, filename: 'a.jpg' })
    expect(a!.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(b).toMatchObject({ contentType: 'image/webp', filename: null })
  })

  it('too many → 400 too_many_photos', () => {
    expect(thrown(() => checkPhotos([{ data: JPEG }, { data: PNG }, { data: WEBP }], limits))).toMatchObject({
      status: 400,
      code: 'too_many_photos',
    })
  })

  it('too big → 413 photo_too_large naming the photo', () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(100)])
    const e = thrown(() => checkPhotos([{ data: PNG }, { data: big, filename: 'big.jpg' }], limits))
    expect(e).toMatchObject({ status: 413, code: 'photo_too_large' })
    expect(e.message).toContain('photo 2 (big.jpg)')
  })

  it('a GIF, or an SVG declared as PNG → 415 unsupported_photo_type', () => {
    expect(thrown(() => checkPhotos([{ data: GIF, declaredType: 'image/gif' }], limits))).toMatchObject({
      status: 415,
      code: 'unsupported_photo_type',
    })
    expect(thrown(() => checkPhotos([{ data: Buffer.from('<svg/>'), declaredType: 'image/png' }], limits)).code).toBe(
      'unsupported_photo_type',
    )
  })

  it('declared PNG but JPEG content → 415 photo_type_mismatch; octet-stream is no declaration', () => {
    expect(thrown(() => checkPhotos([{ data: JPEG, declaredType: 'image/png' }], limits))).toMatchObject({
      status: 415,
      code: 'photo_type_mismatch',
    })
    expect(checkPhotos([{ data: JPEG, declaredType: 'application/octet-stream' }], limits)[0]!.contentType).toBe(
      'image/jpeg',
    )
  })

  it('an empty file → 400 invalid_photo', () => {
    expect(thrown(() => checkPhotos([{ data: Buffer.alloc(0) }], limits)).code).toBe('invalid_photo')
  })
})
