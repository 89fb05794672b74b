import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../schema.js'
import type { Actor } from '../../actor.js'

// re-exported for the services that import them from here
export { SYSTEM_ACTOR, type Actor } from '../../actor.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface AuditEntry {
  actor: Actor
  action: string
  entityType: string
  entityId: string | number | null
  reason?: string | null
  before?: unknown
  after?: unknown
}

export function insertAudit(db: Executor, entry: AuditEntry) {
  return db
    .insertInto('audit_log')
    .values({
      actor_id: entry.actor.id,
      actor_login: entry.actor.login,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      reason: entry.reason ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute()
}

export function listAudit(db: Executor, filter: { entityType?: string; entityId?: string; limit: number }) {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit)
  if (filter.entityType) q = q.where('entity_type', '=', filter.entityType)
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId)
  return q.execute()
}

/** An audit row's fields as text, the way the hash chain reads them (see audit-chain.service.ts). */
export interface AuditChainRow {
  id: string
  chain_pos: string
  at_utc: string
  actor_id: string | null
  actor_login: string | null
  action: string
  entity_type: string
  entity_id: string | null
  reason: string | null
  before: string | null
  after: string | null
  prev_hash: string
  hash: string
}

/** The chain in order, a page at a time. The time is printed in UTC with microseconds, jsonb as text. */
export async function auditChainPage(db: Executor, afterPos: number, limit: number): Promise<AuditChainRow[]> {
  const { rows } = await sql<AuditChainRow>`
    SELECT id::text, chain_pos::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_utc,
           actor_id::text, actor_login, action, entity_type, entity_id, reason, before::text, after::text, prev_hash, hash
    FROM audit_log WHERE audit_log.chain_pos > ${afterPos} ORDER BY audit_log.chain_pos LIMIT ${limit}`.execute(db)
  return rows
}
