// Access-matrix rows of the ledger routes, with their world. Line A is led by a department (no matrix
// requester is its officer, so only the admin reviews it); line B is led by the other township, so
// unitOfficerOther reviews it. Both have a measure carried by the own unit; line B's also by the other
// unit. Every signed-in role reads; another unit's officer — a reviewer of the line or not — is refused
// a draft and its evidence, while a reviewer of the line reads handed-in evidence; only the own unit's
// officer fills in; a review is the line's reviewer's (or the admin's), never by the submitter nor by an
// officer of the entry's own unit (the county office, an admin, reviews a lead unit's own entries).
import {
  A,
  ADMIN_ONLY,
  SIGNED_IN_READ,
  defineMatrix,
  type MatrixWorld,
  type Outcomes,
} from '../access-matrix.helpers.js'
import { signedIn } from '../../helpers/app.js'
import { CREATED_AT, insertEntry } from '../../helpers/loop-world.js'

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n')
/** an own-unit officer's write */
const OWN_OFFICER: Outcomes = [401, 401, 403, 403, 403, 403, A, 403, 403]
/** a review of line A: the line's reviewers (here only the admin; unitOfficerOther leads line B) */
const REVIEWER: Outcomes = [401, 401, 403, 403, 403, 403, 403, 403, A]
/** a review of the own unit's entry on line B: the other unit's officer reviews it, its submitter may not */
const REVIEWER_B: Outcomes = [401, 401, 403, 403, 403, 403, 403, A, A]
/** a review of the other unit's own entry on line B: only the admin (the county office) */
const COUNTY_ONLY: Outcomes = [401, 401, 403, 403, 403, 403, 403, 403, A]

