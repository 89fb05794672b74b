// What an edit changed, for the answer: the coverage defects (gaps, overlaps) under the parents it
// touches before and after, paired by place, and the parcels whose accountable cell or people changed.
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import type { AccountableState, AreaDiff, AreaPiece, ParcelChange } from '../contract/edits.js'
import * as edits from '../db/repositories/edits.repository.js'
import { gaps as gapRows, overlaps as overlapRows } from '../db/repositories/coverage.repository.js'
import { findCell } from '../db/repositories/cells.repository.js'

type Tx = Transaction<DB>

export const round1 = (n: number) => Math.round(n * 10) / 10

export async function codesOf(tx: Tx, ids: number[]) {
  const codes: string[] = []
  for (const id of ids) {
    const c = await findCell(tx, { id })
    if (c) codes.push(c.code)
  }
  return codes
}

export interface Defect extends AreaPiece {
  geometry: string
}

export async function defects(tx: Tx, parentIds: number[], sliverM2: number) {
  const gaps: Defect[] = []
  const overlaps: Defect[] = []
  for (const parentId of parentIds) {
    const scope = { kind: 'cell' as const, cellId: parentId }
    const parentKey = `cell:${parentId}`
    for (const g of await gapRows(tx, scope, sliverM2, 0)) {
      if (g.parent_key === parentKey)
        gaps.push({
          areaM2: round1(g.area_m2),
          point: g.point,
          cellCodes: g.neighbour_codes ?? [],
          geometry: g.geometry,
        })
    }
    for (const o of await overlapRows(tx, scope, sliverM2, 0)) {
      if (o.parent_key === parentKey)
        overlaps.push({ areaM2: round1(o.area_m2), point: o.point, cellCodes: o.cell_codes, geometry: o.geometry })
    }
  }
  return { gaps, overlaps }
}

const piece = (d: Defect): AreaPiece => ({ areaM2: d.areaM2, point: d.point, cellCodes: d.cellCodes })

export async function diffAreas(tx: Tx, before: Defect[], after: Defect[]): Promise<AreaDiff> {
  const pairs = await edits.overlappingPairs(
    tx,
    before.map((d) => d.geometry),
    after.map((d) => d.geometry),
  )
  const diff: AreaDiff = { created: [], closed: [], changed: [] }
  before.forEach((b, i) => {
    const matches = pairs.filter(([bi]) => bi === i)
    if (matches.length === 0) diff.closed.push(piece(b))
    for (const [, j] of matches) {
      const a = after[j]!
      if (Math.abs(a.areaM2 - b.areaM2) > 0.5) diff.changed.push({ before: piece(b), after: piece(a) })
    }
  })
  after.forEach((a, j) => {
    if (!pairs.some(([, aj]) => aj === j)) diff.created.push(piece(a))
  })
  return diff
}

export function diffParcels(before: edits.AccountabilitySnapshotRow[], after: edits.AccountabilitySnapshotRow[]) {
  const state = (r: edits.AccountabilitySnapshotRow | undefined): AccountableState =>
    r
      ? { status: r.status, cellCode: r.cell_code, accountableCode: r.accountable_code, people: r.people ?? [] }
      : { status: 'unknown', cellCode: null, accountableCode: null, people: [] }
  const byId = new Map(before.map((r) => [r.id, r]))
  const changes: ParcelChange[] = []
  for (const a of after) {
    const from = state(byId.get(a.id))
    const to = state(a)
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ id: a.id, externalId: a.external_id, from, to })
  }
  return changes.sort((x, y) => x.externalId.localeCompare(y.externalId))
}
