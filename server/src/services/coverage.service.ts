import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import * as coverage from '../db/repositories/coverage.repository.js'
import { findCell } from '../db/repositories/cells.repository.js'
import { findRegionByCode } from '../db/repositories/regions.repository.js'
import { badRequest, notFound } from '../errors.js'
import { addDays } from './dates.js'
import { unownedFlagsSection } from './flags-coverage.js'

export interface CoverageOptions {
  at: string
  sliverM2: number
  minGapM2: number
  expiringSoonDays: number
  parcelLimit: number
}

const round1 = (n: number) => Math.round(n * 10) / 10

function gapKind(g: coverage.GapRow): 'hole' | 'between' | 'edge' {
  if (g.at_parent_edge) return 'edge'
  return (g.neighbour_codes?.length ?? 0) <= 1 ? 'hole' : 'between'
}

export async function resolveScope(db: Kysely<DB>, by: { region?: string; cell?: string }): Promise<coverage.CoverageScope> {
  if ((by.region === undefined) === (by.cell === undefined)) {
    throw badRequest('invalid_request', 'give exactly one of the query parameters "region" or "cell"')
  }
  if (by.region !== undefined) {
    const region = await findRegionByCode(db, by.region)
    if (!region) throw notFound('region', by.region)
    return { kind: 'region', regionId: region.id }
  }
  const cell = await findCell(db, { code: by.cell! })
  if (!cell || cell.retired_at) throw notFound('cell', by.cell!)
  return { kind: 'cell', cellId: cell.id }
}

