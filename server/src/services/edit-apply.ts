// Running an edit's steps inside its transaction (boundary-edit.service.ts), then checking the state they
// leave against the rules every cell follows: some area left, inside its parent, no overlap with its
// siblings (or the siblings trimmed, when asked), its children still inside it.
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import * as edits from '../db/repositories/edits.repository.js'
import { round1 } from './edit-diff.js'
import { violated, type Step } from './edit-plan.js'

type Tx = Transaction<DB>
export type CellState = Awaited<ReturnType<typeof edits.cellState>>

export interface AppliedSteps {
  /** cells the steps created */
  created: number[]
  /** cells whose boundary the steps wrote */
  touched: Set<number>
  retired: number[]
  /** responsibilities ended because their cell was retired */
  ended: number[]
}

export async function applySteps(tx: Tx, steps: Step[], now: () => Date, today: string): Promise<AppliedSteps> {
  const applied: AppliedSteps = { created: [], touched: new Set(), retired: [], ended: [] }
  const { created, touched, retired, ended } = applied
  for (const step of steps) {
    switch (step.do) {
      case 'set':
        await edits.setBoundary(tx, step.cellId, step.geojson, step.clip)
        touched.add(step.cellId)
        break
      case 'create': {
        const code = await edits.nextChildCode(tx, step.parentId)
        const id = await edits.insertCell(tx, {
          regionId: step.regionId,
          parentId: step.parentId,
          code,
          name: step.name,
          level: step.level,
          geojson: step.geojson,
          clipToParent: step.clip,
        })
        created.push(id)
        touched.add(id)
        break
      }
      case 'retire':
        await edits.retireCell(tx, step.cellId, now())
        ended.push(...(await edits.endDutiesOf(tx, step.cellId, today)))
        retired.push(step.cellId)
        break
      case 'unretire':
        await edits.unretireCell(tx, step.cellId)
        break
      case 'union':
        await edits.unionInto(tx, step.cellId, step.geojson)
        touched.add(step.cellId)
        break
      case 'subtract':
        await edits.subtract(tx, step.cellId, step.geojson)
        touched.add(step.cellId)
        break
      case 'revert':
        await edits.revertToVersion(tx, step.cellId, step.versionRowId)
        touched.add(step.cellId)
        break
    }
  }
  return applied
}

/**
 * Validates every touched cell (422 naming the rule, the cell and the place) and trims the siblings it
 * overlaps when `trimSiblings` allows it. Answers the trimmed siblings with their state before trimming.
 */
export async function validateTouched(
  tx: Tx,
  touched: Set<number>,
  trimSiblings: boolean,
  sliverM2: number,
): Promise<Map<number, CellState>> {
  const trimmed = new Map<number, CellState>()
  for (const cellId of touched) {
    const state = (await edits.cellState(tx, cellId))!
    if (await edits.isEmptyOrNotPolygonal(tx, cellId)) {
      throw violated('empty_cell', `cell ${state.code} would have no area left`, { cell: state.code })
    }
    const spill = await edits.spillOutsideParent(tx, cellId)
    if (spill.area_m2 > sliverM2) {
      throw violated(
        'outside_parent',
        `cell ${state.code} would extend ${round1(spill.area_m2)} m² outside its parent (ask for clipToParent to clip it)`,
        {
          cell: state.code,
          areaM2: round1(spill.area_m2),
          location: spill.point,
        },
      )
    }
    const overlapping = (await edits.siblingOverlaps(tx, cellId)).filter((o) => o.area_m2 > sliverM2)
    if (overlapping.length > 0) {
      // cells changed by this same edit are never trimmed to make room
      if (!trimSiblings || overlapping.some((o) => touched.has(o.id))) {
        throw violated(
          'overlaps_siblings',
          `cell ${state.code} would overlap ${overlapping.map((o) => `${o.code} by ${round1(o.area_m2)} m²`).join(', ')} (ask for trimSiblings to trim them)`,
          {
            cell: state.code,
            overlaps: overlapping.map((o) => ({ code: o.code, areaM2: round1(o.area_m2), location: o.point })),
          },
        )
      }
      for (const o of overlapping) if (!trimmed.has(o.id)) trimmed.set(o.id, await edits.cellState(tx, o.id))
      await edits.trimSiblings(
        tx,
        cellId,
        overlapping.map((o) => o.id),
      )
    }
    const outside = await edits.childrenOutside(tx, cellId)
    const significant = outside.filter((c) => c.area_m2 > sliverM2)
    if (significant.length > 0) {
      throw violated(
        'children_outside',
        `cell ${state.code} would no longer contain its children ${significant.map((c) => c.code).join(', ')}`,
        {
          cell: state.code,
          children: significant.map((c) => ({ code: c.code, areaM2: round1(c.area_m2) })),
        },
      )
    }
  }
  for (const id of trimmed.keys()) {
    if (await edits.isEmptyOrNotPolygonal(tx, id)) {
      throw violated('empty_cell', `trimming would leave cell ${trimmed.get(id)!.code} with no area`, {
        cell: trimmed.get(id)!.code,
      })
    }
  }
  return trimmed
}
