// Evidence files of a ledger entry: photos (JPEG, PNG, WebP, as flag photos) and PDF documents. The type
// is judged by the file's first bytes, never by what the client declares; a declared type that
// contradicts the content is refused, so a PNG sent as "application/pdf" does not slip through.
import { createHash } from 'node:crypto'
import { AppError, badRequest } from '../../errors.js'
import { sniffImageType } from '../flags/photos.js'

export type EvidenceType = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf'
export const EVIDENCE_TYPES: readonly EvidenceType[] = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf']

export interface EvidenceUpload {
  data: Buffer
  declaredType?: string | null
  filename?: string | null
}

export interface CheckedEvidence {
  data: Buffer
  contentType: EvidenceType
  sizeBytes: number
  sha256: string
  filename: string | null
}

export interface EvidenceLimits {
  maxBytes: number
  /** most files per entry, counting those it already has */
  maxCount: number
}

/** PDF files start with "%PDF-" (ISO 32000-1, 7.5.2). */
export function sniffEvidenceType(b: Uint8Array): EvidenceType | null {
  if (b.length >= 5 && String.fromCharCode(...b.subarray(0, 5)) === '%PDF-') return 'application/pdf'
  return sniffImageType(b)
}

const ALIASES: Record<string, EvidenceType> = {
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/webp': 'image/webp',
  'application/pdf': 'application/pdf',
  'application/x-pdf': 'application/pdf',
}
const UNINFORMATIVE = new Set(['', 'application/octet-stream', 'binary/octet-stream'])

export const evidenceLabel = (i: number, filename?: string | null) => `file ${i + 1}${filename ? ` (${filename})` : ''}`

/** Every file checked, or the first problem thrown; nothing is stored either way. */
export function checkEvidence(files: EvidenceUpload[], already: number, limits: EvidenceLimits): CheckedEvidence[] {
  if (files.length === 0) throw badRequest('no_evidence', 'no file sent: send the evidence in "files"')
  if (already + files.length > limits.maxCount) {
    throw badRequest(
      'too_many_evidence_files',
      `the entry has ${already} evidence file(s) and ${files.length} were sent; at most ${limits.maxCount} are allowed per entry`,
      { already, sent: files.length, maxCount: limits.maxCount },
    )
  }
  return files.map((f, i) => {
    const name = evidenceLabel(i, f.filename)
    if (f.data.length === 0) throw badRequest('invalid_evidence', `${name} is empty`)
    if (f.data.length > limits.maxBytes) {
      throw new AppError(
        413,
        'evidence_too_large',
        `${name} has ${f.data.length} bytes; at most ${limits.maxBytes} are allowed`,
        { index: i, sizeBytes: f.data.length, maxBytes: limits.maxBytes },
      )
    }
    const sniffed = sniffEvidenceType(f.data)
    if (!sniffed) {
      throw new AppError(
        415,
        'unsupported_evidence_type',
        `${name} is not a JPEG, PNG or WebP image or a PDF document (judged by its content)`,
        { index: i, allowed: EVIDENCE_TYPES },
      )
    }
    const declared = (f.declaredType ?? '').split(';')[0]!.trim().toLowerCase()
    if (!UNINFORMATIVE.has(declared) && ALIASES[declared] !== sniffed) {
      throw new AppError(
        415,
        'evidence_type_mismatch',
        `${name} is declared as ${declared} but its content is ${sniffed}`,
        {
          index: i,
          declared,
          actual: sniffed,
        },
      )
    }
    return {
      data: f.data,
      contentType: sniffed,
      sizeBytes: f.data.length,
      sha256: createHash('sha256').update(f.data).digest('hex'),
      filename: f.filename ? f.filename.slice(0, 255) : null,
    }
  })
}
