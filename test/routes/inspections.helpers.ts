// The world of the inspection tests: assessment.helpers.ts's townships (T1 113.0–113.1 with its child
// T1A over the west half, T2 113.1–113.2, T3 113.2–113.3, all 35.0–35.1; township units T1–T3),
// inspectors, the handlers of T1A and T2 signed in, and a campaign over the units T1 and T2.
//
// Working time (the defaults): Monday to Friday, 08:30–12:00 and 14:00–18:00, Asia/Shanghai. The
// campaign's limits: general 3 working days, major 1 working day, serious 3 working hours.
import { sql } from 'kysely'
import { expect } from 'vitest'
import { signedIn, type TestApp } from '../helpers/app.js'
import { assessmentWorld, type AssessmentWorld } from './assessment.helpers.js'

export type Headers = Record<string, string>

export interface InspectionWorld {
  w: AssessmentWorld
  admin: Headers
  inspector: Headers
  inspectorB: Headers
  /** a handler (grid chief) of T1A and of T2 */
  handlerT1A: Headers
  handlerT2: Headers
  unitOfficerT2: Headers
  campaignId: number
}

export const CAMPAIGN = {
  code: 'AIR-2603',
  name: '三月扬尘专项督察',
  lineOfWork: '大气',
  startsOn: '2026-03-01',
  endsOn: '2026-03-31',
  category: 'dust',
  checklist: [
    { code: 'A1', label: '工地围挡' },
    { code: 'A2', label: '道路保洁' },
  ],
  limits: {
    general: { amount: 3, unit: 'working_days' },
    major: { amount: 1, unit: 'working_days' },
    serious: { amount: 3, unit: 'working_hours' },
  },
  units: ['T1', 'T2'],
}

export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

async function chiefOf(t: TestApp, code: string): Promise<number> {
  const { rows } = await sql<{ person_id: number }>`
    SELECT r.person_id FROM responsibilities r JOIN grid_cells c ON c.id = r.cell_id
    WHERE c.code = ${code} AND r.role = 'grid_chief' ORDER BY r.id LIMIT 1`.execute(t.database.db)
  return rows[0]!.person_id
}

export async function inspectionWorld(t: TestApp): Promise<InspectionWorld> {
  const w = await assessmentWorld(t)
  const admin = (await signedIn(t, 'admin')).headers
  const inspector = (await signedIn(t, 'inspector')).headers
  const inspectorB = (await signedIn(t, 'inspector')).headers
  const handlerT1A = (await signedIn(t, 'supervisor', await chiefOf(t, 'T1A'))).headers
  const handlerT2 = (await signedIn(t, 'supervisor', await chiefOf(t, 'T2'))).headers
  const officer = await t.database.db
    .insertInto('people')
    .values({ name: 'T2 liaison', phone: '13900000009', organisation: 'T2' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await t.database.db.insertInto('unit_liaisons').values({ unit_id: w.units.T2, person_id: officer.id }).execute()
  const unitOfficerT2 = (await signedIn(t, 'unit_officer', officer.id)).headers
  const res = await t.app.inject({ method: 'POST', url: '/api/inspections', headers: inspector, payload: CAMPAIGN })
  expect(res.statusCode, res.body).toBe(201)
  return {
    w,
    admin,
    inspector,
    inspectorB,
    handlerT1A,
    handlerT2,
    unitOfficerT2,
    campaignId: res.json().id,
  }
}

/** What a bad request must not have written. */
export async function rowCounts(t: TestApp) {
  const { rows } = await sql<Record<string, number>>`
    SELECT (SELECT count(*)::int FROM inspection_campaigns) AS campaigns,
           (SELECT count(*)::int FROM campaign_checklist_items) AS items,
           (SELECT count(*)::int FROM inspection_findings) AS findings,
           (SELECT count(*)::int FROM flags) AS flags,
           (SELECT count(*)::int FROM flag_events) AS events,
           (SELECT count(*)::int FROM flag_photos) AS photos,
           (SELECT count(*)::int FROM audit_log) AS audit`.execute(t.database.db)
  return rows[0]!
}
