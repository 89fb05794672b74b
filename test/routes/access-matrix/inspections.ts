// Access-matrix rows of inspections. Inspectors and admins open campaigns and record findings; every
// signed-in role reads campaigns, findings (a supervisor and a unit officer see only their own) and
// the report. Rectifying and verifying a finding are its flag's routes (flags.ts rows).
import { A, SIGNED_IN_READ, defineMatrix, type Outcomes } from '../access-matrix.helpers.js'

const INSPECTORS: Outcomes = [401, 401, 403, A, 403, 403, 403, 403, A]

const campaign = (code: string) => ({
  code,
  name: 'Matrix campaign',
  lineOfWork: '大气',
  startsOn: '2026-01-01',
  endsOn: '2026-12-31',
  category: 'dust',
  checklist: [{ code: 'A1', label: 'Fence' }],
  limits: {
    general: { amount: 3, unit: 'working_days' },
    major: { amount: 1, unit: 'working_days' },
    serious: { amount: 3, unit: 'working_hours' },
  },
})

export const matrix = defineMatrix({
  async setUp(w) {
    const res = await w.t.app.inject({
      method: 'POST',
      url: '/api/inspections',
      headers: w.headers.admin,
      payload: campaign('MATRIX'),
    })
    if (res.statusCode !== 201) throw new Error(`campaign set-up failed: ${res.body}`)
    return { campaignId: (res.json() as { id: number }).id }
  },
  rows(_w, own, n) {
    return {
      'POST /api/inspections': [{ url: '/api/inspections', payload: campaign(`MATRIX-${n}`), expect: INSPECTORS }],
      'GET /api/inspections': [{ url: '/api/inspections', expect: SIGNED_IN_READ }],
      'GET /api/inspections/:id': [{ url: `/api/inspections/${own.campaignId}`, expect: SIGNED_IN_READ }],
      'POST /api/inspections/:id/findings': [
        {
          url: `/api/inspections/${own.campaignId}/findings`,
          // an unknown checklist item: refused after the access check, so nothing is written
          payload: {
            checklistItem: 'ZZ',
            severity: 'general',
            description: 'x',
            lon: 113.005,
            lat: 35.005,
            observedAt: '2026-06-01T02:00:00Z',
          },
          expect: INSPECTORS,
        },
      ],
      'GET /api/inspections/:id/findings': [
        { url: `/api/inspections/${own.campaignId}/findings`, expect: SIGNED_IN_READ },
      ],
      'GET /api/inspections/:id/report': [{ url: `/api/inspections/${own.campaignId}/report`, expect: SIGNED_IN_READ }],
    }
  },
})
