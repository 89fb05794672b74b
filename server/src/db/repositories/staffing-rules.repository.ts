import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export function listStaffingRules(db: Executor) {
  return db.selectFrom('staffing_rules').selectAll().orderBy('level').execute()
}

export function upsertStaffingRule(
  db: Executor,
  rule: { level: number; chiefsRequired: number; membersRequired: number },
) {
  return db
    .insertInto('staffing_rules')
    .values({ level: rule.level, chiefs_required: rule.chiefsRequired, members_required: rule.membersRequired })
    .onConflict((oc) =>
      oc.column('level').doUpdateSet({ chiefs_required: rule.chiefsRequired, members_required: rule.membersRequired }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteStaffingRule(db: Executor, level: number) {
  return db.deleteFrom('staffing_rules').where('level', '=', level).returningAll().executeTakeFirst()
}
