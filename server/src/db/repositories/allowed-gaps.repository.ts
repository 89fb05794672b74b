import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../schema.js'
import { geomFromGeoJSON, multi } from '../postgis.js'

type Executor = Kysely<DB> | Transaction<DB>

export function insertAllowedGap(
  db: Executor,
  g: { cellId: number; geojson: string; reason: string; createdBy: number | null },
) {
  return db
    .insertInto('allowed_gaps')
    .values({
      cell_id: g.cellId,
      boundary: multi(geomFromGeoJSON(g.geojson)) as never,
      reason: g.reason,
      created_by: g.createdBy,
    })
    .returning(['id', 'cell_id', 'reason', 'created_at'])
    .executeTakeFirstOrThrow()
}

export async function listAllowedGaps(db: Executor, cellId?: number) {
  const { rows } = await sql<{ id: number; cell_code: string; reason: string; area_m2: number; geometry: string }>`
    SELECT a.id, c.code AS cell_code, a.reason, ST_Area(a.boundary::geography) AS area_m2, ST_AsGeoJSON(a.boundary, 7) AS geometry
    FROM allowed_gaps a JOIN grid_cells c ON c.id = a.cell_id
    WHERE ${cellId === undefined ? sql`TRUE` : sql`a.cell_id = ${cellId}`}
    ORDER BY a.id`.execute(db)
  return rows
}

export function deleteAllowedGap(db: Executor, id: number) {
  return db.deleteFrom('allowed_gaps').where('id', '=', id).returningAll().executeTakeFirst()
}
