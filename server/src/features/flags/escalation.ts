// Escalation of overdue flags. A flag not acknowledged by its acknowledgement deadline, or not
// completed (feedback given) by its completion deadline, goes one level up: to the parent of the
// accountable cell of the cell currently responsible for it (the dispatched cell, or the cell of an
// earlier escalation) — and, should that parent be vacant, on to whoever answers for it by the
// fallback rule. Once per missed limit, so at most twice. The flag shows it (escalationLevel,
// escalatedTo, the overdue marks) and its timeline records it.
//
// Runs on demand (POST /api/flags/escalate, `npm run cli -- flags escalate`) and every few minutes in
// the server process (FLAG_ESCALATION_INTERVAL_MINUTES). Escalation does not bump the flag's version:
// it changes who watches the flag, not its workflow state, so a handler's pending action stays valid.
import type { Kysely } from 'kysely'
import type { EscalationReport } from '../../contract/flags.js'
import type { DB } from '../../db/schema.js'
import { cellsWithStaffing } from '../../db/repositories/accountability.repository.js'
import { responsibilitiesOfCells } from '../../db/repositories/people.repository.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { isoDay } from '../../services/dates.js'
import { notifyFlagAssigned } from '../notifications/service.js'
import * as repo from './repository.js'
import { escalationCandidates } from './repository-figures.js'
import type { FlagSettings } from './settings.js'

export interface EscalationResult {
  flagId: number
  limit: 'ack' | 'complete'
  fromCellCode: string | null
  toCellCode: string | null
  escalationLevel: number
  /** the responsible cell had no parent: nobody is higher */
  atTop: boolean
}

export async function escalateOverdue(
  db: Kysely<DB>,
  s: FlagSettings,
  now: Date,
  actor: Actor,
): Promise<EscalationReport> {
  // the day of responsibilities, as everywhere else in the app (see service.ts routeAt)
  const day = isoDay(now, s.timeZone)
  const escalated: EscalationResult[] = []
  for (const candidate of await escalationCandidates(db, now)) {
    const result = await db.transaction().execute(async (tx) => {
      const flag = await repo.lockFlag(tx, candidate.id)
      // checked again under the lock: another run or a transition may have got there first
      const still =
        flag &&
        (candidate.limit === 'ack'
          ? flag.state === 'dispatched' && flag.ack_due_at! < now && !flag.ack_escalated_at
          : (flag.state === 'dispatched' || flag.state === 'in_progress') &&
            flag.complete_due_at! < now &&
            !flag.complete_escalated_at)
      if (!flag || !still) return null
      const fromId = flag.escalated_to_cell_id ?? flag.accountable_cell_id!
      const [from] = await cellsWithStaffing(tx, [fromId], day)
      const accountableId = from?.accountable_cell_id ?? fromId
      const [accountable] = await cellsWithStaffing(tx, [accountableId], day)
      const parentId = accountable?.parent_id ?? null
      let toId = accountableId
      if (parentId !== null) {
        const [parent] = await cellsWithStaffing(tx, [parentId], day)
        toId = parent?.accountable_cell_id ?? parentId
      }
      const [to] = toId === accountableId && accountable ? [accountable] : await cellsWithStaffing(tx, [toId], day)
      const level = flag.escalation_level + 1
      await repo.updateFlag(tx, flag.id, null, now, {
        ...(candidate.limit === 'ack' ? { ack_escalated_at: now } : { complete_escalated_at: now }),
        escalation_level: level,
        escalated_to_cell_id: toId,
      })
      const r: EscalationResult = {
        flagId: flag.id,
        limit: candidate.limit,
        fromCellCode: from?.code ?? null,
        toCellCode: to?.code ?? null,
        escalationLevel: level,
        atTop: parentId === null,
      }
      const dueAt = (candidate.limit === 'ack' ? flag.ack_due_at : flag.complete_due_at)!.toISOString()
      await repo.insertEvent(tx, {
        flagId: flag.id,
        at: now,
        actor,
        action: 'escalate',
        fromState: flag.state,
        toState: flag.state,
        comment: `${candidate.limit === 'ack' ? 'acknowledgement' : 'completion'} limit (${dueAt}) missed`,
        details: { ...r, dueAt },
      })
      const people = await responsibilitiesOfCells(tx, [toId], day)
      await repo.insertAssignees(
        tx,
        people.map((p) => ({
          flagId: flag.id,
          personId: p.person_id,
          cellId: toId,
          role: p.role,
          reason: 'escalation' as const,
          at: now,
        })),
      )
      await notifyFlagAssigned(tx, s.notify, {
        flagId: flag.id,
        personIds: people.map((p) => p.person_id),
        reason: 'escalation',
        limit: candidate.limit,
        at: now,
      })
      await insertAudit(tx, {
        actor,
        action: 'escalate',
        entityType: 'flag',
        entityId: flag.id,
        before: { escalationLevel: flag.escalation_level, escalatedToCellId: flag.escalated_to_cell_id },
        after: { ...r, dueAt },
      })
      return r
    })
    if (result) escalated.push(result)
  }
  return { at: now.toISOString(), escalated }
}

/** Runs the escalation every `minutes` in the server process; returns a function that stops it. */
export function startEscalationTimer(o: {
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
    escalateOverdue(o.db, o.settings, o.now(), o.actor)
      .then((r) => {
        if (r.escalated.length)
          o.log.info(
            `escalated ${r.escalated.length} overdue flag(s): ${r.escalated.map((e) => `#${e.flagId} ${e.limit} → ${e.toCellCode}`).join(', ')}`,
          )
      })
      .catch((error: unknown) => o.log.error({ err: error }, 'flag escalation failed'))
      .finally(() => {
        running = false
      })
  }, o.minutes * 60_000)
  timer.unref()
  return () => clearInterval(timer)
}
