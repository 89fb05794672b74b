import { sql, type Kysely } from 'kysely'
import type { DB } from '../../server/src/db/schema.js'

/**
 * A fingerprint of everything a boundary edit may write (cells, matches, versions, edit records, audit,
 * duties): equal before and after means nothing was written.
 */
export async function editState(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ s: string }>`
    SELECT md5(string_agg(x, '|' ORDER BY x)) AS s FROM (
      SELECT 'c' || id || ':' || version || ':' || md5(ST_AsBinary(boundary)) || ':' || COALESCE(retired_at::text, '') AS x FROM grid_cells
      UNION ALL SELECT 'm' || parcel_id || ':' || COALESCE(cell_id::text, '') || placement FROM parcel_matches
      UNION ALL SELECT 'v' || count(*) FROM cell_versions
      UNION ALL SELECT 'e' || count(*) FROM boundary_edits
      UNION ALL SELECT 'a' || count(*) FROM audit_log
      UNION ALL SELECT 'r' || id || ':' || COALESCE(ends_on::text, '') FROM responsibilities
    ) q`.execute(db)
  return rows[0]!.s
}
