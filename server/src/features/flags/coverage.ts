// The coverage report's "flags" section: open flags marked unowned (in a gap, or in a vacant cell with
// nobody to answer for it directly), each linked to the gap of the report that holds its point.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { CoverageScope } from '../../db/repositories/coverage.repository.js'
import { unownedFlagsIn } from './repository-figures.js'
import { OPEN_STATES } from './workflow.js'

type Ring = number[][]
interface GapLike {
  id: string
  parentCode: string
  missingLevel: number
  geometry: unknown
}

function inRing(p: number[], ring: Ring): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    if (yi > p[1]! !== yj > p[1]! && p[0]! < ((xj - xi) * (p[1]! - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Even-odd point-in-polygon for a GeoJSON Polygon or MultiPolygon (holes excluded). */
export function pointInGeometry(p: number[], geometry: unknown): boolean {
  const g = geometry as { type?: string; coordinates?: unknown }
  const polygons =
    g.type === 'Polygon' ? [g.coordinates as Ring[]] : g.type === 'MultiPolygon' ? (g.coordinates as Ring[][]) : []
  return polygons.some(
    (rings) => rings.length > 0 && inRing(p, rings[0]!) && !rings.slice(1).some((hole) => inRing(p, hole)),
  )
}

export async function unownedFlagsSection(db: Kysely<DB>, scope: CoverageScope, gaps: GapLike[], cellIds?: number[]) {
  const rows = await unownedFlagsIn(db, scope, OPEN_STATES, cellIds)
  return {
    unowned: rows.map((f) => ({
      id: f.id,
      category: f.category,
      state: f.state,
      rule: f.routing_rule,
      missingLevel: f.missing_level,
      gapParentCode: f.gap_parent_code,
      gapId: f.gap_parent_code
        ? (gaps.find((g) => g.parentCode === f.gap_parent_code && pointInGeometry(f.point, g.geometry))?.id ?? null)
        : null,
      vacantCellCode: f.routing_rule === 'fallback_vacant' ? f.cell_code : null,
      accountableCellCode: f.accountable_code,
      point: f.point,
      createdAt: new Date(f.created_at).toISOString(),
    })),
  }
}
