// Events that notify someone, each written in the transaction of the write that causes it (the hook in
// the causing service is one call to a function here):
//   a flag dispatched, or escalated, to a cell → the accounts of the people it was assigned to;
//   a ledger entry returned → the unit officers of its unit (its head's and its liaisons' accounts).
// The recipient is an account (users.person_id links it to a person; a unit officer's person heads or
// liaises for units). A person with no account is not told: nobody could read it.
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import * as repo from './repository.js'
import { send, sendersFor, type NotifySettings } from './senders.js'

type Executor = Kysely<DB> | Transaction<DB>

const compact = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== ''))

/** A flag went to these people: dispatched (registration) or escalated past a missed limit. */
export async function notifyFlagAssigned(
  tx: Executor,
  s: NotifySettings,
  e: { flagId: number; personIds: number[]; at: Date } & (
    { reason: 'dispatch' } | { reason: 'escalation'; limit: 'ack' | 'complete' }
  ),
): Promise<void> {
  const users = await repo.usersOfPeople(tx, [...new Set(e.personIds)])
  if (users.length === 0) return
  const flag = await repo.flagFacts(tx, e.flagId)
  const payload = compact({ category: flag?.category, description: flag?.description, cellCode: flag?.cell_code })
  const kind = e.reason === 'dispatch' ? 'flag_dispatched' : 'flag_escalated'
  const eventKey = e.reason === 'dispatch' ? 'dispatch' : `escalate:${e.limit}`
  await send(
    tx,
    sendersFor(s, e.at),
    users.map((user_id) => ({
      user_id,
      kind,
      subject_type: 'flag',
      subject_id: e.flagId,
      event_key: eventKey,
      payload: e.reason === 'escalation' ? { ...payload, limit: e.limit } : payload,
      created_at: e.at,
    })),
  )
}

/** A reviewer returned a ledger entry (its new version names the event: an entry may be returned again). */
export async function notifyLedgerReturned(
  tx: Executor,
  s: NotifySettings,
  e: { entryId: number; version: number; reason: string; at: Date },
): Promise<void> {
  const entry = await repo.entryFacts(tx, e.entryId)
  if (!entry) return
  const users = await repo.officersOfUnit(tx, entry.unit_id)
  await send(
    tx,
    sendersFor(s, e.at),
    users.map((user_id) => ({
      user_id,
      kind: 'ledger_returned',
      subject_type: 'ledger_entry',
      subject_id: e.entryId,
      event_key: `v${e.version}`,
      payload: compact({
        measureCode: entry.code,
        measureTitle: entry.title.slice(0, 200),
        month: entry.month,
        reason: e.reason.slice(0, 500),
      }),
      created_at: e.at,
    })),
  )
}
