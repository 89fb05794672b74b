// The rules of the Idempotency-Key header (README, "Idempotency-Key"): a key is the user's own, names one
// request (method, route, and a hash of params, query, body and uploaded files), is claimed before the
// handler runs, keeps the answer of a success for 7 days, and is released when the request fails.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { AppError, badRequest, conflict } from '../errors.js'
import {
  claimKey,
  findKey,
  purgeKeys,
  releaseClaim,
  storeAnswer,
  type IdempotencyClaim,
} from '../db/repositories/idempotency.repository.js'

export type { IdempotencyClaim, IdempotencyMethod } from '../db/repositories/idempotency.repository.js'

export const IDEMPOTENCY_HEADER = 'Idempotency-Key'
export const REPLAYED_HEADER = 'Idempotent-Replayed'
/** Visible ASCII (no space, no control character), 8 to 200 of them; the migration checks the same. */
const KEY_PATTERN = /^[\x21-\x7e]{8,200}$/
export const KEEP_DAYS = 7
/** A claim without an answer this old belongs to a request that never finished (the process stopped). */
export const ABANDONED_MINUTES = 10
const PURGE_EVERY_MS = 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000

/** The header's value checked: undefined when absent; a 400 naming the header when malformed. */
export function checkKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !KEY_PATTERN.test(value))
    throw badRequest(
      'invalid_idempotency_key',
      `header "${IDEMPOTENCY_HEADER}" must be one value of 8 to 200 visible ASCII characters (no spaces)`,
      { header: IDEMPOTENCY_HEADER, minLength: 8, maxLength: 200 },
    )
  return value
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')

/** A value with object keys sorted and bytes replaced by their hash, so equal requests hash equal. */
function canonical(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { $sha256: sha256(value) }
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    )
  return value
}

export interface HashedFile {
  data: Buffer
  declaredType?: string | null
  filename?: string | null
}

/** sha256 (hex) of what a request asks for: its params, query and body, and the bytes of its files. */
export function requestHash(parts: { params: unknown; query: unknown; body: unknown; files: readonly HashedFile[] }) {
  return sha256(
    JSON.stringify(
      canonical({
        params: parts.params ?? null,
        query: parts.query ?? null,
        body: parts.body ?? null,
        files: parts.files.map((f) => ({
          sha256: sha256(f.data),
          type: f.declaredType ?? null,
          filename: f.filename ?? null,
        })),
      }),
    ),
  )
}

export type Begun =
  { kind: 'claimed' } | { kind: 'replay'; statusCode: number; body: string; contentType: string | null }

/**
 * Claims the key for this request, or finds what it already holds: the stored answer of the same
 * request (replay), a 409 while the request holding the key is still in flight (the same or another),
 * a 422 when the key named another request that finished. Nothing is written unless the key is claimed.
 */
export async function beginIdempotent(db: Kysely<DB>, claim: IdempotencyClaim): Promise<Begun> {
  const staleBefore = new Date(claim.at.getTime() - KEEP_DAYS * DAY_MS)
  const abandonedBefore = new Date(claim.at.getTime() - ABANDONED_MINUTES * 60_000)
  if (await claimKey(db, claim, staleBefore, abandonedBefore)) return { kind: 'claimed' }
  const held = await findKey(db, claim.userId, claim.key)
  // released between the insert and the read: the other request failed; this one may claim it now
  if (!held) {
    if (await claimKey(db, claim, staleBefore, abandonedBefore)) return { kind: 'claimed' }
    throw inFlight()
  }
  // still in flight, whatever the request: only a finished one can say the key is taken (a client that
  // kept a copy of a request whose answer was lost may then drop the copy: the first one is stored)
  if (held.statusCode === null || held.responseBody === null) throw inFlight()
  if (held.method !== claim.method || held.route !== claim.route || held.requestHash !== claim.requestHash)
    throw new AppError(
      422,
      'idempotency_key_reused',
      `this ${IDEMPOTENCY_HEADER} was already used for a different request (${held.method} ${held.route}` +
        `${held.method === claim.method && held.route === claim.route ? ' with other parameters or body' : ''}); ` +
        'use a new key for a new request',
      { header: IDEMPOTENCY_HEADER },
    )
  return { kind: 'replay', statusCode: held.statusCode, body: held.responseBody, contentType: held.contentType }
}

const inFlight = () =>
  conflict(
    'idempotency_key_in_flight',
    `a request with this ${IDEMPOTENCY_HEADER} is still being handled; retry when it has finished`,
    { header: IDEMPOTENCY_HEADER },
  )

/** Keeps a success's answer under the key; a failure (null) releases the key for a retry. */
export async function finishIdempotent(
  db: Kysely<DB>,
  userId: number,
  key: string,
  answer: { statusCode: number; body: string; contentType: string | null } | null,
) {
  if (answer) await storeAnswer(db, userId, key, answer)
  else await releaseClaim(db, userId, key)
}

let lastPurge = 0
/** Deletes keys older than 7 days, at most once an hour per process (called on each claim). */
export async function purgeOldKeys(db: Kysely<DB>, now: Date, force = false): Promise<number> {
  if (!force && now.getTime() - lastPurge < PURGE_EVERY_MS && now.getTime() >= lastPurge) return 0
  lastPurge = now.getTime()
  return purgeKeys(db, new Date(now.getTime() - KEEP_DAYS * DAY_MS))
}
