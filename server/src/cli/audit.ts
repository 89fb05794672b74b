// `audit verify`: recomputes the audit log's hash chain and names the first broken link.
import type { Database } from '../db/database.js'
import { verifyAuditChain } from '../services/audit-chain.service.js'

export const AUDIT_USAGE = `  audit verify                    recompute the audit log's hash chain; exit code 1 if broken`

export async function auditCommand(
  database: Database,
  positionals: string[],
  out: (line: string) => void,
): Promise<number> {
  if (positionals[0] !== 'verify') {
    console.error('usage: audit verify')
    return 2
  }
  const report = await verifyAuditChain(database.db)
  if (!report.broken) {
    out(`${report.rows} rows, chain intact, head ${report.head}`)
    return 0
  }
  const b = report.broken
  const what = {
    position: 'chain position (rows before it are missing)',
    prev_hash: "prev_hash (does not match the previous row's hash)",
    hash: 'hash (its fields were changed)',
  }[b.problem]
  out(`chain broken at audit_log row id ${b.id} (position ${b.chainPos}): ${what}`)
  out(`  expected ${b.expected}`)
  out(`  stored   ${b.stored}`)
  out(`${report.rows} rows before it are intact, ending in ${report.head}`)
  return 1
}
