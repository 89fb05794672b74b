// Flag rules the interface needs before it asks the server: which workflow buttons a role gets, which
// actions need a comment, and the photo checks of the report form. They mirror the server
// (server/src/services/flags-workflow.ts ACTION_ROLES / COMMENT_REQUIRED, flags-photos.ts and the
// FLAG_PHOTO_MAX_* settings); the server stays the judge: its 403/409/413/415 messages are shown as
// they come. Pure functions, unit-tested.
import { ApiError } from '../../api/client.js'
import type { DuplicateCandidate, Flag, FlagAction, FlagState, UserRole } from '../../api/types.js'

export const FLAG_ACTIONS: readonly FlagAction[] = [
  'register',
  'reject',
  'acknowledge',
  'feedback',
  'verify',
  'return',
  'reopen',
]

/** Who may take each action (the server's ACTION_ROLES; dispatch is the system's, on registration). */
export const ACTION_ROLES: Record<FlagAction, readonly UserRole[]> = {
  register: ['admin'],
  reject: ['admin'],
  acknowledge: ['admin', 'supervisor'],
  feedback: ['admin', 'supervisor'],
  verify: ['admin', 'inspector'],
  return: ['admin', 'inspector'],
  reopen: ['admin', 'inspector'],
}

/** Actions that must carry text: the reason of a rejection, the handler's note, why it goes back. */
export const COMMENT_REQUIRED: ReadonlySet<FlagAction> = new Set(['reject', 'feedback', 'return', 'reopen'])

export const OPEN_STATES: readonly FlagState[] = ['reported', 'registered', 'dispatched', 'in_progress', 'feedback']

/** The buttons a signed-in user gets on a flag: what its state allows and their role may do. */
export function actionsFor(role: UserRole | null, flag: Pick<Flag, 'allowedActions'>): FlagAction[] {
  if (!role) return []
  return FLAG_ACTIONS.filter((a) => flag.allowedActions.includes(a) && ACTION_ROLES[a].includes(role))
}

// ---- photos -----------------------------------------------------------------------------------------

export interface PhotoLimits {
  maxBytes: number
  maxCount: number
  types: readonly string[]
}

/** The server's defaults (FLAG_PHOTO_MAX_BYTES 5 MiB, FLAG_PHOTO_MAX_COUNT 4; JPEG, PNG, WebP). */
export const PHOTO_LIMITS: PhotoLimits = {
  maxBytes: 5 * 1024 * 1024,
  maxCount: 4,
  types: ['image/jpeg', 'image/png', 'image/webp'],
}

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
  limits: PhotoLimits = PHOTO_LIMITS,
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

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`
  if (n >= 1024) return `${Math.round(n / 1024)} KB`
  return `${n} B`
}

// ---- answers --------------------------------------------------------------------------------------------

/** The open flags a 409 possible_duplicate names, or null for any other error. */
export function duplicateCandidates(e: unknown): DuplicateCandidate[] | null {
  if (!(e instanceof ApiError) || e.status !== 409 || e.code !== 'possible_duplicate') return null
  const c = (e.details as { candidates?: unknown } | undefined)?.candidates
  return Array.isArray(c) ? (c as DuplicateCandidate[]) : []
}

/** An ISO instant as local "YYYY-MM-DD HH:MM". */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const z = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${z(d.getMonth() + 1)}-${z(d.getDate())} ${z(d.getHours())}:${z(d.getMinutes())}`
}

/** Shown on a flag: is it late, and has it gone up a level? */
export function urgency(flag: Pick<Flag, 'overdue' | 'escalationLevel'>): 'escalated' | 'overdue' | null {
  if (flag.escalationLevel > 0) return 'escalated'
  if (flag.overdue.any) return 'overdue'
  return null
}
