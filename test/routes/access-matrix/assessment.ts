// Access-matrix rows of the assessment routes: every signed-in role reads (internal government figures:
// anonymous 401 even with the public map); only an admin sets the scheme, enters or imports figures,
// or closes a month. No world of its own: the reads answer on an empty scheme (404 is the route at work).
import { ADMIN_ONLY, SIGNED_IN_READ, defineMatrix } from '../access-matrix.helpers.js'

export const matrix = defineMatrix({
  rows: (w) => ({
    'GET /api/assessment/schemes/:year': [{ url: '/api/assessment/schemes/2026', expect: SIGNED_IN_READ }],
    'PUT /api/assessment/schemes/:year': [
      {
        url: '/api/assessment/schemes/2099',
        payload: { redListSize: 1, blackListSize: 1, indicators: [] },
        expect: ADMIN_ONLY,
      },
    ],
    'GET /api/assessment/trend': [
      { url: `/api/assessment/trend?year=2026&unit=${w.ownUnit.code}`, expect: SIGNED_IN_READ },
    ],
    'GET /api/assessment/:month': [{ url: '/api/assessment/2026-01', expect: SIGNED_IN_READ }],
    'GET /api/assessment/:month/units/:code': [
      { url: `/api/assessment/2026-01/units/${w.ownUnit.code}`, expect: SIGNED_IN_READ },
    ],
    'POST /api/assessment/:month/close': [{ url: '/api/assessment/2099-12/close', expect: ADMIN_ONLY }],
    'GET /api/environment-figures': [{ url: '/api/environment-figures?month=2026-01', expect: SIGNED_IN_READ }],
    'PUT /api/environment-figures': [
      {
        url: '/api/environment-figures',
        payload: { rows: [{ unit: 'nope', month: '2026-01', indicator: 'nope', value: 1 }] },
        expect: ADMIN_ONLY,
      },
    ],
    'POST /api/environment-figures/import': [
      {
        url: '/api/environment-figures/import',
        headers: { 'content-type': 'text/csv' },
        payload: 'unit,month,indicator,value\nnope,2026-01,nope,1\n',
        expect: ADMIN_ONLY,
      },
    ],
  }),
})
