// Evidence checks without a database: the type from the first bytes, declared types that contradict
// the content, the size limit and the per-entry count (counting files already attached).
import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors.js'
import { checkEvidence, sniffEvidenceType } from './evidence.js'

const PDF = Buffer.from('%PDF-1.7\n%%EOF\n')
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])
const limits = { maxBytes: 64, maxCount: 2 }
const refusal = (f: () => unknown) => {
  try {
    f()
  } catch (error) {
    if (error instanceof AppError) return [error.status, error.code]
    throw error
  }
  return null
}

describe('sniffEvidenceType', () => {
  it('knows PDF by "%PDF-" and images as flag photos do; nothing else', () => {
    expect(sniffEvidenceType(PDF)).toBe('application/pdf')
    expect(sniffEvidenceType(PNG)).toBe('image/png')
    expect(sniffEvidenceType(Buffer.from('%PDF'))).toBeNull()
    expect(sniffEvidenceType(Buffer.from('GIF89a......'))).toBeNull()
  })
})

describe('checkEvidence', () => {
  it('types by content; an uninformative declared type is fine, a contradicting one is refused', () => {
    const [a, b] = checkEvidence(
      [
        { data: PDF, declaredType: 'application/octet-stream', filename: 'a.pdf' },
        { data: PNG, declaredType: 'image/png' },
      ],
      0,
      limits,
    )
    expect([a!.contentType, b!.contentType]).toEqual(['application/pdf', 'image/png'])
    expect(a!.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(refusal(() => checkEvidence([{ data: PNG, declaredType: 'application/pdf' }], 0, limits))).toEqual([
      415,
      'evidence_type_mismatch',
    ])
  })

  it('size and count limits, the count including files already attached', () => {
    expect(refusal(() => checkEvidence([{ data: Buffer.alloc(65, 0x25) }], 0, limits))).toEqual([
      413,
      'evidence_too_large',
    ])
    expect(refusal(() => checkEvidence([{ data: PDF }], 2, limits))).toEqual([400, 'too_many_evidence_files'])
    expect(refusal(() => checkEvidence([], 0, limits))).toEqual([400, 'no_evidence'])
    expect(refusal(() => checkEvidence([{ data: Buffer.alloc(0) }], 0, limits))).toEqual([400, 'invalid_evidence'])
  })
})