export async function coverageReport(db: Kysely<DB>, scope: coverage.CoverageScope, o: CoverageOptions) {
  const soon = addDays(o.at, o.expiringSoonDays)
  const [area, gapRows, overlapRows, spillRows, multipart, staffingRows, parcelRows, parcelCounts] = await Promise.all([
    coverage.scopeArea(db, scope),
    coverage.gaps(db, scope, o.sliverM2, o.minGapM2),
    coverage.overlaps(db, scope, o.sliverM2, o.minGapM2),
    coverage.spills(db, scope, o.sliverM2),
    coverage.multipartCells(db, scope),
    coverage.staffing(db, scope, o.at, soon),
    coverage.parcelIssues(db, scope, o.at, o.parcelLimit),
    coverage.parcelStatusCountsIn(db, scope, o.at),
  ])

  const gaps = gapRows.map((g, i) => ({
    id: `${g.parent_code}-g${i + 1}`,
    parentCode: g.parent_code,
    missingLevel: g.parent_level + 1,
    kind: gapKind(g),
    areaM2: round1(g.area_m2),
    neighbourCodes: g.neighbour_codes ?? [],
    bbox: g.bbox,
    point: g.point,
    allowed: g.allowed_gap_id !== null ? { id: g.allowed_gap_id, reason: g.allowed_reason } : null,
    geometry: JSON.parse(g.geometry) as unknown,
  }))
  const defectGaps = gaps.filter((g) => g.allowed === null)
  // open flags in gaps or vacant cells, each linked to the gap holding it
  const flags = await unownedFlagsSection(db, scope, gaps)
  const overlaps = overlapRows.map((o, i) => ({
    id: `${o.parent_code}-o${i + 1}`,
    parentCode: o.parent_code,
    level: o.level,
    cellCodes: o.cell_codes,
    areaM2: round1(o.area_m2),
    bbox: o.bbox,
    point: o.point,
    geometry: JSON.parse(o.geometry) as unknown,
  }))

  const staffingOf = (status: string) => staffingRows.filter((s) => s.status === status).map((s) => ({ code: s.code, name: s.name, level: s.level }))
  const expiring = staffingRows
    .filter((s) => s.status !== 'vacant' && (s.soon_status === 'vacant' || (s.status === 'staffed' && s.soon_status !== 'staffed')))
    .map((s) => ({ code: s.code, name: s.name, level: s.level, endsOn: s.next_end }))

  // Per level: cells and staffing, and the gap/overlap area where that level fails to tile its parents.
  const levels = [...new Set(staffingRows.map((s) => s.level))].sort((a, b) => a - b).map((level) => {
    const atLevel = staffingRows.filter((s) => s.level === level)
    return {
      level,
      cells: atLevel.length,
      staffed: atLevel.filter((s) => s.status === 'staffed').length,
      understaffed: atLevel.filter((s) => s.status === 'understaffed').length,
      vacant: atLevel.filter((s) => s.status === 'vacant').length,
      gaps: defectGaps.filter((g) => g.missingLevel === level).length,
      gapAreaM2: round1(defectGaps.filter((g) => g.missingLevel === level).reduce((a, g) => a + g.areaM2, 0)),
      overlapAreaM2: round1(overlaps.filter((x) => x.level === level).reduce((a, x) => a + x.areaM2, 0)),
    }
  })

  // The children to rank: the scope cell's children, or for a region its single top cell's children.
  const topCells = staffingRows.filter((s) => (scope.kind === 'cell' ? s.id === scope.cellId : s.level === Math.min(...staffingRows.map((r) => r.level))))
  const childRows = await coverage.childSummaries(db, topCells.map((c) => c.id), o.at)
  const gapAreaUnder = (code: string) => defectGaps.filter((g) => g.parentCode.startsWith(code)).reduce((a, g) => a + g.areaM2, 0)
  const overlapAreaUnder = (code: string) => overlaps.filter((x) => x.parentCode.startsWith(code)).reduce((a, x) => a + x.areaM2, 0)
  const children = childRows
    .map((c) => {
      const gapArea = gapAreaUnder(c.code)
      return {
        code: c.code,
        name: c.name,
        level: c.level,
        areaM2: round1(c.area_m2),
        coveredPct: c.area_m2 > 0 ? Math.max(0, Math.min(100, (100 * (c.area_m2 - gapArea)) / c.area_m2)) : 100,
        gapAreaM2: round1(gapArea),
        overlapAreaM2: round1(overlapAreaUnder(c.code)),
        cells: c.cells,
        vacantCells: c.vacant,
        understaffedCells: c.understaffed,
        parcels: c.parcels ?? {},
      }
    })
    .sort((a, b) => a.coveredPct - b.coveredPct || a.code.localeCompare(b.code))

  const gapArea = defectGaps.reduce((a, g) => a + g.areaM2, 0)
  const overlapArea = overlaps.reduce((a, x) => a + x.areaM2, 0)
  const byStatus = (s: string) => parcelRows.filter((p) => p.status === s)
  const parcelItem = (p: coverage.ParcelIssueRow) => ({
    id: p.id,
    externalId: p.external_id,
    cellCode: p.cell_code,
    accountableCode: p.accountable_code,
    areaM2: round1(p.parcel_area_m2),
    uncoveredAreaM2: round1(p.uncovered_area_m2),
    point: p.point,
  })
  return {
    scope: { kind: scope.kind, code: area.code, name: area.name, level: area.level },
    at: o.at,
    thresholds: { sliverM2: o.sliverM2, minGapM2: o.minGapM2, expiringSoonDays: o.expiringSoonDays },
    summary: {
      areaM2: round1(area.area_m2),
      // the area of the finest tiling that no leaf covers, relative to the whole scope
      coveredPct: area.area_m2 > 0 ? (100 * (area.area_m2 - gapArea)) / area.area_m2 : 100,
      gaps: defectGaps.length,
      gapAreaM2: round1(gapArea),
      allowedGaps: gaps.length - defectGaps.length,
      overlaps: overlaps.length,
      overlapAreaM2: round1(overlapArea),
      spills: spillRows.length,
      multipartCells: multipart.length,
      vacantCells: staffingOf('vacant').length,
      understaffedCells: staffingOf('understaffed').length,
      expiringCells: expiring.length,
      parcels: parcelCounts,
    },
    levels,
    children,
    gaps: defectGaps,
    allowedGaps: gaps.filter((g) => g.allowed !== null),
    overlaps,
    spills: spillRows.map((s) => ({ code: s.code, parentCode: s.parent_code, areaM2: round1(s.area_m2), point: s.point })),
    multipartCells: multipart,
    staffing: { vacant: staffingOf('vacant'), understaffed: staffingOf('understaffed'), expiring },
    parcels: { unowned: byStatus('unowned').map(parcelItem), straddling: byStatus('straddling').map(parcelItem), inherited: byStatus('inherited').map(parcelItem) },
    flags,
  }
}

export type CoverageReport = Awaited<ReturnType<typeof coverageReport>>
