// The SQL of the demo's ledger contents: the untouched entries of the months before "today", the unit
// officers' accounts (to sign the demo's submissions and reviews), and writing an entry's outcome.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { EntryChange, NewVersion } from './repository.js'

type Executor = Kysely<DB> | Transaction<DB>

/** Entries still as created (version 1, draft) of months before `beforeMonth` ('YYYY-MM-01'). */
export function untouchedEntriesBefore(db: Executor, beforeMonth: string) {
  return db
    .selectFrom('ledger_entries as e')
    .innerJoin('measures as m', 'm.id', 'e.measure_id')
    .innerJoin('plans as p', 'p.id', 'm.plan_id')
    .innerJoin('work_lines as wl', 'wl.code', 'p.line_code')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .innerJoin('indicators as i', 'i.code', 'm.indicator_code')
    .leftJoin('measure_milestones as mm', (j) =>
      j
        .onRef('mm.measure_id', '=', 'e.measure_id')
        .on(sql<number>`extract(month FROM e.month)::int`, '=', sql.ref('mm.month')),
    )
    .select([
      'e.id',
      'e.month',
      'e.unit_id',
      'e.due_at',
      'e.milestone',
      'u.code as unit_code',
      'm.code as measure_code',
      'm.target_value',
      'wl.lead_unit_id',
      'i.min_value',
      'i.max_value',
      'mm.planned_value',
    ])
    .where('e.month', '<', beforeMonth)
    .where('e.version', '=', 1)
    .where('e.state', '=', 'draft')
    .orderBy('e.month')
    .orderBy('u.code')
    .orderBy('m.code')
    .execute()
}
export type DemoEntryRow = Awaited<ReturnType<typeof untouchedEntriesBefore>>[number]

/** Unit officers' accounts by unit (head or liaison), the first by login. */
export async function officerAccountsByUnit(db: Executor): Promise<Map<number, { id: number; login: string }>> {
  const rows = await db
    .selectFrom('users as us')
    .innerJoin('units as u', 'u.head_person_id', 'us.person_id')
    .select(['u.id as unit_id', 'us.id', 'us.login'])
    .where('us.role', '=', 'unit_officer')
    .union(
      db
        .selectFrom('users as us')
        .innerJoin('unit_liaisons as ul', 'ul.person_id', 'us.person_id')
        .select(['ul.unit_id', 'us.id', 'us.login'])
        .where('us.role', '=', 'unit_officer'),
    )
    .execute()
  const byUnit = new Map<number, { id: number; login: string }>()
  for (const r of [...rows].sort((a, b) => a.login.localeCompare(b.login)))
    if (!byUnit.has(r.unit_id)) byUnit.set(r.unit_id, { id: r.id, login: r.login })
  return byUnit
}

export async function writeDemoOutcome(
  tx: Transaction<DB>,
  id: number,
  change: EntryChange & { version: number; updated_at: Date },
  versions: NewVersion[],
) {
  await tx.updateTable('ledger_entries').set(change).where('id', '=', id).execute()
  if (versions.length === 0) return
  await tx
    .insertInto('ledger_entry_versions')
    .values(
      versions.map((v) => ({
        entry_id: v.entryId,
        version: v.version,
        action: v.action,
        at: v.at,
        actor_id: v.actorId,
        actor_login: v.actorLogin,
        state: v.state,
        progress: v.progress,
        done_value: v.doneValue,
        done_text: v.doneText,
        reason: v.reason,
      })),
    )
    .execute()
}
