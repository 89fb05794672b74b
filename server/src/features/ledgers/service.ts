// Changing a ledger entry: an officer of its unit saves it (any number of times), adds evidence and
// submits it; a reviewer of its line (an officer of the line's lead unit, or an admin) accepts it —
// final — or returns it with a reason. Each change is one transaction: the entry row is locked, its
// version checked, a ledger_entry_versions row and an audit row written with it.
import type { Kysely, Transaction } from 'kysely'
import type { SaveLedgerBody } from '../../contract/ledgers.js'
import type { DB } from '../../db/schema.js'
import { insertAudit } from '../../db/repositories/audit.repository.js'
import { badRequest, conflict, forbidden, notFound } from '../../errors.js'
import { notifyLedgerReturned } from '../notifications/service.js'
import type { NotifySettings } from '../notifications/senders.js'
import { checkEvidence, type EvidenceLimits, type EvidenceUpload } from './evidence.js'
import * as repo from './repository.js'
import type { LedgerViewer } from './service-read.js'

type Action = 'save' | 'submit' | 'accept' | 'return'

interface Step {
  action: Action | 'add_evidence'
  change: repo.EntryChange
  reason?: string | null
  /** runs after the entry is updated, with its new version (evidence is stored at it) */
  after?: (tx: Transaction<DB>, version: number) => Promise<unknown>
  details?: unknown
}

async function changeEntry(
  db: Kysely<DB>,
  id: number,
  version: number,
  v: LedgerViewer,
  now: Date,
  decide: (entry: repo.LockedEntry, tx: Transaction<DB>) => Promise<Step> | Step,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const entry = await repo.lockEntry(tx, id)
    if (!entry) throw notFound('ledger entry', id)
    const step = await decide(entry, tx)
    if (entry.version !== version) {
      throw conflict(
        'version_conflict',
        `entry ${id} has changed since it was read (version ${version}; it is now at version ${entry.version}); read it again`,
        { currentVersion: entry.version },
      )
    }
    const after = await repo.updateEntry(tx, id, step.change, now)
    const extra = step.after ? await step.after(tx, after.version) : undefined
    await repo.insertVersion(tx, {
      entryId: id,
      version: after.version,
      action: step.action === 'add_evidence' ? 'save' : step.action,
      at: now,
      actorId: v.userId,
      actorLogin: v.login,
      state: after.state,
      progress: after.progress,
      doneValue: after.done_value === null ? null : Number(after.done_value),
      doneText: after.done_text,
      reason: step.reason ?? null,
    })
    await insertAudit(tx, {
      actor: { id: v.userId, login: v.login },
      action: step.action,
      entityType: 'ledger_entry',
      entityId: id,
      reason: step.reason ?? null,
      before: {
        version: entry.version,
        state: entry.state,
        progress: entry.progress,
        doneValue: entry.done_value === null ? null : Number(entry.done_value),
        doneText: entry.done_text,
      },
      after: {
        version: after.version,
        state: after.state,
        progress: after.progress,
        doneValue: after.done_value === null ? null : Number(after.done_value),
        doneText: after.done_text,
        ...(extra ? { evidenceIds: extra } : {}),
      },
    })
    return after.version
  })
}

/** Refuses anyone but an officer of the entry's unit, and an entry that is not (or no longer) editable. */
function assertEditable(entry: repo.LockedEntry, v: LedgerViewer, what: string) {
  if (v.role !== 'unit_officer' || !v.unitIds.includes(entry.unit_id))
    throw forbidden(`only an officer of the entry's unit may ${what} it`)
  if (entry.state === 'accepted') throw conflict('entry_accepted', `entry ${entry.id} was accepted; it cannot change`)
  if (entry.state === 'submitted')
    throw conflict(
      'entry_submitted',
      `entry ${entry.id} is submitted and awaits review; it can change only after it is returned`,
    )
}

