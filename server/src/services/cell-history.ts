// A cell's history: every version, who changed it, when and why (GET /api/cells/:code/history).
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CellHistory, VersionGeometry } from '../contract/edits.js'
import { cellVersions } from '../db/repositories/cell-versions.repository.js'
import { findCell } from '../db/repositories/cells.repository.js'
import { notFound } from '../errors.js'
import { round1 } from './edit-diff.js'

export async function cellHistory(db: Kysely<DB>, code: string): Promise<CellHistory> {
  const cell = await findCell(db, { code })
  if (!cell) throw notFound('cell', code)
  return (await cellVersions(db, cell.id)).map((v) => ({
    version: v.version,
    name: v.name,
    parentCode: v.parent_code,
    retired: v.retired,
    validFrom: v.valid_from.toISOString(),
    validTo: v.valid_to?.toISOString() ?? null,
    changedBy: v.changed_by,
    reason: v.reason,
    areaM2: v.area_m2 === null ? null : round1(v.area_m2),
    geometry: v.geometry ? (JSON.parse(v.geometry) as VersionGeometry) : null,
    editId: v.edit_id,
  }))
}