export const matrix = defineMatrix({
  async setUp(w) {
    const db = w.t.database.db
    const person = await db
      .insertInto('people')
      .values({ name: '台账矩阵负责人', phone: '13900000001', organisation: 'Test' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const lead = await db
      .insertInto('units')
      .values({ code: 'ledger_lead', name: '台账牵头局', kind: 'department', created_at: CREATED_AT })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('work_lines')
      .values({ code: 'ledger_matrix', name: '台账矩阵', name_en: 'Ledger matrix', lead_unit_id: lead.id })
      .execute()
    await db
      .insertInto('indicators')
      .values({ code: 'ledger_matrix', name: '次数', name_en: 'Times', direction: 'higher_is_better', min_value: 0 })
      .execute()
    const plan = await db
      .insertInto('plans')
      .values({ line_code: 'ledger_matrix', year: 2026, title: '台账矩阵', created_at: CREATED_AT })
      .returning('id')
      .executeTakeFirstOrThrow()
    const measure = await db
      .insertInto('measures')
      .values({
        plan_id: plan.id,
        code: 'LM-1',
        title: '矩阵措施',
        lead_unit_id: lead.id,
        indicator_code: 'ledger_matrix',
        target_value: 1,
        responsible_person_id: person.id,
        created_at: CREATED_AT,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('measure_units').values({ measure_id: measure.id, unit_id: w.ownUnit.id }).execute()
    const [withEvidence, toFill, submitted] = [
      await insertEntry(db, w.t, measure.id, w.ownUnit.id, '2026-08'),
      await insertEntry(db, w.t, measure.id, w.ownUnit.id, '2026-09'),
      await insertEntry(db, w.t, measure.id, w.ownUnit.id, '2026-10'),
    ]
    const own = w.headers.unitOfficerOwn
    const evidence = await w.t.app.inject({
      method: 'POST',
      url: `/api/ledgers/${withEvidence}/evidence`,
      headers: own,
      payload: { version: 1, files: [{ data: PDF.toString('base64') }] },
    })
    if (evidence.statusCode !== 200) throw new Error(`evidence: ${evidence.body}`)
    await w.t.app.inject({
      method: 'POST',
      url: `/api/ledgers/${submitted}/submit`,
      headers: own,
      payload: { version: 1 },
    })
    return {
      withEvidence,
      toFill,
      submitted,
      evidenceId: evidence.json().evidence[0].id as number,
      ...(await lineLedByTheOtherUnit(w, person.id)),
    }
  },
  rows: (_w, e) => ({
    'GET /api/ledgers': [{ url: '/api/ledgers?month=2026-09', expect: SIGNED_IN_READ }],
    'GET /api/ledgers/review-queue': [
      { url: '/api/ledgers/review-queue', expect: [401, 401, 403, 403, 403, 403, A, A, A] },
    ],
    'GET /api/ledgers/summary': [{ url: '/api/ledgers/summary?month=2026-09', expect: SIGNED_IN_READ }],
    'POST /api/ledgers/escalate': [{ url: '/api/ledgers/escalate', expect: ADMIN_ONLY }],
    'GET /api/ledgers/:id': [
      // a draft: not to another unit's officer
      { url: `/api/ledgers/${e.toFill}`, expect: [401, 401, A, A, A, A, A, 403, A] },
      // handed in: everyone signed in
      { url: `/api/ledgers/${e.submitted}`, expect: SIGNED_IN_READ },
      // a draft of line B: not to the line's reviewer either
      { url: `/api/ledgers/${e.b.ownDraft}`, expect: [401, 401, A, A, A, A, A, 403, A] },
    ],
    'PUT /api/ledgers/:id': [
      { url: `/api/ledgers/${e.toFill}`, payload: { version: 1, doneText: '矩阵' }, expect: OWN_OFFICER },
    ],
    'POST /api/ledgers/:id/submit': [
      { url: `/api/ledgers/${e.toFill}/submit`, payload: { version: 1 }, expect: OWN_OFFICER },
    ],
    'POST /api/ledgers/:id/accept': [
      { url: `/api/ledgers/${e.submitted}/accept`, payload: { version: 2 }, expect: REVIEWER },
      { url: `/api/ledgers/${e.b.ownSubmitted}/accept`, payload: { version: 3 }, expect: REVIEWER_B },
      // the other unit leads line B: its officer may not review its own unit's entry (another submitted it)
      { url: `/api/ledgers/${e.b.otherByHead}/accept`, payload: { version: 2 }, expect: COUNTY_ONLY },
      // nor, four eyes, one they submitted themselves
      { url: `/api/ledgers/${e.b.otherBySelf}/accept`, payload: { version: 2 }, expect: COUNTY_ONLY },
    ],
    'POST /api/ledgers/:id/return': [
      { url: `/api/ledgers/${e.submitted}/return`, payload: { version: 2, reason: '矩阵' }, expect: REVIEWER },
      { url: `/api/ledgers/${e.b.ownToReturn}/return`, payload: { version: 2, reason: '矩阵' }, expect: REVIEWER_B },
      { url: `/api/ledgers/${e.b.otherByHead}/return`, payload: { version: 2, reason: '矩阵' }, expect: COUNTY_ONLY },
    ],
    'POST /api/ledgers/:id/evidence': [
      {
        url: `/api/ledgers/${e.withEvidence}/evidence`,
        payload: { version: 2, files: [{ data: PDF.toString('base64') }] },
        expect: OWN_OFFICER,
      },
    ],
    'GET /api/ledgers/:id/evidence/:evidenceId': [
      { url: `/api/ledgers/${e.withEvidence}/evidence/${e.evidenceId}`, expect: [401, 401, A, A, A, A, A, 403, A] },
      // a draft of line B: not even to the line's reviewer
      {
        url: `/api/ledgers/${e.b.ownDraft}/evidence/${e.b.draftEvidenceId}`,
        expect: [401, 401, A, A, A, A, A, 403, A],
      },
      // handed in: the line's reviewer judges it by its evidence
      { url: `/api/ledgers/${e.b.ownSubmitted}/evidence/${e.b.submittedEvidenceId}`, expect: SIGNED_IN_READ },
    ],
  }),
})

/**
 * Line B, led by the other township unit: a measure carried by both units, and entries of it — the own
 * unit's draft with evidence, one submitted with evidence, one submitted to return; the other unit's
 * entries submitted by its head and by unitOfficerOther.
 */
async function lineLedByTheOtherUnit(w: MatrixWorld, responsibleId: number) {
  const db = w.t.database.db
  await db
    .insertInto('work_lines')
    .values({ code: 'ledger_matrix_b', name: '台账矩阵乙', name_en: 'Ledger matrix B', lead_unit_id: w.otherUnit.id })
    .execute()
  const plan = await db
    .insertInto('plans')
    .values({ line_code: 'ledger_matrix_b', year: 2026, title: '台账矩阵乙', created_at: CREATED_AT })
    .returning('id')
    .executeTakeFirstOrThrow()
  const measure = await db
    .insertInto('measures')
    .values({
      plan_id: plan.id,
      code: 'LM-B',
      title: '矩阵措施乙',
      lead_unit_id: w.otherUnit.id,
      indicator_code: 'ledger_matrix',
      target_value: 1,
      responsible_person_id: responsibleId,
      created_at: CREATED_AT,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('measure_units')
    .values([
      { measure_id: measure.id, unit_id: w.ownUnit.id },
      { measure_id: measure.id, unit_id: w.otherUnit.id },
    ])
    .execute()
  const head = await db
    .insertInto('people')
    .values({ name: '乙单位一把手', phone: '13900000002', organisation: 'Test' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.updateTable('units').set({ head_person_id: head.id }).where('id', '=', w.otherUnit.id).execute()
  const otherHead = (await signedIn(w.t, 'unit_officer', head.id)).headers
  const entry = (unitId: number, month: string) => insertEntry(db, w.t, measure.id, unitId, month)
  const post = async (url: string, headers: Record<string, string>, payload: object) => {
    const res = await w.t.app.inject({ method: 'POST', url, headers, payload })
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.body}`)
    return res.json()
  }
  const own = w.headers.unitOfficerOwn
  const evidenceOf = async (id: number) =>
    (await post(`/api/ledgers/${id}/evidence`, own, { version: 1, files: [{ data: PDF.toString('base64') }] }))
      .evidence[0].id as number
  const [ownDraft, ownSubmitted, ownToReturn, otherByHead, otherBySelf] = [
    await entry(w.ownUnit.id, '2026-07'),
    await entry(w.ownUnit.id, '2026-08'),
    await entry(w.ownUnit.id, '2026-09'),
    await entry(w.otherUnit.id, '2026-08'),
    await entry(w.otherUnit.id, '2026-09'),
  ]
  const draftEvidenceId = await evidenceOf(ownDraft)
  const submittedEvidenceId = await evidenceOf(ownSubmitted)
  await post(`/api/ledgers/${ownSubmitted}/submit`, own, { version: 2 })
  await post(`/api/ledgers/${ownToReturn}/submit`, own, { version: 1 })
  await post(`/api/ledgers/${otherByHead}/submit`, otherHead, { version: 1 })
  await post(`/api/ledgers/${otherBySelf}/submit`, w.headers.unitOfficerOther, { version: 1 })
  return { b: { ownDraft, ownSubmitted, ownToReturn, otherByHead, otherBySelf, draftEvidenceId, submittedEvidenceId } }
}
