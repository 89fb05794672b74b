// Access-matrix rows of the flags routes, with their world: a flag reported in the own cell (with a
// photo) and dispatched. A unit officer reads what a viewer reads, and acknowledges and gives feedback
// on flags in their own township only.
import { A, defineMatrix } from '../access-matrix.helpers.js'

export const matrix = defineMatrix({
  async setUp(w) {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 0xff, 0xd9]).toString(
      'base64',
    )
    const created = await w.t.app.inject({
      method: 'POST',
      url: '/api/flags',
      headers: w.headers.inspector,
      payload: { category: 'dust', lon: 113.003, lat: 35.003, photos: [{ data: jpeg }] },
    })
    const flag = { flagId: created.json().id as number, photoId: created.json().photos[0].id as number }
    await w.t.app.inject({
      method: 'POST',
      url: `/api/flags/${flag.flagId}/register`,
      headers: w.headers.admin,
      payload: { version: 1 },
    })
    return flag
  },
  rows: (_w, flag) => ({
    'GET /api/flags/categories': [{ url: '/api/flags/categories', expect: [401, A, A, A, A, A, A, A, A] }],
    'PUT /api/flags/categories/:code': [
      {
        url: '/api/flags/categories/matrix',
        payload: {
          nameZh: '矩阵',
          nameEn: 'Matrix',
          ackLimit: { amount: 1, unit: 'working_days' },
          completeLimit: { amount: 2, unit: 'working_days' },
        },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'GET /api/flags/holidays': [{ url: '/api/flags/holidays', expect: [401, A, A, A, A, A, A, A, A] }],
    'PUT /api/flags/holidays/:day': [
      {
        url: '/api/flags/holidays/2099-01-01',
        payload: { name: 'matrix' },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'DELETE /api/flags/holidays/:day': [
      { url: '/api/flags/holidays/2099-01-02', expect: [401, 401, 403, 403, 403, 403, 403, 403, A] },
    ],
    'POST /api/flags': [
      {
        url: '/api/flags',
        payload: { category: 'dust', lon: 113.004, lat: 35.004, confirmNotDuplicate: true },
        expect: [401, 401, 403, A, 403, 403, 403, 403, A],
      },
    ],
    'GET /api/flags': [{ url: '/api/flags?mine=true', expect: [401, 401, A, A, 403, 403, A, A, A] }],
    'GET /api/flags/inbox': [{ url: '/api/flags/inbox', expect: [401, 401, 403, 403, A, A, 403, 403, 403] }],
    'GET /api/flags.geojson': [
      { url: '/api/flags.geojson?bbox=113,35,113.02,35.01', expect: [401, 401, A, A, A, A, A, A, A] },
    ],
    'GET /api/flags/export': [{ url: '/api/flags/export?format=csv', expect: [401, 401, A, 403, 403, 403, A, A, A] }],
    'GET /api/flags/assessment': [
      { url: '/api/flags/assessment?month=2026-11', expect: [401, 401, A, 403, 403, 403, A, A, A] },
    ],
    'POST /api/flags/escalate': [{ url: '/api/flags/escalate', expect: [401, 401, 403, 403, 403, 403, 403, 403, A] }],
    'GET /api/flags/:id': [{ url: `/api/flags/${flag.flagId}`, expect: [401, 401, A, A, A, 403, A, A, A] }],
    'GET /api/flags/:id/photos/:photoId': [
      { url: `/api/flags/${flag.flagId}/photos/${flag.photoId}`, expect: [401, 401, A, A, A, 403, A, A, A] },
    ],
    'POST /api/flags/:id/register': [
      {
        url: `/api/flags/${flag.flagId}/register`,
        payload: { version: 999 },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'POST /api/flags/:id/reject': [
      {
        url: `/api/flags/${flag.flagId}/reject`,
        payload: { version: 999, reason: 'matrix' },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'POST /api/flags/:id/acknowledge': [
      {
        url: `/api/flags/${flag.flagId}/acknowledge`,
        payload: { version: 999 },
        expect: [401, 401, 403, 403, A, 403, A, 403, A],
      },
    ],
    'POST /api/flags/:id/feedback': [
      {
        url: `/api/flags/${flag.flagId}/feedback`,
        payload: { version: 999, note: 'matrix' },
        expect: [401, 401, 403, 403, A, 403, A, 403, A],
      },
    ],
    'POST /api/flags/:id/verify': [
      {
        url: `/api/flags/${flag.flagId}/verify`,
        payload: { version: 999 },
        expect: [401, 401, 403, A, 403, 403, 403, 403, A],
      },
    ],
    'POST /api/flags/:id/return': [
      {
        url: `/api/flags/${flag.flagId}/return`,
        payload: { version: 999, comment: 'matrix' },
        expect: [401, 401, 403, A, 403, 403, 403, 403, A],
      },
    ],
    'POST /api/flags/:id/reopen': [
      {
        url: `/api/flags/${flag.flagId}/reopen`,
        payload: { version: 999, comment: 'matrix' },
        expect: [401, 401, 403, A, 403, 403, 403, 403, A],
      },
    ],
  }),
})
