// Responsible units: townships (one per current level-2 cell, made by syncTownshipUnits) and county
// departments (made by an admin), with their head (一把手) and liaisons (联络员). A unit officer's units
// are those whose head or liaison is the account's person; other features ask through unitsOfPerson.
import type { Kysely, Transaction } from 'kysely'
import type { CreateUnitBody, PatchUnitBody, SyncUnitsResult, Unit, UnitRef } from '../../contract/units.js'
import type { DB } from '../../db/schema.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import {
  countUnits,
  existingPeople,
  findUnitByCode,
  insertUnit,
  lineCodesLedBy,
  liaisonsOf,
  listUnits,
  replaceLiaisons,
  townshipCellsWithoutUnit,
  unitCodesTaken,
  unitIdsOfPerson,
  updateUnit,
  type UnitRow,
} from './repository.js'

type Executor = Kysely<DB> | Transaction<DB>

/** The units (ids) whose head or a liaison is this person: a unit officer's own units. */
export function unitsOfPerson(db: Executor, personId: number): Promise<number[]> {
  return unitIdsOfPerson(db, personId)
}

/** Codes of the lines of work whose lead unit is one of these units (what their officers review). */
export async function linesLedBy(db: Executor, unitIds: number[]): Promise<string[]> {
  return (await lineCodesLedBy(db, unitIds)).map((l) => l.code)
}

/** A unit as named in other resources. */
export const unitRef = (u: Pick<UnitRow, 'code' | 'name' | 'name_en' | 'kind'>): UnitRef => ({
  code: u.code,
  name: u.name,
  nameEn: u.name_en,
  kind: u.kind,
})

/** Unit rows → the API's units, with liaisons and the lines each leads. */
export async function unitsOf(db: Executor, rows: UnitRow[]): Promise<Unit[]> {
  const ids = rows.map((r) => r.id)
  const liaisons = await liaisonsOf(db, ids)
  const leads = await lineCodesLedBy(db, ids)
  return rows.map((r) => ({
    ...unitRef(r),
    cellCode: r.cell_code,
    head: r.head_person_id === null ? null : { id: r.head_person_id, name: r.head_name ?? '' },
    liaisons: liaisons.filter((l) => l.unit_id === r.id).map((l) => ({ id: l.id, name: l.name })),
    leads: leads.filter((l) => l.lead_unit_id === r.id).map((l) => l.code),
    sortOrder: r.sort_order,
  }))
}

export async function units(db: Executor): Promise<Unit[]> {
  return unitsOf(db, await listUnits(db))
}

export async function myUnits(db: Executor, personId: number | null): Promise<Unit[]> {
  if (personId === null) return []
  return unitsOf(db, await listUnits(db, await unitsOfPerson(db, personId)))
}

/** The unit with this code, or 404 naming it. */
export async function unitByCode(db: Executor, code: string): Promise<UnitRow> {
  const unit = await findUnitByCode(db, code)
  if (!unit) throw notFound('unit', code)
  return unit
}

/** Every person id given must exist (400 naming those that do not). */
export async function assertPeopleExist(db: Executor, ids: (number | null | undefined)[], field: string) {
  const wanted = [...new Set(ids.filter((id): id is number => typeof id === 'number'))]
  const found = await existingPeople(db, wanted)
  const missing = wanted.filter((id) => !found.has(id))
  if (missing.length > 0)
    throw badRequest('unknown_person', `${field}: no person with id ${missing.join(', ')}`, { field, missing })
}

/** One township unit per current level-2 cell that has none (code and name from the cell). Idempotent. */
export async function syncTownshipUnits(
  db: Kysely<DB>,
  actor: Actor,
  now: Date = new Date(),
): Promise<SyncUnitsResult> {
  return db.transaction().execute(async (trx) => {
    const cells = await townshipCellsWithoutUnit(trx)
    const taken = await unitCodesTaken(
      trx,
      cells.map((c) => c.code),
    )
    const created: string[] = []
    for (const cell of cells) {
      // a department already holds this code: leave the township for an admin to sort out
      if (taken.has(cell.code) || !/^[A-Za-z0-9_-]{1,64}$/.test(cell.code)) continue
      const { id } = await insertUnit(
        trx,
        { code: cell.code, name: cell.name, name_en: cell.name_en, kind: 'township', cell_id: cell.id },
        { created_at: now },
      )
      await insertAudit(trx, {
        actor,
        action: 'unit.create',
        entityType: 'unit',
        entityId: id,
        after: { code: cell.code, name: cell.name, kind: 'township', cellCode: cell.code },
      })
      created.push(cell.code)
    }
    return { created, townships: await countUnits(trx, 'township') }
  })
}

/** A county department (townships come from the grid). */
export async function createUnit(db: Kysely<DB>, actor: Actor, body: CreateUnitBody, now: Date): Promise<Unit> {
  return db.transaction().execute(async (trx) => {
    if (await findUnitByCode(trx, body.code))
      throw conflict('unit_exists', `a unit with code ${JSON.stringify(body.code)} already exists`)
    await assertPeopleExist(trx, [body.headPersonId], 'headPersonId')
    await assertPeopleExist(trx, body.liaisonPersonIds ?? [], 'liaisonPersonIds')
    const { id } = await insertUnit(
      trx,
      { code: body.code, name: body.name, name_en: body.nameEn ?? null, kind: 'department', cell_id: null },
      {
        head_person_id: body.headPersonId ?? null,
        ...(body.sortOrder !== undefined ? { sort_order: body.sortOrder } : {}),
        created_at: now,
      },
    )
    await replaceLiaisons(trx, id, body.liaisonPersonIds ?? [])
    const [unit] = await unitsOf(trx, await listUnits(trx, [id]))
    await insertAudit(trx, { actor, action: 'unit.create', entityType: 'unit', entityId: id, after: unit })
    return unit!
  })
}

export async function patchUnit(db: Kysely<DB>, actor: Actor, code: string, body: PatchUnitBody): Promise<Unit> {
  return db.transaction().execute(async (trx) => {
    const row = await unitByCode(trx, code)
    await assertPeopleExist(trx, [body.headPersonId], 'headPersonId')
    await assertPeopleExist(trx, body.liaisonPersonIds ?? [], 'liaisonPersonIds')
    const [before] = await unitsOf(trx, [row])
    await updateUnit(trx, row.id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.nameEn !== undefined ? { name_en: body.nameEn } : {}),
      ...(body.headPersonId !== undefined ? { head_person_id: body.headPersonId } : {}),
      ...(body.sortOrder !== undefined ? { sort_order: body.sortOrder } : {}),
    })
    if (body.liaisonPersonIds !== undefined) await replaceLiaisons(trx, row.id, body.liaisonPersonIds)
    const [after] = await unitsOf(trx, await listUnits(trx, [row.id]))
    await insertAudit(trx, { actor, action: 'unit.update', entityType: 'unit', entityId: row.id, before, after })
    return after!
  })
}
