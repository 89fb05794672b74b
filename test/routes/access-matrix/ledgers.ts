// Access-matrix rows of the ledger routes, with their world: a line led by a department (no matrix
// requester is its officer, so only the admin reviews), a measure carried by the own unit, and three of
// its entries — a draft with an evidence file, a draft to fill in, one submitted for review. Every
// signed-in role reads; another unit's officer is refused a draft and its evidence; only the own unit's
// officer fills in, and only the reviewer (here the admin) accepts or returns.
import { A, ADMIN_ONLY, SIGNED_IN_READ, defineMatrix, type Outcomes } from '../access-matrix.helpers.js'
import { CREATED_AT, insertEntry } from '../../helpers/loop-world.js'

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n')
/** an own-unit officer's write */
const OWN_OFFICER: Outcomes = [401, 401, 403, 403, 403, 403, A, 403, 403]
/** a review: the line's reviewers (here only the admin) */
const REVIEWER: Outcomes = [401, 401, 403, 403, 403, 403, 403, 403, A]

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
    return { withEvidence, toFill, submitted, evidenceId: evidence.json().evidence[0].id as number }
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
    ],
    'PUT /api/ledgers/:id': [
      { url: `/api/ledgers/${e.toFill}`, payload: { version: 1, doneText: '矩阵' }, expect: OWN_OFFICER },
    ],
    'POST /api/ledgers/:id/submit': [
      { url: `/api/ledgers/${e.toFill}/submit`, payload: { version: 1 }, expect: OWN_OFFICER },
    ],
    'POST /api/ledgers/:id/accept': [
      { url: `/api/ledgers/${e.submitted}/accept`, payload: { version: 2 }, expect: REVIEWER },
    ],
    'POST /api/ledgers/:id/return': [
      { url: `/api/ledgers/${e.submitted}/return`, payload: { version: 2, reason: '矩阵' }, expect: REVIEWER },
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
    ],
  }),
})
