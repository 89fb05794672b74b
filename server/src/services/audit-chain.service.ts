// Checks the audit log's hash chain without trusting the database's own hashing: every row's hash is
// recomputed here, in JavaScript, from its fields, and linked to the row before it. The canonical text
// is the one the insert trigger hashes (migrations/20261130000100_system_of_record.sql).
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { auditChainPage, type AuditChainRow } from '../db/repositories/audit.repository.js'

export const GENESIS_HASH = '0'.repeat(64)

export interface BrokenLink {
  id: number
  chainPos: number
  problem: 'position' | 'prev_hash' | 'hash'
  expected: string
  stored: string
}

export interface ChainReport {
  rows: number
  head: string
  broken: BrokenLink | null
}

/** Each field as "<UTF-8 byte length>:<text>", NULL as "-", joined by "|": no two rows share a text. */
export function canonicalText(row: AuditChainRow): string {
  const fields = [
    row.id,
    row.chain_pos,
    row.at_utc,
    row.actor_id,
    row.actor_login,
    row.action,
    row.entity_type,
    row.entity_id,
    row.reason,
    row.before,
    row.after,
    row.prev_hash,
  ]
  return fields.map((f) => (f === null ? '-' : `${Buffer.byteLength(f, 'utf8')}:${f}`)).join('|')
}

export const rowHash = (row: AuditChainRow) => createHash('sha256').update(canonicalText(row), 'utf8').digest('hex')

export async function verifyAuditChain(db: Kysely<DB>, pageSize = 5000): Promise<ChainReport> {
  let rows = 0
  let head = GENESIS_HASH
  for (;;) {
    const page = await auditChainPage(db, rows, pageSize)
    for (const row of page) {
      const broken = (problem: BrokenLink['problem'], expected: string, stored: string): ChainReport => ({
        rows,
        head,
        broken: { id: Number(row.id), chainPos: Number(row.chain_pos), problem, expected, stored },
      })
      // a gap in the positions means rows were removed before this one
      if (Number(row.chain_pos) !== rows + 1) return broken('position', String(rows + 1), row.chain_pos)
      if (row.prev_hash !== head) return broken('prev_hash', head, row.prev_hash)
      const hash = rowHash(row)
      if (hash !== row.hash) return broken('hash', hash, row.hash)
      rows += 1
      head = hash
    }
    if (page.length < pageSize) return { rows, head, broken: null }
  }
}