function assertReviewable(entry: repo.LockedEntry, v: LedgerViewer) {
  const reviewer = v.role === 'admin' || (v.role === 'unit_officer' && v.unitIds.includes(entry.line_lead_unit_id))
  if (!reviewer) throw forbidden("only an officer of the line's lead unit (or an admin) reviews its ledgers")
  if (entry.state === 'submitted' && entry.submitted_by === v.userId)
    throw forbidden(`four eyes: you submitted entry ${entry.id}; another reviewer must review it`)
  // a lead unit does not judge its own work: the county office (an admin) reviews its entries
  if (v.role !== 'admin' && v.unitIds.includes(entry.unit_id))
    throw forbidden(
      `entry ${entry.id} is your own unit's; a lead unit's own entries are reviewed by the county office (an admin)`,
    )
  if (entry.state === 'accepted') throw conflict('entry_accepted', `entry ${entry.id} was accepted; it cannot change`)
  if (entry.state !== 'submitted')
    throw conflict('entry_not_submitted', `entry ${entry.id} is ${entry.state}; only a submitted entry is reviewed`)
}

function checkBounds(entry: repo.LockedEntry, value: number) {
  const min = entry.min_value === null ? null : Number(entry.min_value)
  const max = entry.max_value === null ? null : Number(entry.max_value)
  if (min !== null && value < min)
    throw badRequest(
      'value_out_of_bounds',
      `doneValue ${value} is below the minimum ${min} of indicator ${entry.indicator_code}`,
      { min, max, value },
    )
  if (max !== null && value > max)
    throw badRequest(
      'value_out_of_bounds',
      `doneValue ${value} is above the maximum ${max} of indicator ${entry.indicator_code}`,
      { min, max, value },
    )
}

export function saveEntry(db: Kysely<DB>, id: number, body: SaveLedgerBody, v: LedgerViewer, now: Date) {
  return changeEntry(db, id, body.version, v, now, (entry) => {
    assertEditable(entry, v, 'fill in')
    if (body.doneValue !== undefined && body.doneValue !== null) checkBounds(entry, body.doneValue)
    const change: repo.EntryChange = {}
    if (body.doneValue !== undefined) change.done_value = body.doneValue
    if (body.doneText !== undefined) change.done_text = body.doneText
    if (body.progress !== undefined) change.progress = body.progress
    return { action: 'save', change }
  })
}

export function submitEntry(db: Kysely<DB>, id: number, version: number, v: LedgerViewer, now: Date) {
  return changeEntry(db, id, version, v, now, (entry) => {
    assertEditable(entry, v, 'submit')
    return {
      action: 'submit',
      change: { state: 'submitted', submitted_at: now, submitted_by: v.userId, return_reason: null },
    }
  })
}

export function acceptEntry(db: Kysely<DB>, id: number, version: number, v: LedgerViewer, now: Date, comment?: string) {
  return changeEntry(db, id, version, v, now, (entry) => {
    assertReviewable(entry, v)
    return {
      action: 'accept',
      change: { state: 'accepted', reviewed_at: now, reviewed_by: v.userId },
      reason: comment?.trim() ? comment : null,
    }
  })
}

/** Returns the entry's new version (the reviewer is answered with the entry as they returned it). */
export function returnEntry(
  db: Kysely<DB>,
  id: number,
  version: number,
  reason: string,
  v: LedgerViewer,
  now: Date,
  notify: NotifySettings,
) {
  return changeEntry(db, id, version, v, now, (entry) => {
    assertReviewable(entry, v)
    return {
      action: 'return',
      change: { state: 'returned', reviewed_at: now, reviewed_by: v.userId, return_reason: reason },
      reason,
      after: (tx, newVersion) =>
        notifyLedgerReturned(tx, notify, { entryId: id, version: newVersion, reason, at: now }),
    }
  })
}

/** Evidence files added to a draft or returned entry: all checked first, stored at the entry's new version. */
export function addEvidence(
  db: Kysely<DB>,
  id: number,
  version: number,
  files: EvidenceUpload[],
  limits: EvidenceLimits,
  v: LedgerViewer,
  now: Date,
) {
  return changeEntry(db, id, version, v, now, async (entry, tx) => {
    assertEditable(entry, v, 'add evidence to')
    // counted under the entry's lock, so two uploads at once cannot pass the limit together
    const checked = checkEvidence(files, await repo.evidenceCount(tx, id), limits)
    return {
      action: 'add_evidence',
      change: {},
      after: (tx, newVersion) =>
        repo.insertEvidence(
          tx,
          checked.map((f) => ({ ...f, entryId: id, version: newVersion, uploadedBy: v.userId, at: now })),
        ),
    }
  })
}
