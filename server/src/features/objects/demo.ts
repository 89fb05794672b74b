// The demo's supervision inventory, derived from the demo parcels so it needs no fixture of its own:
// every enterprise parcel becomes an enterprise (监管清单 object) and every construction-site parcel a
// construction site, with the parcel's outline, so the planted defects (parcels outside every cell,
// across two cells, in vacant cells) show in the inventory too. Risk levels cycle high, medium, low
// by parcel id: deterministic, and every level is present.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { rematchObjects } from '../../db/repositories/matching.repository.js'

export async function loadObjectsDemo(db: Kysely<DB>, o: { matchToleranceM2: number; now: Date }): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: number }>`
      INSERT INTO supervised_objects (region_id, code, name, type_code, risk_level, geom, attributes, status,
                                      created_at, updated_at, reviewed_at)
      SELECT p.region_id, 'DEMO-' || p.external_id,
             COALESCE(p.owner_name, p.external_id),
             CASE p.land_use WHEN 'enterprise' THEN 'enterprise' ELSE 'construction_site' END,
             (ARRAY['high', 'medium', 'low'])[1 + p.id % 3],
             p.boundary, jsonb_build_object('parcel', p.external_id), 'accepted', ${o.now}, ${o.now}, ${o.now}
      FROM parcels p WHERE p.land_use IN ('enterprise', 'construction_site')
      ORDER BY p.id
      RETURNING id`.execute(tx)
    await rematchObjects(tx, { kind: 'objects', objectIds: rows.map((r) => r.id) }, o.matchToleranceM2)
    return rows.length
  })
}
