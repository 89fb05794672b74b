// Evidence uploads: multipart/form-data (a phone form posts files in "files") read into the same body as
// JSON before validation, or base64 files of a JSON body decoded — as flag photos are.
import type { FastifyRequest } from 'fastify'
import { AppError, badRequest, unauthorized } from '../../errors.js'
import { decodeBase64Photo } from '../flags/photos.js'
import { evidenceLabel, type EvidenceLimits, type EvidenceUpload } from './evidence.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** evidence files of a multipart/form-data upload */
    ledgerUploads: EvidenceUpload[] | null
  }
}

type JsonFile = { data: string; contentType?: string; filename?: string }

/** The files of a request: its multipart files, or its JSON body's base64 files decoded. */
export function evidenceOf(request: FastifyRequest, jsonFiles: JsonFile[] | undefined): EvidenceUpload[] {
  if (request.ledgerUploads) return request.ledgerUploads
  return (jsonFiles ?? []).map((f, i) => {
    let decoded
    try {
      decoded = decodeBase64Photo(f.data, i, f.filename)
    } catch {
      throw badRequest('invalid_evidence', `${evidenceLabel(i, f.filename)}: "data" is not base64`)
    }
    return { data: decoded.data, declaredType: f.contentType ?? decoded.declaredType, filename: f.filename ?? null }
  })
}

/** The multipart limits: one file more than allowed, so "too many" is told apart from the form's end. */
export const evidenceMultipartLimits = (l: EvidenceLimits) => ({
  fileSize: l.maxBytes,
  files: l.maxCount,
  fields: 10,
  fieldSize: 65_536,
  parts: l.maxCount + 10,
})

/** JSON bodies may carry the files as base64 (a third larger). */
export const evidenceBodyLimit = (l: EvidenceLimits) =>
  Math.ceil((l.maxBytes * Math.max(1, l.maxCount) * 4) / 3) + 65_536

/** A preValidation hook: multipart/form-data → fields as the body, files → request.ledgerUploads. */
export function evidenceMultipartBody(l: EvidenceLimits) {
  return async function multipartBody(request: FastifyRequest) {
    if (!request.isMultipart()) return
    if (!request.user) throw unauthorized()
    const fields: Record<string, unknown> = {}
    const uploads: EvidenceUpload[] = []
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'files')
            throw badRequest(
              'invalid_request',
              `multipart file field "${part.fieldname}" is not expected; send files in "files"`,
            )
          try {
            uploads.push({ data: await part.toBuffer(), declaredType: part.mimetype, filename: part.filename || null })
          } catch (error) {
            if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
              throw new AppError(
                413,
                'evidence_too_large',
                `${evidenceLabel(uploads.length, part.filename)} is larger than ${l.maxBytes} bytes`,
                { index: uploads.length, maxBytes: l.maxBytes },
              )
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
          'too_many_evidence_files',
          `more than ${l.maxCount} files sent; at most ${l.maxCount} are allowed per entry`,
          { maxCount: l.maxCount },
        )
      if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
        throw badRequest('invalid_request', 'the form has too many fields')
      throw error
    }
    request.body = fields
    request.ledgerUploads = uploads
  }
}
