// Access-matrix rows of the supervision inventory. Every signed-in role reads it; the anonymous public
// map never does. A supervisor files and edits only in their own cells; the review belongs to the cell
// above the object's cell (the township: here only the admin, as no matrix supervisor holds R1);
// retiring and importing are the admin's.
import { A, ADMIN_ONLY, SIGNED_IN_READ, defineMatrix, type Outcomes } from '../access-matrix.helpers.js'
import { insertObjects } from '../../../server/src/features/objects/repository.js'
import { rematchObjects } from '../../../server/src/db/repositories/matching.repository.js'

/** a grid supervisor's write in their own cell, or the admin's */
const OWN_SUPERVISOR: Outcomes = [401, 401, 403, 403, A, 403, 403, 403, A]

export const matrix = defineMatrix({
  async setUp(w) {
    const db = w.t.database.db
    const region = await db.selectFrom('regions').select('id').where('code', '=', 'R1').executeTakeFirstOrThrow()
    const ids = await insertObjects(db, [
      {
        regionId: region.id,
        code: 'MX-OWN',
        name: '矩阵锅炉',
        typeCode: 'boiler',
        riskLevel: 'low',
        geojson: JSON.stringify({ type: 'Point', coordinates: [113.005, 35.005] }),
        attributes: {},
        status: 'filed',
        filedBy: null,
        now: new Date('2026-01-05T00:00:00Z'),
      },
    ])
    await rematchObjects(db, { kind: 'objects', objectIds: ids }, 10)
    return { objectId: ids[0]! }
  },
  rows(_w, own, n) {
    const inOwnCell = { type: 'Point', coordinates: [113.006, 35.006] }
    return {
      'GET /api/object-types': [{ url: '/api/object-types', expect: SIGNED_IN_READ }],
      'GET /api/objects': [{ url: '/api/objects?bbox=113,35,113.02,35.01&status=filed', expect: SIGNED_IN_READ }],
      'GET /api/objects/:id': [{ url: `/api/objects/${own.objectId}`, expect: SIGNED_IN_READ }],
      'POST /api/objects': [
        {
          url: '/api/objects',
          payload: { code: `MX-${n}`, name: `新锅炉 ${n}`, type: 'boiler', riskLevel: 'low', geometry: inOwnCell },
          expect: OWN_SUPERVISOR,
        },
      ],
      'PATCH /api/objects/:id': [
        { url: `/api/objects/${own.objectId}`, payload: { version: 1, name: `改名 ${n}` }, expect: OWN_SUPERVISOR },
      ],
      'POST /api/objects/:id/accept': [
        { url: `/api/objects/${own.objectId}/accept`, payload: { version: 999 }, expect: ADMIN_ONLY },
      ],
      'POST /api/objects/:id/return': [
        {
          url: `/api/objects/${own.objectId}/return`,
          payload: { version: 999, reason: 'wrong type' },
          expect: ADMIN_ONLY,
        },
      ],
      'POST /api/objects/:id/retire': [
        { url: `/api/objects/${own.objectId}/retire`, payload: { version: 999, reason: 'closed' }, expect: ADMIN_ONLY },
      ],
      'POST /api/objects/import': [
        {
          url: '/api/objects/import',
          payload: { format: 'csv', content: 'code,name,type,risk_level,lon,lat\n', dryRun: true },
          expect: ADMIN_ONLY,
        },
      ],
    }
  },
})
