// Escalation of overdue ledger entries, like flags: an entry still draft or returned after its deadline
// goes up once to level 1 (its unit's head is told), and once more to level 2 when it is 5 working days
// past due (the county: the lead unit of the measure's line). A run that finds an entry further along
// than its level takes each level it missed, so the history shows both steps.
//
// Runs on demand (POST /api/ledgers/escalate, `npm run cli -- ledgers escalate`) and in the server
// process on the flag escalation's interval (FLAG_ESCALATION_INTERVAL_MINUTES). Each step is a new
// entry version (the versions' numbering is the entry's), so an officer's pending save gets a 409 and
// reads the entry again — it then sees that it was escalated.
import type { Kysely } from 'kysely'
import type { LedgerEscalationReport } from '../../contract/ledgers.js'
import type { DB } from '../../db/schema.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { addWorkingDays } from '../../services/working-time.js'
import { loadCalendar } from '../flags/service-calendar.js'
import type { FlagSettings } from '../flags/settings.js'
import * as repo from './repository.js'

/** Working days past the deadline at which an overdue entry goes to the county. */
export const COUNTY_AFTER_WORKING_DAYS = 5

const monthKey = (month: string) => month.slice(0, 7)

export async function escalateOverdueLedgers(
  db: Kysely<DB>,
  now: Date,
  s: FlagSettings,
  actor: Actor,
): Promise<LedgerEscalationReport> {
  const cal = await loadCalendar(db, s)
  const escalated: LedgerEscalationReport['escalated'] = []
  for (const candidate of await repo.escalationCandidates(db, now)) {
    const dueAt = new Date(candidate.due_at)
    const target = now.getTime() >= addWorkingDays(dueAt, COUNTY_AFTER_WORKING_DAYS, cal).getTime() ? 2 : 1
    if (candidate.escalation_level >= target) continue
    // one short transaction per entry: a lock held only while that entry's steps are written
    const steps = await db.transaction().execute(async (tx) => {
      const entry = await repo.lockEntry(tx, candidate.id)
      // checked again under the lock: the officer may have submitted it meanwhile
      if (!entry || (entry.state !== 'draft' && entry.state !== 'returned') || entry.escalation_level >= target)
        return []
      // the codes came with the candidates: no lookups inside the locked transaction
      const { unit_code: unit, lead_unit_code: lead, measure_code: measure } = candidate
      const done: LedgerEscalationReport['escalated'] = []
      for (let level = entry.escalation_level + 1; level <= target; level++) {
        const toUnitCode = level === 1 ? unit : lead
        const reason =
          level === 1
            ? `overdue since ${dueAt.toISOString()}: the head of unit ${unit} is told`
            : `${COUNTY_AFTER_WORKING_DAYS} working days past due (${dueAt.toISOString()}): the county is told (lead unit ${lead})`
        const after = await repo.updateEntry(tx, entry.id, { escalation_level: level, escalated_at: now }, now)
        await repo.insertVersion(tx, {
          entryId: entry.id,
          version: after.version,
          action: 'escalate',
          at: now,
          actorId: actor.id,
          actorLogin: actor.login,
          state: after.state,
          progress: after.progress,
          doneValue: after.done_value === null ? null : Number(after.done_value),
          doneText: after.done_text,
          reason,
        })
        const r = {
          entryId: entry.id,
          month: monthKey(entry.month),
          unitCode: unit,
          measureCode: measure,
          dueAt: dueAt.toISOString(),
          escalationLevel: level,
          toUnitCode,
        }
        await insertAudit(tx, {
          actor,
          action: 'escalate',
          entityType: 'ledger_entry',
          entityId: entry.id,
          reason,
          before: { escalationLevel: level - 1 },
          after: r,
        })
        done.push(r)
      }
      return done
    })
    escalated.push(...steps)
  }
  return { at: now.toISOString(), escalated }
}

/** Runs the ledger escalation every `minutes` in the server process; returns a function that stops it. */
export function startLedgerEscalationTimer(o: {
  db: Kysely<DB>
  settings: FlagSettings
  now: () => Date
  minutes: number
  actor: Actor
  log: { info: (msg: string) => void; error: (obj: unknown, msg: string) => void }
}): () => void {
  if (o.minutes <= 0) return () => {}
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    escalateOverdueLedgers(o.db, o.now(), o.settings, o.actor)
      .then((r) => {
        if (r.escalated.length)
          o.log.info(
            `escalated ${r.escalated.length} overdue ledger entr(ies): ${r.escalated.map((e) => `#${e.entryId} → level ${e.escalationLevel} (${e.toUnitCode})`).join(', ')}`,
          )
      })
      .catch((error: unknown) => o.log.error({ err: error }, 'ledger escalation failed'))
      .finally(() => {
        running = false
      })
  }, o.minutes * 60_000)
  timer.unref()
  return () => clearInterval(timer)
}
