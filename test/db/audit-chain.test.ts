// Issue 11 item 4: the audit log is a hash chain; `audit verify` recomputes it and names the first
// broken link. Tampering is done as the tables' owner, who can switch the append-only trigger off.
import { afterEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Database } from '../../server/src/db/database.js'
import { insertAudit, SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { GENESIS_HASH, verifyAuditChain } from '../../server/src/services/audit-chain.service.js'
import { auditCommand } from '../../server/src/cli/audit.js'
import { testDatabase } from '../helpers/database.js'

let opened: { close: () => Promise<void> } | undefined
afterEach(async () => {
  await opened?.close()
  opened = undefined
})

/** A fresh database with `n` audit rows written as the app writes them (awkward text included). */
async function withRows(n: number) {
  const t = await testDatabase('empty')
  opened = t
  for (let i = 0; i < n; i++) {
    await insertAudit(t.database.db, {
      actor: { id: i, login: `user ${i} «ü»` },
      action: 'update',
      entityType: 'cell',
      entityId: i % 2 ? `C-${i}` : null,
      reason: i % 3 ? 'a|b:c' : null,
      before: { n: i, nested: { x: [1, 2.5, 'é'] } },
      after: i % 2 ? { n: i + 1 } : undefined,
    })
  }
  const rows = await t.database.db
    .selectFrom('audit_log')
    .select(['id', 'chain_pos', 'prev_hash', 'hash'])
    .orderBy('chain_pos')
    .execute()
  return { ...t, rows }
}

/** As the owner: switch the append-only trigger off, run the change, switch it on again. */
async function tamper(owner: Database, changes: string[], id: number) {
  await owner.db.transaction().execute(async (tx) => {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(tx)
    for (const change of changes) await sql.raw(change.replace('$ID', String(id))).execute(tx)
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(tx)
  })
}

describe('audit_log hash chain', { timeout: 240_000 }, () => {
  it('chains every row to the one before, and verify finds it intact', async () => {
    const { database, rows } = await withRows(7)
    expect(rows.map((r) => r.chain_pos)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH)
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash)
    const report = await verifyAuditChain(database.db, 3) // small pages: the page boundary is crossed
    expect(report).toEqual({ rows: 7, head: rows[6]!.hash, broken: null })
  })

  it('keeps one unbroken chain when many transactions write at once', async () => {
    const { database } = await withRows(0)
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        database.db.transaction().execute(async (tx) => {
          await insertAudit(tx, { actor: SYSTEM_ACTOR, action: 'parallel', entityType: 'test', entityId: i })
          await insertAudit(tx, { actor: SYSTEM_ACTOR, action: 'parallel', entityType: 'test', entityId: i })
        }),
      ),
    )
    const count = Number(
      (await sql<{ n: number }>`SELECT count(DISTINCT chain_pos) AS n FROM audit_log`.execute(database.db)).rows[0]!.n,
    )
    expect(count).toBe(60)
    expect((await verifyAuditChain(database.db)).broken).toBeNull()
  })

  it('names the row whose field the owner changed, with the hash it should have and the one it has', async () => {
    const { database, owner, rows } = await withRows(5)
    const victim = rows[2]!
    await tamper(owner(), [`UPDATE audit_log SET reason = 'nothing happened' WHERE id = $ID`], victim.id)
    const report = await verifyAuditChain(database.db)
    expect(report.broken).toMatchObject({ id: victim.id, chainPos: 3, problem: 'hash', stored: victim.hash })
    expect(report.broken!.expected).not.toBe(victim.hash)
    expect(report.rows).toBe(2)
    expect(report.head).toBe(rows[1]!.hash)

    const lines: string[] = []
    expect(await auditCommand(database, ['verify'], (l) => lines.push(l))).toBe(1)
    expect(lines[0]).toContain(`row id ${victim.id}`)
    expect(lines.join('\n')).toContain(victim.hash)
  })

  it('names the next row when the owner also rewrote the changed row’s hash', async () => {
    const { database, owner, rows } = await withRows(5)
    const victim = rows[1]!
    await tamper(
      owner(),
      [
        `UPDATE audit_log SET action = 'delete' WHERE id = $ID`,
        `UPDATE audit_log SET hash = encode(sha256(convert_to(audit_log_canonical(audit_log), 'UTF8')), 'hex') WHERE id = $ID`,
      ],
      victim.id,
    )
    const report = await verifyAuditChain(database.db)
    expect(report.broken).toMatchObject({
      id: rows[2]!.id,
      problem: 'prev_hash',
      expected: expect.not.stringMatching(victim.hash),
      stored: victim.hash,
    })
  })

  it('names the row after a deleted one', async () => {
    const { database, owner, rows } = await withRows(4)
    await tamper(owner(), ['DELETE FROM audit_log WHERE id = $ID'], rows[1]!.id)
    const report = await verifyAuditChain(database.db)
    expect(report.broken).toMatchObject({ id: rows[2]!.id, problem: 'position', expected: '2', stored: '3' })
  })

  it('reports "N rows, chain intact, head …" and exit code 0 when nothing was touched', async () => {
    const { database, rows } = await withRows(3)
    const lines: string[] = []
    expect(await auditCommand(database, ['verify'], (l) => lines.push(l))).toBe(0)
    expect(lines).toEqual([`3 rows, chain intact, head ${rows[2]!.hash}`])
  })

  it('ignores a chain position or hash the writer supplies: the trigger assigns them', async () => {
    const { database, rows } = await withRows(2)
    await sql`INSERT INTO audit_log (action, entity_type, chain_pos, prev_hash, hash) VALUES ('forged', 'x', 1, 'f', 'f')`.execute(
      database.db,
    )
    const forged = await database.db
      .selectFrom('audit_log')
      .select(['chain_pos', 'prev_hash'])
      .where('action', '=', 'forged')
      .executeTakeFirstOrThrow()
    expect(forged).toEqual({ chain_pos: 3, prev_hash: rows[1]!.hash })
    expect((await verifyAuditChain(database.db)).broken).toBeNull()
  })
})
