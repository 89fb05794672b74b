// Patrol completion and coverage for a month: per leaf cell, visits made on schedule against the
// visits required, parcels near a track, and the defects — objects behind schedule, cells nobody walked.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { findRegionByCode } from '../../db/repositories/regions.repository.js'
import { findCell } from '../../db/repositories/cells.repository.js'
import { badRequest, notFound } from '../../errors.js'
import type { PatrolCompletion } from '../../contract/patrols.js'
import { behindSchedule, cellFigures, type CellFiguresRow, type CompletionScope } from './repository-completion.js'

/** A parcel counts as patrolled when a track of the month passes within this many metres of it. */
export const COVERAGE_DISTANCE_M = 100

/** An object behind schedule as the API answers it. */
const missedObject = (o: Awaited<ReturnType<typeof behindSchedule>>[number]) => ({
  objectId: o.id,
  code: o.code,
  name: o.name,
  cellCode: o.cell_code,
  requiredVisits: o.required,
  visitsMade: o.made,
})

const pct = (part: number, whole: number) => (whole === 0 ? null : Math.round((1000 * part) / whole) / 10)

export async function patrolCompletion(
  db: Kysely<DB>,
  q: { month: string; region?: string; cell?: string },
  timeZone: string,
): Promise<PatrolCompletion> {
  if ((q.region === undefined) === (q.cell === undefined))
    throw badRequest('invalid_request', 'give exactly one of the query parameters "region" or "cell"')
  let scope: CompletionScope
  if (q.region !== undefined) {
    const region = await findRegionByCode(db, q.region)
    if (!region) throw notFound('region', q.region)
    scope = { kind: 'region', regionId: region.id }
  } else {
    const cell = await findCell(db, { code: q.cell! })
    if (!cell || cell.retired_at) throw notFound('cell', q.cell!)
    scope = { kind: 'cell', cellId: cell.id }
  }
  const [cells, behind] = await Promise.all([
    cellFigures(db, scope, q.month, timeZone, COVERAGE_DISTANCE_M),
    behindSchedule(db, scope, q.month, timeZone),
  ])
  return {
    month: q.month,
    scope: { kind: scope.kind, code: (q.region ?? q.cell)! },
    coverageDistanceM: COVERAGE_DISTANCE_M,
    cells: cells.map((c) => ({
      code: c.code,
      name: c.name,
      objects: c.objects,
      requiredVisits: c.required,
      visitsMade: c.made,
      completionPct: pct(c.made, c.required),
      objectsOnSchedule: c.on_schedule,
      patrols: c.patrols,
      parcels: c.parcels,
      parcelsCovered: c.covered,
      coveragePct: pct(c.covered, c.parcels),
    })),
    missed: behind.map(missedObject),
    cellsWithoutPatrol: cells.filter((c) => c.patrols === 0).map((c) => c.code),
  }
}

/** Accepted objects under any of these cells visited less often than required in the month, each once. */
export async function objectsBehindInCells(db: Kysely<DB>, cellIds: number[], month: string, timeZone: string) {
  const seen = new Map<number, Awaited<ReturnType<typeof behindSchedule>>[number]>()
  for (const cellId of cellIds)
    for (const o of await behindSchedule(db, { kind: 'cell', cellId }, month, timeZone)) seen.set(o.id, o)
  return [...seen.values()]
    .sort((a, b) => a.cell_code.localeCompare(b.cell_code) || a.code.localeCompare(b.code))
    .map(missedObject)
}

export type PatrolCellFigures = Pick<CellFiguresRow, 'code' | 'objects' | 'required' | 'made'>

/**
 * The month's patrol figures of each township's leaf cells (the assessment's patrol completion), only
 * cells with something required: a township scores on the visits its objects needed.
 */
export async function townshipPatrolFigures(
  db: Kysely<DB>,
  townshipCellIds: number[],
  month: string,
  timeZone: string,
): Promise<Map<number, PatrolCellFigures[]>> {
  const out = new Map<number, PatrolCellFigures[]>()
  for (const cellId of townshipCellIds) {
    const cells = await cellFigures(db, { kind: 'cell', cellId }, month, timeZone, COVERAGE_DISTANCE_M)
    out.set(
      cellId,
      cells
        .filter((c) => c.required > 0)
        .map((c) => ({ code: c.code, objects: c.objects, required: c.required, made: c.made })),
    )
  }
  return out
}
