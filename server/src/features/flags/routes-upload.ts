// Photo uploads of the flag routes: multipart/form-data (a phone web form posts files) read into the
// same body as JSON before validation, and base64 photos of a JSON body decoded.
import type { FastifyRequest } from 'fastify'
import { AppError, badRequest, unauthorized } from '../../errors.js'
import { jsonPhotoUploads, type JsonPhoto, type PhotoUpload } from './photos.js'
import type { FlagSettings } from './settings.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** photo files of a multipart/form-data flag report or feedback */
    flagUploads: PhotoUpload[] | null
  }
}

/** The photos of a request: its multipart files, or its JSON body's base64 photos decoded. */
export function uploadsOf(request: FastifyRequest, jsonPhotos: JsonPhoto[] | undefined): PhotoUpload[] {
  if (request.flagUploads) return request.flagUploads
  return jsonPhotoUploads(jsonPhotos)
}

/** The multipart limits for @fastify/multipart, from the photo settings. */
export function multipartLimits(settings: FlagSettings) {
  return {
    fileSize: settings.photoMaxBytes,
    files: settings.photoMaxCount,
    fields: 20,
    fieldSize: 1_048_576,
    parts: settings.photoMaxCount + 20,
  }
}

/** JSON bodies may carry the photos as base64 (a third larger than the files). */
export const photoBodyLimit = (settings: FlagSettings) =>
  Math.ceil((settings.photoMaxBytes * Math.max(1, settings.photoMaxCount) * 4) / 3) + 1_048_576

/** A preValidation hook: multipart/form-data → the same body as JSON (fields), files → request.flagUploads. */
export function multipartBody(settings: FlagSettings) {
  return async function multipartBody(request: FastifyRequest) {
    if (!request.isMultipart()) return
    // do not read uploads for anonymous callers (the route policy would refuse them anyway)
    if (!request.user) throw unauthorized()
    const fields: Record<string, unknown> = {}
    const uploads: PhotoUpload[] = []
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'photos')
            throw badRequest(
              'invalid_request',
              `multipart file field "${part.fieldname}" is not expected; send photos in "photos"`,
            )
          const label = `photo ${uploads.length + 1}${part.filename ? ` (${part.filename})` : ''}`
          try {
            uploads.push({ data: await part.toBuffer(), declaredType: part.mimetype, filename: part.filename || null })
          } catch (error) {
            if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
              throw new AppError(413, 'photo_too_large', `${label} is larger than ${settings.photoMaxBytes} bytes`, {
                index: uploads.length,
                maxBytes: settings.photoMaxBytes,
              })
            }
            throw error
          }
        } else {
          fields[part.fieldname] = part.value
        }
      }
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'FST_FILES_LIMIT')
        throw badRequest(
          'too_many_photos',
          `more than ${settings.photoMaxCount} photos sent; at most ${settings.photoMaxCount} are allowed`,
          { maxCount: settings.photoMaxCount },
        )
      if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
        throw badRequest('invalid_request', 'the form has too many fields')
      throw error
    }
    if (typeof fields.geometry === 'string') {
      try {
        fields.geometry = JSON.parse(fields.geometry) as unknown
      } catch {
        throw badRequest('invalid_geometry', 'form field "geometry" is not GeoJSON text')
      }
    }
    request.body = fields
    request.flagUploads = uploads
  }
}
