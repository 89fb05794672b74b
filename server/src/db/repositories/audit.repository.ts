import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface Actor {
  id: number | null
  login: string
}

/** The system itself (start-up, demo loading, CLI without a user). */
export const SYSTEM_ACTOR: Actor = { id: null, login: 'system' }

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
