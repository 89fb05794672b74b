// A small world for the ledger tests, inserted directly (the plans and measures routes are another
// feature's): three department units — A and B carry a measure, LEAD leads the air line — their officers
// (unit_officer accounts of their liaisons and heads), an indicator with bounds, the 2026 air plan with
// one measure and a milestone, and ledger entries per unit and month due on the working calendar.
import type { Kysely } from 'kysely'
import type { DB } from '../../server/src/db/schema.js'
import { ledgerDueAt } from '../../server/src/features/ledgers/deadline.js'
import { loadCalendar } from '../../server/src/features/flags/service-calendar.js'
import { flagSettings } from '../../server/src/features/flags/settings.js'
import { signedIn, testApp, type TestApp } from './app.js'
import { factories } from './factories.js'

export type Headers = Record<string, string>
export interface Officer {
  headers: Headers
  userId: number
  login: string
}

export interface LoopWorld {
  units: { A: number; B: number; LEAD: number }
  measureId: number
  /** an officer (liaison) of A, of B, of the lead unit; `dual` is a liaison of both A and LEAD */
  officerA: Officer
  officerA2: Officer
  officerB: Officer
  reviewer: Officer
  reviewer2: Officer
  dual: Officer
  headA: Officer
  admin: Officer
  viewer: Officer
  /** the entries' ids by unit and month ('YYYY-MM') */
  entry: (unit: 'A' | 'B', month: string) => number
}

export const CREATED_AT = new Date('2026-01-05T00:00:00Z')

export async function loopWorld(t: TestApp, months: string[]): Promise<LoopWorld> {
  const db = t.database.db
  const f = factories(db)
  const person = async (name: string) => (await f.person(name)).id
  const [headA, liaisonA, liaisonA2, liaisonB, liaisonLead, liaisonLead2, dualPerson, owner] = await Promise.all(
    ['甲局长', '甲联络员', '甲联络员二', '乙联络员', '牵头联络员', '牵头联络员二', '两头联络员', '措施负责人'].map(
      person,
    ),
  )
  const unit = async (code: string, name: string, head: number | null) =>
    (
      await db
        .insertInto('units')
        .values({
          code,
          name,
          name_en: `Unit ${code}`,
          kind: 'department',
          head_person_id: head,
          created_at: CREATED_AT,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const A = await unit('dept_a', '甲局', headA!)
  const B = await unit('dept_b', '乙局', null)
  const LEAD = await unit('lead', '牵头局', null)
  await db
    .insertInto('unit_liaisons')
    .values([
      { unit_id: A, person_id: liaisonA! },
      { unit_id: A, person_id: liaisonA2! },
      { unit_id: A, person_id: dualPerson! },
      { unit_id: B, person_id: liaisonB! },
      { unit_id: LEAD, person_id: liaisonLead! },
      { unit_id: LEAD, person_id: liaisonLead2! },
      { unit_id: LEAD, person_id: dualPerson! },
    ])
    .execute()
  await db.insertInto('work_lines').values({ code: 'air', name: '大气', name_en: 'Air', lead_unit_id: LEAD }).execute()
  await db
    .insertInto('indicators')
    .values({
      code: 'sites_checked',
      name: '检查点位',
      name_en: 'Sites checked',
      unit_of_measure: '个',
      direction: 'higher_is_better',
      min_value: 0,
      max_value: 100,
    })
    .execute()
  const plan = await db
    .insertInto('plans')
    .values({ line_code: 'air', year: 2026, title: '2026年大气污染防治', created_at: CREATED_AT })
    .returning('id')
    .executeTakeFirstOrThrow()
  const measure = await db
    .insertInto('measures')
    .values({
      plan_id: plan.id,
      code: 'AIR-1',
      title: '扬尘点位检查',
      title_en: 'Dust site checks',
      lead_unit_id: LEAD,
      indicator_code: 'sites_checked',
      target_value: 120,
      responsible_person_id: owner!,
      created_at: CREATED_AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('measure_units')
    .values([
      { measure_id: measure.id, unit_id: A },
      { measure_id: measure.id, unit_id: B },
    ])
    .execute()
  await db
    .insertInto('measure_milestones')
    .values({ measure_id: measure.id, month: 10, description: '检查10个点位', planned_value: 10 })
    .execute()
  const ids = new Map<string, number>()
  for (const month of months) {
    for (const [key, unitId] of [
      ['A', A],
      ['B', B],
    ] as const) {
      ids.set(`${key} ${month}`, await insertEntry(db, t, measure.id, unitId, month))
    }
  }
  const officer = async (personId: number | null, role: 'unit_officer' | 'admin' | 'viewer' = 'unit_officer') => {
    const s = await signedIn(t, role, personId)
    return { headers: s.headers, userId: s.userId, login: s.login }
  }
  return {
    units: { A, B, LEAD },
    measureId: measure.id,
    officerA: await officer(liaisonA!),
    officerA2: await officer(liaisonA2!),
    officerB: await officer(liaisonB!),
    reviewer: await officer(liaisonLead!),
    reviewer2: await officer(liaisonLead2!),
    dual: await officer(dualPerson!),
    headA: await officer(headA!),
    admin: await officer(null, 'admin'),
    viewer: await officer(null, 'viewer'),
    entry: (u, month) => {
      const id = ids.get(`${u} ${month}`)
      if (id === undefined) throw new Error(`no entry for ${u} ${month}`)
      return id
    },
  }
}

/** An entry as the measure service creates it: milestone of its month, due on the working calendar. */
export async function insertEntry(db: Kysely<DB>, t: TestApp, measureId: number, unitId: number, month: string) {
  const cal = await loadCalendar(db, flagSettings(t.config))
  const milestone = await db
    .selectFrom('measure_milestones')
    .select('description')
    .where('measure_id', '=', measureId)
    .where('month', '=', Number(month.slice(5)))
    .executeTakeFirst()
  const row = await db
    .insertInto('ledger_entries')
    .values({
      measure_id: measureId,
      unit_id: unitId,
      month: `${month}-01`,
      milestone: milestone?.description ?? '',
      due_at: ledgerDueAt(month, t.config.ledgerDueWorkingDay, cal),
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('ledger_entry_versions')
    .values({
      entry_id: row.id,
      version: 1,
      action: 'create',
      at: CREATED_AT,
      actor_login: 'system',
      state: 'draft',
      progress: 'not_started',
      done_text: '',
    })
    .execute()
  return row.id
}

/** The app for ledger tests: long sessions, no sign-in throttling, small evidence limits (4 KiB, 3 files). */
export async function ledgerApp(env: Record<string, string> = {}) {
  return testApp({
    env: {
      SESSION_TTL_HOURS: '8760',
      SIGNIN_RATE_PER_MINUTE: '100000',
      LEDGER_EVIDENCE_MAX_BYTES: '4096',
      LEDGER_EVIDENCE_MAX_COUNT: '3',
      ...env,
    },
  })
}

/** Rows in every table a ledger request writes to. */
export async function ledgerCounts(db: Kysely<DB>) {
  const n = async (table: 'ledger_entry_versions' | 'ledger_evidence') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const audit = Number(
    (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('entity_type', '=', 'ledger_entry')
        .executeTakeFirstOrThrow()
    ).n,
  )
  const entries = await db
    .selectFrom('ledger_entries')
    .select(['id', 'version', 'state', 'done_value', 'done_text', 'progress', 'escalation_level'])
    .orderBy('id')
    .execute()
  return { versions: await n('ledger_entry_versions'), evidence: await n('ledger_evidence'), audit, entries }
}

/** A Shanghai wall-clock instant. */
export const sh = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`)
