// Access-matrix rows of notifications. Every signed-in role has a bell of its own (there is no user
// parameter: each sees only their own); the daily digest is for supervisors (their cells) and admins.
import { A, SIGNED_IN_READ, defineMatrix, type Outcomes } from '../access-matrix.helpers.js'

const SUPERVISORS_AND_ADMINS: Outcomes = [401, 401, 403, 403, A, A, 403, 403, A]

export const matrix = defineMatrix({
  rows() {
    return {
      'GET /api/notifications': [{ url: '/api/notifications?unread=true', expect: SIGNED_IN_READ }],
      'GET /api/notifications/summary': [{ url: '/api/notifications/summary', expect: SIGNED_IN_READ }],
      'POST /api/notifications/read': [
        { url: '/api/notifications/read', payload: { upTo: '2026-12-01T00:00:00Z' }, expect: SIGNED_IN_READ },
      ],
      'GET /api/notifications/digest': [
        { url: '/api/notifications/digest?date=2026-12-01', expect: SUPERVISORS_AND_ADMINS },
      ],
    }
  },
})
