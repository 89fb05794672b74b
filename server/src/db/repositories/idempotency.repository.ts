// Idempotency keys (migrations/20261202000500_idempotency_keys.sql): claim a key for a request, store
// its 2xx answer, release the claim when the request failed, purge old keys. The rules are in
// services/idempotency.service.ts; the HTTP side in plugins/idempotency.ts.
import type { Kysely } from 'kysely'
import type { DB } from '../schema.js'

export type IdempotencyMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface IdempotencyClaim {
  userId: number
  key: string
  method: IdempotencyMethod
  route: string
  requestHash: string
  at: Date
}

export interface StoredIdempotencyKey {
  method: string
  route: string
  requestHash: string
  /** null while the first request is in flight */
  statusCode: number | null
  responseBody: string | null
  contentType: string | null
}

/**
 * Claims (user, key) with a placeholder row (no answer yet). Before that, a row of the key older than
 * `staleBefore` (an expired key) or a placeholder older than `abandonedBefore` (its request never
 * finished: the process stopped) is removed, so it does not block the key. True when this request
 * holds the claim; false when another row holds the key (the caller reads it with findKey).
 */
export async function claimKey(
  db: Kysely<DB>,
  claim: IdempotencyClaim,
  staleBefore: Date,
  abandonedBefore: Date,
): Promise<boolean> {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .where((eb) =>
      eb.or([
        eb('created_at', '<', staleBefore),
        eb.and([eb('status_code', 'is', null), eb('created_at', '<', abandonedBefore)]),
      ]),
    )
    .execute()
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({
      user_id: claim.userId,
      key: claim.key,
      method: claim.method,
      route: claim.route,
      request_hash: claim.requestHash,
      created_at: claim.at,
    })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function findKey(db: Kysely<DB>, userId: number, key: string): Promise<StoredIdempotencyKey | null> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['method', 'route', 'request_hash', 'status_code', 'response_body', 'content_type'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst()
  if (!row) return null
  return {
    method: row.method,
    route: row.route,
    requestHash: row.request_hash,
    statusCode: row.status_code,
    responseBody: row.response_body,
    contentType: row.content_type,
  }
}

/** Stores the answer of a claimed key (only the placeholder: a stored answer is never overwritten). */
export async function storeAnswer(
  db: Kysely<DB>,
  userId: number,
  key: string,
  answer: { statusCode: number; body: string; contentType: string | null },
) {
  await db
    .updateTable('idempotency_keys')
    .set({ status_code: answer.statusCode, response_body: answer.body, content_type: answer.contentType })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('status_code', 'is', null)
    .execute()
}

/** Removes a claim whose request failed (only the placeholder), so the client may retry with the key. */
export async function releaseClaim(db: Kysely<DB>, userId: number, key: string) {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('status_code', 'is', null)
    .execute()
}

/** Deletes every key created before `before`; the number deleted. */
export async function purgeKeys(db: Kysely<DB>, before: Date): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
