// Access-matrix rows of the monthly bulletin: the loop's figures, read by every signed-in role
// (anonymous 401, even with the public map on). A bad format answers 400 to those who may ask, and the
// policy is decided before the query is read, so it shows the policy without rendering a document.
import { defineMatrix, SIGNED_IN_READ } from '../access-matrix.helpers.js'

export const matrix = defineMatrix({
  rows: () => ({
    'GET /api/bulletins/:month': [
      { url: '/api/bulletins/2026-10?format=xlsx', expect: SIGNED_IN_READ },
      { url: '/api/bulletins/2026-10?format=doc', expect: SIGNED_IN_READ },
    ],
  }),
})
