// The staffing rule per level. Without a rule, a leaf cell needs exactly one grid chief and at least
// one grid member, and a cell with children exactly one grid chief (see cell_staffing in migrations).
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import * as rules from '../db/repositories/staffing-rules.repository.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'
import { notFound } from '../errors.js'

const toApi = (r: { level: number; chiefs_required: number; members_required: number }) => ({
  level: r.level,
  chiefsRequired: r.chiefs_required,
  membersRequired: r.members_required,
})

export async function staffingRules(db: Kysely<DB>) {
  return {
    rules: (await rules.listStaffingRules(db)).map(toApi),
    default: {
      leaf: { chiefsRequired: 1, membersRequired: 1 },
      withChildren: { chiefsRequired: 1, membersRequired: 0 },
    },
  }
}

export async function setStaffingRule(
  db: Kysely<DB>,
  actor: Actor,
  rule: { level: number; chiefsRequired: number; membersRequired: number },
) {
  return db.transaction().execute(async (tx) => {
    const row = await rules.upsertStaffingRule(tx, rule)
    await insertAudit(tx, { actor, action: 'set', entityType: 'staffing_rule', entityId: rule.level, after: row })
    return toApi(row)
  })
}

export async function removeStaffingRule(db: Kysely<DB>, actor: Actor, level: number) {
  return db.transaction().execute(async (tx) => {
    const row = await rules.deleteStaffingRule(tx, level)
    if (!row) throw notFound('staffing rule for level', level)
    await insertAudit(tx, { actor, action: 'delete', entityType: 'staffing_rule', entityId: level, before: row })
  })
}
