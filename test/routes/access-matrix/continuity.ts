// Access-matrix rows of the duty-continuity routes: internal figures, read by every signed-in role
// (supervisors and unit officers included, whichever cell or unit), never by anonymous visitors.
import { SIGNED_IN_READ, defineMatrix } from '../access-matrix.helpers.js'

export const matrix = defineMatrix({
  rows: (w) => ({
    'GET /api/cells/:code/duty-timeline': [
      { url: `/api/cells/${w.ownCell}/duty-timeline`, expect: SIGNED_IN_READ },
      { url: `/api/cells/${w.otherCell}/duty-timeline?from=2026-01-01&to=2026-12-31`, expect: SIGNED_IN_READ },
    ],
    'GET /api/continuity/shortfalls': [
      { url: '/api/continuity/shortfalls', expect: SIGNED_IN_READ },
      { url: `/api/continuity/shortfalls?scope=${w.otherCell}`, expect: SIGNED_IN_READ },
    ],
    'GET /api/continuity/vacancy-days': [
      { url: `/api/continuity/vacancy-days?scope=${w.ownCell}`, expect: SIGNED_IN_READ },
    ],
    'GET /api/continuity/duties-ending': [{ url: '/api/continuity/duties-ending?within=365', expect: SIGNED_IN_READ }],
  }),
})
