// Access-matrix rows of the first wave's routes: session, users, regions, cells, parcels, people,
// responsibilities, coverage, edits, staffing rules, imports and tiles. A unit officer reads what a
// viewer reads and writes nothing here.
import { A, defineMatrix } from '../access-matrix.helpers.js'

export const matrix = defineMatrix({
  rows: (w, _own, n) => ({
    'GET /api/health': [{ url: '/api/health', expect: [A, A, A, A, A, A, A, A, A] }],
    'GET /api/map-config': [{ url: '/api/map-config', expect: [A, A, A, A, A, A, A, A, A] }],
    'POST /api/session': [
      {
        url: '/api/session',
        payload: { login: 'nobody', password: 'wrong password' },
        expect: [A, A, A, A, A, A, A, A, A],
      },
    ],
    'GET /api/session': [{ url: '/api/session', expect: [A, A, A, A, A, A, A, A, A] }],
    'DELETE /api/session': [{ url: '/api/session', expect: [401, 401, A, A, A, A, A, A, A] }],
    'GET /api/users': [{ url: '/api/users', expect: [401, 401, 403, 403, 403, 403, 403, 403, A] }],
    'POST /api/users': [
      {
        url: '/api/users',
        payload: { login: `matrix-${n}`, displayName: 'M', role: 'viewer', password: 'long enough password' },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'PUT /api/users/:login/password': [
      {
        url: `/api/users/no-such-user/password`,
        payload: { password: 'long enough password' },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'GET /api/regions': [{ url: '/api/regions', expect: [401, A, A, A, A, A, A, A, A] }],
    'GET /api/regions/:code/outline': [{ url: '/api/regions/R1/outline', expect: [401, A, A, A, A, A, A, A, A] }],
    'GET /api/context-areas': [{ url: '/api/context-areas', expect: [401, A, A, A, A, A, A, A, A] }],
    'POST /api/regions/:code/rematch': [
      { url: '/api/regions/R1/rematch', expect: [401, 401, 403, 403, 403, 403, 403, 403, A] },
    ],
    'GET /api/cells': [{ url: '/api/cells?region=R1', expect: [401, A, A, A, A, A, A, A, A] }],
    'GET /api/cells/:code': [{ url: `/api/cells/${w.ownCell}`, expect: [401, A, A, A, A, A, A, A, A] }],
    'GET /api/parcels': [
      { url: '/api/parcels?bbox=113,35,113.02,35.01&cell=R1', expect: [401, A, A, A, A, A, A, A, A] },
    ],
    'GET /api/parcels/:id/accountability': [
      { url: `/api/parcels/${w.parcelId}/accountability`, expect: [401, A, A, A, A, A, A, A, A] },
    ],
    'GET /api/people': [{ url: '/api/people', expect: [401, A, A, A, A, A, A, A, A] }],
    'GET /api/people/:id': [{ url: `/api/people/${w.personId}`, expect: [401, A, A, A, A, A, A, A, A] }],
    'POST /api/people': [
      { url: '/api/people', payload: { name: `New ${n}` }, expect: [401, 401, 403, 403, 403, 403, 403, 403, A] },
    ],
    'POST /api/responsibilities': [
      {
        url: '/api/responsibilities',
        payload: { personId: w.personId, cellCode: w.otherCell, role: 'specialist', startsOn: '2026-01-01' },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'POST /api/responsibilities/:id/end': [
      {
        url: `/api/responsibilities/${w.responsibilityId}/end`,
        payload: { endsOn: '2099-01-01' },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'GET /api/accountability': [
      { url: '/api/accountability?lon=113.003&lat=35.003', expect: [401, A, A, A, A, A, A, A, A] },
    ],
    'GET /api/coverage': [{ url: '/api/coverage?region=R1', expect: [401, A, A, A, A, A, A, A, A] }],
    'GET /api/search': [{ url: '/api/search?q=R1', expect: [401, A, A, A, A, A, A, A, A] }],
    'GET /api/allowed-gaps': [{ url: '/api/allowed-gaps', expect: [401, A, A, A, A, A, A, A, A] }],
    'POST /api/edits/preview': [
      {
        url: '/api/edits/preview',
        payload: { operation: 'delete', cellCode: w.otherCell, version: 999, reason: 'matrix' },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'POST /api/edits': [
      {
        url: '/api/edits',
        payload: { operation: 'delete', cellCode: w.otherCell, version: 999, reason: 'matrix' },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'GET /api/cells/:code/history': [{ url: `/api/cells/${w.ownCell}/history`, expect: [401, A, A, A, A, A, A, A, A] }],
    'GET /api/staffing-rules': [{ url: '/api/staffing-rules', expect: [401, A, A, A, A, A, A, A, A] }],
    'PUT /api/staffing-rules/:level': [
      {
        url: '/api/staffing-rules/7',
        payload: { chiefsRequired: 1, membersRequired: 2 },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'DELETE /api/staffing-rules/:level': [
      { url: '/api/staffing-rules/8', expect: [401, 401, 403, 403, 403, 403, 403, 403, A] },
    ],
    'POST /api/parcels': [
      {
        url: '/api/parcels',
        payload: {
          externalId: `NEW-${n}`,
          landUse: 'farmland',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113.012, 35.002],
                [113.013, 35.002],
                [113.013, 35.003],
                [113.012, 35.002],
              ],
            ],
          },
        },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'PATCH /api/parcels/:id': [
      {
        url: `/api/parcels/${w.parcelId}`,
        payload: { ownerName: 'X' },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'DELETE /api/parcels/:id': [{ url: '/api/parcels/999999', expect: [401, 401, 403, 403, 403, 403, 403, 403, A] }],
    'POST /api/allowed-gaps': [
      {
        url: '/api/allowed-gaps',
        payload: {
          cellCode: 'R1',
          reason: 'reservoir',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [113.001, 35.001],
                [113.002, 35.001],
                [113.002, 35.002],
                [113.001, 35.001],
              ],
            ],
          },
        },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'DELETE /api/allowed-gaps/:id': [
      { url: '/api/allowed-gaps/999999', expect: [401, 401, 403, 403, 403, 403, 403, 403, A] },
    ],
    'POST /api/imports/:kind': [
      {
        url: '/api/imports/regions',
        payload: { type: 'FeatureCollection', features: [] },
        expect: [401, 401, 403, 403, 403, 403, 403, 403, A],
      },
    ],
    'GET /tiles/:layer/:z/:x/:y.pbf': [
      { url: '/tiles/cells/14/13335/6489.pbf', expect: [401, A, A, A, A, A, A, A, A] },
      { url: '/tiles/cells-2/14/13335/6489.pbf', expect: [401, A, A, A, A, A, A, A, A] },
      { url: '/tiles/parcels/14/13335/6489.pbf', expect: [401, A, A, A, A, A, A, A, A] },
      { url: '/tiles/gaps/14/13335/6489.pbf', expect: [401, A, A, A, A, A, A, A, A] },
      { url: '/tiles/overlaps/14/13335/6489.pbf', expect: [401, A, A, A, A, A, A, A, A] },
      // as GET /api/flags.geojson: signed-in readers only (supervisors get their own cells' flags)
      { url: '/tiles/flags/14/13335/6489.pbf', expect: [401, 401, A, A, A, A, A, A, A] },
    ],
  }),
})
