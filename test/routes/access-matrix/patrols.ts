// Access-matrix rows of patrols. Grid supervisors and admins start patrols and read GPX; only the
// person walking a patrol records on it (its points, check-ins, problems and end): another supervisor and even
// an admin are refused. Every signed-in role reads patrols and the month's completion.
import { A, SIGNED_IN_READ, defineMatrix, type Outcomes } from '../access-matrix.helpers.js'

const WALKERS: Outcomes = [401, 401, 403, 403, A, A, 403, 403, A]
/** the patrol's own walker only */
const THE_WALKER: Outcomes = [401, 401, 403, 403, A, 403, 403, 403, 403]

export const matrix = defineMatrix({
  async setUp(w) {
    const res = await w.t.app.inject({
      method: 'POST',
      url: '/api/patrols',
      headers: w.headers.supervisorOwn,
      payload: {},
    })
    if (res.statusCode !== 201) throw new Error(`patrol set-up failed: ${res.body}`)
    return { patrolId: (res.json() as { id: number }).id }
  },
  rows(_w, own) {
    const at = new Date().toISOString()
    return {
      'POST /api/patrols': [{ url: '/api/patrols', payload: {}, expect: WALKERS }],
      'GET /api/patrols': [{ url: '/api/patrols?month=2026-11', expect: SIGNED_IN_READ }],
      'POST /api/patrols/gpx': [{ url: '/api/patrols/gpx', payload: { gpx: 'not xml' }, expect: WALKERS }],
      'GET /api/patrols/:id': [{ url: `/api/patrols/${own.patrolId}`, expect: SIGNED_IN_READ }],
      'POST /api/patrols/:id/points': [
        {
          url: `/api/patrols/${own.patrolId}/points`,
          payload: { points: [{ t: at, lon: 113.005, lat: 35.005 }] },
          expect: THE_WALKER,
        },
      ],
      'POST /api/patrols/:id/check-ins': [
        {
          url: `/api/patrols/${own.patrolId}/check-ins`,
          payload: { objectId: 999999, lon: 113.005, lat: 35.005, checkedAt: at, checklist: [] },
          expect: THE_WALKER,
        },
      ],
      'POST /api/patrols/:id/problems': [
        {
          url: `/api/patrols/${own.patrolId}/problems`,
          payload: { category: 'pollution', lon: 113.005, lat: 35.005, observedAt: at },
          expect: THE_WALKER,
        },
      ],
      'POST /api/patrols/:id/end': [{ url: `/api/patrols/${own.patrolId}/end`, payload: {}, expect: THE_WALKER }],
      'GET /api/patrol-completion': [{ url: '/api/patrol-completion?month=2026-11&region=R1', expect: SIGNED_IN_READ }],
    }
  },
})
