import type { Kysely } from 'kysely'
import type { DB, Role } from '../db/schema.js'
import * as people from '../db/repositories/people.repository.js'
import { cellBbox, findCell } from '../db/repositories/cells.repository.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'
import { badRequest, conflict, notFound } from '../errors.js'
import { personToApi } from './cells.service.js'

type PersonRow = { id: number; name: string; name_en: string | null; phone: string | null; organisation: string | null }
const personApi = (p: PersonRow, contacts: boolean) => ({
  id: p.id,
  name: p.name,
  nameEn: p.name_en,
  phone: contacts ? p.phone : null,
  organisation: p.organisation,
})

export async function listPeople(
  db: Kysely<DB>,
  filter: { q?: string; limit: number; offset: number },
  contacts: boolean,
) {
  return (await people.listPeople(db, filter)).map((p) => personApi(p, contacts))
}

export async function personDetail(db: Kysely<DB>, id: number, at: string, contacts: boolean) {
  const person = await people.findPerson(db, id)
  if (!person) throw notFound('person', id)
  const [current, all] = await Promise.all([
    people.responsibilitiesOfPerson(db, id, at),
    people.responsibilitiesOfPerson(db, id, null),
  ])
  const cells = current.map((r) => ({
    ...personToApi(r, contacts),
    cellId: r.cell_id,
    cellCode: r.cell_code,
    cellName: r.cell_name,
    cellLevel: r.cell_level,
  }))
  return {
    ...personApi(person, contacts),
    cells,
    bbox: await cellBbox(db, [...new Set(current.map((r) => r.cell_id))]),
    responsibilities: all.map((r) => ({ ...personToApi(r, contacts), cellCode: r.cell_code, cellName: r.cell_name })),
  }
}

export async function createPerson(
  db: Kysely<DB>,
  actor: Actor,
  input: { name: string; nameEn?: string | null; phone?: string | null; organisation?: string | null },
) {
  return db.transaction().execute(async (tx) => {
    const row = await people.insertPerson(tx, input)
    await insertAudit(tx, { actor, action: 'create', entityType: 'person', entityId: row.id, after: row })
    return personApi(row, true)
  })
}

export async function assignResponsibility(
  db: Kysely<DB>,
  actor: Actor,
  input: { personId: number; cellCode: string; role: Role; startsOn: string; endsOn?: string | null; reason?: string },
) {
  if (input.endsOn && input.endsOn < input.startsOn) {
    throw badRequest(
      'invalid_period',
      `body parameter "endsOn" (${input.endsOn}) is before "startsOn" (${input.startsOn})`,
    )
  }
  return db.transaction().execute(async (tx) => {
    const person = await people.findPerson(tx, input.personId)
    if (!person) throw notFound('person', input.personId)
    const cell = await findCell(tx, { code: input.cellCode })
    if (!cell || cell.retired_at) throw notFound('cell', input.cellCode)
    const row = await people.insertResponsibility(tx, {
      personId: person.id,
      cellId: cell.id,
      role: input.role,
      startsOn: input.startsOn,
      endsOn: input.endsOn ?? null,
    })
    await insertAudit(tx, {
      actor,
      action: 'assign',
      entityType: 'responsibility',
      entityId: row.id,
      reason: input.reason,
      after: { ...row, cellCode: cell.code },
    })
    return {
      id: row.id,
      personId: row.person_id,
      cellCode: cell.code,
      role: row.role,
      startsOn: row.starts_on,
      endsOn: row.ends_on,
    }
  })
}

export async function endResponsibility(db: Kysely<DB>, actor: Actor, id: number, endsOn: string, reason?: string) {
  return db.transaction().execute(async (tx) => {
    const before = await people.findResponsibility(tx, id)
    if (!before) throw notFound('responsibility', id)
    if (before.ends_on !== null && before.ends_on <= endsOn) {
      throw conflict('already_ended', `responsibility ${id} already ends on ${before.ends_on}`)
    }
    if (endsOn < before.starts_on)
      throw badRequest('invalid_period', `body parameter "endsOn" (${endsOn}) is before the start ${before.starts_on}`)
    const after = await people.endResponsibility(tx, id, endsOn)
    await insertAudit(tx, { actor, action: 'end', entityType: 'responsibility', entityId: id, reason, before, after })
    return {
      id: after.id,
      personId: after.person_id,
      role: after.role,
      startsOn: after.starts_on,
      endsOn: after.ends_on,
    }
  })
}
