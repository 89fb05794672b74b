// Photo checks for flag reports and feedback, before anything is stored: the type is judged by the
// file's first bytes (magic numbers), not by what the client declares; size and count have limits.
// Each problem names the photo (position and file name) and what is wrong with it.
import { createHash } from 'node:crypto'
import { AppError, badRequest } from '../../errors.js'

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp'
export const PHOTO_TYPES: readonly PhotoType[] = ['image/jpeg', 'image/png', 'image/webp']

export interface PhotoUpload {
  data: Buffer
  /** what the client said it is (a JSON contentType or a multipart part's type); may be absent */
  declaredType?: string | null
  filename?: string | null
}

export interface CheckedPhoto {
  data: Buffer
  contentType: PhotoType
  sizeBytes: number
  sha256: string
  filename: string | null
}

export interface PhotoLimits {
  maxBytes: number
  maxCount: number
}

/** The image type by magic bytes: JPEG FF D8 FF, PNG 89 50 4E 47 0D 0A 1A 0A, WebP "RIFF" size "WEBP". */
export function sniffImageType(b: Uint8Array): PhotoType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'image/png'
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp'
  return null
}

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to))

const ALIASES: Record<string, PhotoType> = {
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/webp': 'image/webp',
}
/** Declared types that say nothing about the content. */
const UNINFORMATIVE = new Set(['', 'application/octet-stream', 'binary/octet-stream'])

const label = (i: number, filename?: string | null) => `photo ${i + 1}${filename ? ` (${filename})` : ''}`

/** Base64 text (optionally a data: URL) → bytes, refusing anything that is not strict base64. */
export function decodeBase64Photo(
  text: string,
  index: number,
  filename?: string | null,
): { data: Buffer; declaredType: string | null } {
  let body = text
  let declaredType: string | null = null
  const dataUrl = /^data:([^;,]*)(;[^,]*)?,/.exec(text)
  if (dataUrl) {
    if (!dataUrl[2]?.includes(';base64'))
      throw badRequest('invalid_photo', `${label(index, filename)}: a data: URL must be base64-encoded`)
    declaredType = dataUrl[1] || null
    body = text.slice(dataUrl[0].length)
  }
  body = body.replace(/\s+/g, '')
  if (body.length === 0 || body.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(body)) {
    throw badRequest('invalid_photo', `${label(index, filename)}: "data" is not base64`)
  }
  return { data: Buffer.from(body, 'base64'), declaredType }
}

/** Photos sent in a JSON body (base64, each with its optional type and name) as uploads to check. */
export function jsonPhotoUploads(photos: readonly JsonPhoto[] | undefined): PhotoUpload[] {
  return (photos ?? []).map((p, i) => {
    const decoded = decodeBase64Photo(p.data, i, p.filename)
    return { data: decoded.data, declaredType: p.contentType ?? decoded.declaredType, filename: p.filename ?? null }
  })
}
export type JsonPhoto = { data: string; contentType?: string; filename?: string }

/** All photos checked, or the first problem thrown; nothing is stored either way. */
export function checkPhotos(photos: PhotoUpload[], limits: PhotoLimits): CheckedPhoto[] {
  if (photos.length > limits.maxCount) {
    throw badRequest('too_many_photos', `${photos.length} photos sent; at most ${limits.maxCount} are allowed`, {
      count: photos.length,
      maxCount: limits.maxCount,
    })
  }
  return photos.map((p, i) => {
    const name = label(i, p.filename)
    if (p.data.length === 0) throw badRequest('invalid_photo', `${name} is empty`)
    if (p.data.length > limits.maxBytes) {
      throw new AppError(
        413,
        'photo_too_large',
        `${name} has ${p.data.length} bytes; at most ${limits.maxBytes} are allowed`,
        {
          index: i,
          sizeBytes: p.data.length,
          maxBytes: limits.maxBytes,
        },
      )
    }
    const sniffed = sniffImageType(p.data)
    if (!sniffed) {
      throw new AppError(
        415,
        'unsupported_photo_type',
        `${name} is not a JPEG, PNG or WebP image (judged by its content)`,
        {
          index: i,
          allowed: PHOTO_TYPES,
        },
      )
    }
    const declared = (p.declaredType ?? '').split(';')[0]!.trim().toLowerCase()
    if (!UNINFORMATIVE.has(declared) && ALIASES[declared] !== sniffed) {
      throw new AppError(
        415,
        'photo_type_mismatch',
        `${name} is declared as ${declared} but its content is ${sniffed}`,
        {
          index: i,
          declared,
          actual: sniffed,
        },
      )
    }
    return {
      data: p.data,
      contentType: sniffed,
      sizeBytes: p.data.length,
      sha256: createHash('sha256').update(p.data).digest('hex'),
      filename: p.filename ? p.filename.slice(0, 255) : null,
    }
  })
}
