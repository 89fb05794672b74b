import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import * as coverage from '../db/repositories/coverage.repository.js'
import { findCell } from '../db/repositories/cells.repository.js'
import { findRegionByCode } from '../db/repositories/regions.repository.js'
import { badRequest, notFound } from '../errors.js'
import { addDays } from './dates.js'
import { unownedFlagsSection } from '../features/flags/coverage.js'
import { objectIssuesSection } from '../features/objects/coverage.js'
import type { ParcelCounts, Polygon } from '../contract/common.js'

export interface CoverageOptions {
  at: string
  /** list only the unowned flags routed or escalated to these cells (a supervisor's own); absent = all */
  flagCellIds?: number[]
  sliverM2: number
  minGapM2: number
  expiringSoonDays: number
  parcelLimit: number
}

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * Covered share in percent with two decimals, rounded down: every consumer (API, CLI, web) shows the
 * same figure, and land with any gap never shows as 100 % (at most 99.99).
 */
export function coveredPercent(areaM2: number, gapAreaM2: number): number {
  if (areaM2 <= 0 || gapAreaM2 <= 0) return 100
  // the epsilon keeps an exact 99.99 (float 9998.999…) from dropping to 99.98
  const pct = Math.floor((10_000 * (areaM2 - gapAreaM2)) / areaM2 + 1e-6) / 100
  return Math.max(0, Math.min(99.99, pct))
}

function gapKind(g: coverage.GapRow): 'hole' | 'between' | 'edge' {
  if (g.at_parent_edge) return 'edge'
  return (g.neighbour_codes?.length ?? 0) <= 1 ? 'hole' : 'between'
}

export async function resolveScope(
  db: Kysely<DB>,
  by: { region?: string; cell?: string },
): Promise<coverage.CoverageScope> {
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
  const [area, gapRows, overlapRows, spillRows, multipart, staffingRows, parcelRows, parcelCounts, childRows] =
    await Promise.all([
      coverage.scopeArea(db, scope),
      // every gap and overlap above the sliver tolerance counts; minGapM2 only limits which are listed
      coverage.gaps(db, scope, o.sliverM2, 0),
      coverage.overlaps(db, scope, o.sliverM2, 0),
      coverage.spills(db, scope, o.sliverM2),
      coverage.multipartCells(db, scope),
      coverage.staffing(db, scope, o.at, soon),
      coverage.parcelIssues(db, scope, o.at, o.parcelLimit),
      coverage.parcelStatusCountsIn(db, scope, o.at),
      coverage.childSummaries(db, scope, o.at),
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
    geometry: JSON.parse(g.geometry) as Polygon,
  }))
  const defectGaps = gaps.filter((g) => g.allowed === null)
  // open flags in gaps or vacant cells, each linked to the gap holding it
  const flags = await unownedFlagsSection(db, scope, gaps, o.flagCellIds)
  const objects = await objectIssuesSection(db, scope, o.at, o.parcelLimit)
  const overlaps = overlapRows.map((o, i) => ({
    id: `${o.parent_code}-o${i + 1}`,
    parentCode: o.parent_code,
    level: o.level,
    cellCodes: o.cell_codes,
    areaM2: round1(o.area_m2),
    bbox: o.bbox,
    point: o.point,
    geometry: JSON.parse(o.geometry) as Polygon,
  }))

  const staffingOf = (status: string) =>
    staffingRows.filter((s) => s.status === status).map((s) => ({ code: s.code, name: s.name, level: s.level }))
  const expiring = staffingRows
    .filter(
      (s) =>
        s.status !== 'vacant' &&
        (s.soon_status === 'vacant' || (s.status === 'staffed' && s.soon_status !== 'staffed')),
    )
    .map((s) => ({ code: s.code, name: s.name, level: s.level, endsOn: s.next_end }))

  // Per level: cells and staffing, and the gap/overlap area where that level fails to tile its parents.
  const levels = [...new Set(staffingRows.map((s) => s.level))]
    .sort((a, b) => a - b)
    .map((level) => {
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

  // The scope's direct children (a region's top-level cells, a cell's child cells), each row covering
  // all the land under the child: the gaps and overlaps of the child and of every cell below it. Gaps
  // between the children themselves (and overlaps of two children) belong to no row: `outsideChildren`.
  const childOfParent = new Map<string, string>()
  for (const c of childRows) for (const id of c.subtree_ids) childOfParent.set(`cell:${id}`, c.code)
  const parentKeyOf = new Map(gapRows.map((g, i) => [gaps[i]!, g.parent_key]))
  const overlapKeyOf = new Map(overlapRows.map((x, i) => [overlaps[i]!, x.parent_key]))
  const gapsUnder = (code: string | undefined) =>
    defectGaps.filter((g) => childOfParent.get(parentKeyOf.get(g)!) === code)
  const overlapsUnder = (code: string | undefined) =>
    overlaps.filter((x) => childOfParent.get(overlapKeyOf.get(x)!) === code)
  const sumArea = (items: { areaM2: number }[]) => round1(items.reduce((a, x) => a + x.areaM2, 0))
  const children = childRows
    .map((c) => {
      const gapArea = sumArea(gapsUnder(c.code))
      return {
        code: c.code,
        name: c.name,
        level: c.level,
        areaM2: round1(c.area_m2),
        coveredAreaM2: round1(Math.max(0, c.area_m2 - gapArea)),
        coveredPct: coveredPercent(c.area_m2, gapArea),
        gapAreaM2: gapArea,
        overlapAreaM2: sumArea(overlapsUnder(c.code)),
        cells: c.cells,
        vacantCells: c.vacant,
        understaffedCells: c.understaffed,
        parcels: (c.parcels ?? {}) as ParcelCounts,
      }
    })
    .sort((a, b) => a.coveredPct - b.coveredPct || b.gapAreaM2 - a.gapAreaM2 || a.code.localeCompare(b.code))
  const gapsOutside = gapsUnder(undefined)
  const overlapsOutside = overlapsUnder(undefined)
  const outsideChildren = {
    gaps: gapsOutside.length,
    gapAreaM2: sumArea(gapsOutside),
    overlaps: overlapsOutside.length,
    overlapAreaM2: sumArea(overlapsOutside),
  }

  const listed = (x: { areaM2: number }) => x.areaM2 >= o.minGapM2
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
      // the scope's area less every gap (at any level) above the sliver tolerance, whatever minGapM2 lists
      coveredAreaM2: round1(Math.max(0, area.area_m2 - gapArea)),
      coveredPct: coveredPercent(area.area_m2, gapArea),
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
      parcels: parcelCounts as ParcelCounts,
    },
    levels,
    children,
    outsideChildren,
    // listed: those at least minGapM2 big (the summary counts them all)
    gaps: defectGaps.filter(listed),
    allowedGaps: gaps.filter((g) => g.allowed !== null && listed(g)),
    overlaps: overlaps.filter(listed),
    spills: spillRows.map((s) => ({
      code: s.code,
      parentCode: s.parent_code,
      areaM2: round1(s.area_m2),
      point: s.point,
    })),
    multipartCells: multipart,
    staffing: { vacant: staffingOf('vacant'), understaffed: staffingOf('understaffed'), expiring },
    parcels: {
      unowned: byStatus('unowned').map(parcelItem),
      straddling: byStatus('straddling').map(parcelItem),
      inherited: byStatus('inherited').map(parcelItem),
    },
    objects,
    flags,
  }
}

export type CoverageReport = Awaited<ReturnType<typeof coverageReport>>
