// Photo checks of the report and feedback forms, against the server's limits (map-config flagRules.photos):
// a refused file is named with the reason before anything is sent.
import { tKey } from '../../i18n/index.js'
import { formatBytes } from './format.js'
import type { FlagRules } from './rules.js'

export type PhotoLimits = FlagRules['photos']

export interface PhotoProblem {
  name: string
  reason: 'type' | 'size' | 'count'
}

/**
 * Splits chosen files into those that may be sent and those that may not (wrong type, too large, or
 * beyond the count), in the order chosen, so the form can say which file is refused and why.
 */
export function checkPhotoFiles<F extends { name: string; type: string; size: number }>(
  files: readonly F[],
  limits: PhotoLimits,
): { accepted: F[]; problems: PhotoProblem[] } {
  const accepted: F[] = []
  const problems: PhotoProblem[] = []
  for (const f of files) {
    if (!limits.types.includes(f.type.toLowerCase())) problems.push({ name: f.name, reason: 'type' })
    else if (f.size > limits.maxBytes) problems.push({ name: f.name, reason: 'size' })
    else if (accepted.length >= limits.maxCount) problems.push({ name: f.name, reason: 'count' })
    else accepted.push(f)
  }
  return { accepted, problems }
}

/** The limits as the forms' labels say them: {n} photos, {max} each. */
export function photoLimitParams(limits: PhotoLimits): { n: number; max: string } {
  return { n: limits.maxCount, max: formatBytes(limits.maxBytes) }
}

/** One line per refused file, in the interface language. */
export function photoProblemTexts(problems: readonly PhotoProblem[], limits: PhotoLimits): string[] {
  const { n, max } = photoLimitParams(limits)
  return problems.map((p) => tKey(`photoProblem_${p.reason}`, p.reason, { name: p.name, max, n }))
}
