// Flag categories (with their limits) and the working calendar's exceptions: holidays and make-up days.
import type { Kysely, Transaction } from 'kysely'
import type { DB, LimitUnit } from '../../db/schema.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { badRequest, notFound } from '../../errors.js'
import type { WorkingCalendar } from '../../services/working-time.js'
import * as repo from './repository-categories.js'
import type { FlagSettings } from './settings.js'

type Executor = Kysely<DB> | Transaction<DB>

export async function loadCalendar(db: Executor, s: FlagSettings): Promise<WorkingCalendar> {
  const holidays = await repo.listHolidays(db)
  return {
    timeZone: s.timeZone,
    periods: s.workingHours,
    weekdays: new Set(s.workingDays),
    exceptions: new Map(holidays.map((h) => [h.day, h.working])),
  }
}

export function categoryToApi(c: repo.CategoryRow) {
  return {
    code: c.code,
    name: { zh: c.name_zh, en: c.name_en },
    ackLimit: { amount: c.ack_limit, unit: c.ack_unit },
    completeLimit: { amount: c.complete_limit, unit: c.complete_unit },
    sortOrder: c.sort_order,
    active: c.active,
  }
}

export async function categories(db: Kysely<DB>) {
  return (await repo.listCategories(db)).map(categoryToApi)
}

export interface CategoryInput {
  nameZh: string
  nameEn: string
  ackLimit: { amount: number; unit: LimitUnit }
  completeLimit: { amount: number; unit: LimitUnit }
  sortOrder?: number
  active?: boolean
}

/** Adds or changes a category; new limits apply to flags dispatched from now on. */
export async function putCategory(db: Kysely<DB>, actor: Actor, code: string, input: CategoryInput) {
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(code))
    throw badRequest(
      'invalid_category_code',
      'a category code is lower-case letters, digits and "_", starting with a letter',
    )
  return db.transaction().execute(async (tx) => {
    const before = await repo.findCategory(tx, code)
    const row = await repo.upsertCategory(tx, {
      code,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      ack_limit: input.ackLimit.amount,
      ack_unit: input.ackLimit.unit,
      complete_limit: input.completeLimit.amount,
      complete_unit: input.completeLimit.unit,
      sort_order: input.sortOrder ?? before?.sort_order,
      active: input.active ?? true,
    })
    await insertAudit(tx, {
      actor,
      action: before ? 'update' : 'create',
      entityType: 'flag_category',
      entityId: code,
      before: before ?? undefined,
      after: row,
    })
    return categoryToApi(row)
  })
}

export async function holidays(db: Kysely<DB>) {
  return repo.listHolidays(db)
}

export async function putHoliday(
  db: Kysely<DB>,
  actor: Actor,
  day: string,
  input: { name?: string; working?: boolean },
) {
  const value = { day, name: input.name ?? '', working: input.working ?? false }
  await db.transaction().execute(async (tx) => {
    await repo.upsertHoliday(tx, value)
    await insertAudit(tx, { actor, action: 'put', entityType: 'holiday', entityId: day, after: value })
  })
  return value
}

export async function removeHoliday(db: Kysely<DB>, actor: Actor, day: string) {
  await db.transaction().execute(async (tx) => {
    const before = await repo.deleteHoliday(tx, day)
    if (!before) throw notFound('holiday', day)
    await insertAudit(tx, { actor, action: 'delete', entityType: 'holiday', entityId: day, before })
  })
}
