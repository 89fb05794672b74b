import type { Kysely } from 'kysely'
import type { DB } from '../../server/src/db/schema.js'
import { box, factories } from './factories.js'

/** Parcels the edit tests place in the world, by external id. */
const PARCELS = {
  'P-WEST': box(113.004, 35.004, 113.005, 35.005),
  'P-BORDER': box(113.0105, 35.004, 113.0115, 35.005),
  'P-EAST': box(113.027, 35.002, 113.028, 35.003),
  // far from the edits, in T002 (which they trim): its accountability does not change
  'P-T002-FAR': box(113.017, 35.004, 113.018, 35.005),
}

/**
 * The world the boundary-edit tests start from: region T (113–113.03 E, 35–35.01 N), its top cell T
 * (staffed 县长/县员) and three children side by side, T001 (张三), T002 (李四) and T003 — which stops at
 * 35.008, leaving one gap along the parent's northern edge — with the parcels asked for, matched.
 */
export async function editWorld(db: Kysely<DB>, o: { staffT003?: boolean; parcels?: (keyof typeof PARCELS)[] } = {}) {
  const f = factories(db)
  const region = await f.region('T', box(113, 35, 113.03, 35.01))
  const parent = await f.cell({ regionId: region.id, code: 'T', level: 1, geometry: box(113, 35, 113.03, 35.01) })
  await f.staff(parent.id, ['县长', '县员'])
  const child = (code: string, geometry: ReturnType<typeof box>) =>
    f.cell({ regionId: region.id, code, level: 2, parentCode: 'T', geometry })
  const c1 = await child('T001', box(113, 35, 113.01, 35.01))
  const c2 = await child('T002', box(113.01, 35, 113.02, 35.01))
  const c3 = await child('T003', box(113.02, 35, 113.03, 35.008))
  await f.staff(c1.id, ['张三', '张三助'])
  await f.staff(c2.id, ['李四', '李四助'])
  if (o.staffT003) await f.staff(c3.id, ['王五', '王五助'])
  for (const externalId of o.parcels ?? [])
    await f.parcel({ regionId: region.id, externalId, geometry: PARCELS[externalId] })
  await f.rematchAll(region.id)
  return { region, parent, cells: [c1, c2, c3] }
}
