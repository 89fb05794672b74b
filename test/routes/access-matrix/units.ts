// Access-matrix rows of the units feature: units, lines, indicators, plans, measures, milestones,
// letters and progress. Every signed-in role reads (anonymous never, even with the public map); only
// an admin writes; GET /api/units/mine is a unit officer's.
import { SYSTEM_ACTOR } from '../../../server/src/db/repositories/audit.repository.js'
import { putIndicator, putLine } from '../../../server/src/features/units/service-catalog.js'
import { putLetter, putScan } from '../../../server/src/features/units/service-letters.js'
import { createMeasure, createPlan } from '../../../server/src/features/units/service-plans.js'
import { unitsSettings } from '../../../server/src/features/units/settings.js'
import { A, ADMIN_ONLY, SIGNED_IN_READ, defineMatrix } from '../access-matrix.helpers.js'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

export const matrix = defineMatrix({
  async setUp(w) {
    const db = w.t.database.db
    const now = w.t.clock.now
    await putIndicator(db, SYSTEM_ACTOR, 'matrix_count', { name: '数', nameEn: 'Count', direction: 'higher_is_better' })
    await putLine(db, SYSTEM_ACTOR, 'matrix', { name: '矩阵', nameEn: 'Matrix', leadUnitCode: w.ownUnit.code })
    const plan = await createPlan(db, SYSTEM_ACTOR, { lineCode: 'matrix', year: 2026, title: 'Matrix plan' }, now)
    const measure = await createMeasure(
      db,
      unitsSettings(w.t.config),
      SYSTEM_ACTOR,
      plan.id,
      {
        code: 'M-1',
        title: 'Matrix measure',
        leadUnitCode: w.ownUnit.code,
        indicatorCode: 'matrix_count',
        targetValue: 10,
        responsiblePersonId: w.ownOfficerPersonId,
        unitCodes: [w.ownUnit.code],
      },
      now,
    )
    await putLetter(
      db,
      SYSTEM_ACTOR,
      w.ownUnit.code,
      2026,
      { targets: [{ indicatorCode: 'matrix_count', targetValue: 10 }] },
      now,
    )
    await putScan(db, SYSTEM_ACTOR, w.ownUnit.code, 2026, { data: PDF, filename: 'l.pdf' }, 1_000_000, now)
    return { planId: plan.id, measureId: measure.id }
  },
  rows: (w, own, n) => {
    const unit = w.ownUnit.code
    return {
      'GET /api/units': [{ url: '/api/units', expect: SIGNED_IN_READ }],
      'GET /api/units/mine': [{ url: '/api/units/mine', expect: [401, 401, 403, 403, 403, 403, A, A, 403] }],
      'POST /api/units/sync': [{ url: '/api/units/sync', expect: ADMIN_ONLY }],
      'POST /api/units': [{ url: '/api/units', payload: { code: `dept${n}`, name: `部门${n}` }, expect: ADMIN_ONLY }],
      'GET /api/units/:code': [{ url: `/api/units/${unit}`, expect: SIGNED_IN_READ }],
      'PATCH /api/units/:code': [{ url: `/api/units/${unit}`, payload: { sortOrder: 5 }, expect: ADMIN_ONLY }],
      'GET /api/lines': [{ url: '/api/lines', expect: SIGNED_IN_READ }],
      'PUT /api/lines/:code': [
        {
          url: '/api/lines/matrix',
          payload: { name: '矩阵', nameEn: 'Matrix', leadUnitCode: unit },
          expect: ADMIN_ONLY,
        },
      ],
      'GET /api/indicators': [{ url: '/api/indicators', expect: SIGNED_IN_READ }],
      'PUT /api/indicators/:code': [
        {
          url: '/api/indicators/matrix_count',
          payload: { name: '数', nameEn: 'Count', direction: 'higher_is_better' },
          expect: ADMIN_ONLY,
        },
      ],
      'GET /api/plans': [{ url: '/api/plans?year=2026', expect: SIGNED_IN_READ }],
      'POST /api/plans': [
        { url: '/api/plans', payload: { lineCode: 'matrix', year: 2027, title: 'Next year' }, expect: ADMIN_ONLY },
      ],
      'GET /api/plans/:id': [{ url: `/api/plans/${own.planId}`, expect: SIGNED_IN_READ }],
      'POST /api/plans/:id/measures': [
        {
          url: `/api/plans/${own.planId}/measures`,
          payload: {
            code: `M-${n}`,
            title: 'Another',
            leadUnitCode: unit,
            indicatorCode: 'matrix_count',
            targetValue: 1,
            responsiblePersonId: w.ownOfficerPersonId,
            unitCodes: [unit],
          },
          expect: ADMIN_ONLY,
        },
      ],
      'PATCH /api/measures/:id': [
        { url: `/api/measures/${own.measureId}`, payload: { title: `Renamed ${n}` }, expect: ADMIN_ONLY },
      ],
      'PUT /api/measures/:id/milestones/:month': [
        { url: `/api/measures/${own.measureId}/milestones/3`, payload: { description: 'March' }, expect: ADMIN_ONLY },
      ],
      'GET /api/letters': [{ url: '/api/letters?year=2026', expect: SIGNED_IN_READ }],
      'GET /api/units/:code/letters/:year': [{ url: `/api/units/${unit}/letters/2026`, expect: SIGNED_IN_READ }],
      'PUT /api/units/:code/letters/:year': [
        { url: `/api/units/${unit}/letters/2026`, payload: { version: 999, targets: [] }, expect: ADMIN_ONLY },
      ],
      'PUT /api/units/:code/letters/:year/scan': [
        {
          url: `/api/units/${unit}/letters/2026/scan`,
          payload: PDF,
          headers: { 'content-type': 'application/pdf' },
          expect: ADMIN_ONLY,
        },
      ],
      'GET /api/units/:code/letters/:year/scan': [
        { url: `/api/units/${unit}/letters/2026/scan`, expect: SIGNED_IN_READ },
      ],
      'GET /api/units/:code/progress': [{ url: `/api/units/${unit}/progress?year=2026`, expect: SIGNED_IN_READ }],
    }
  },
})
