import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'

// Vacant and understaffed cell-days of each township in a month, with the periods they came from, from
// duty continuity (features/continuity: shortfallDaysByTownship).

export interface TownshipShortfall {
  vacantDays: number
  understaffedDays: number
  periods: {
    cellCode: string
    from: string
    to: string
    kind: 'vacant' | 'understaffed'
    missingChiefs: number
    missingMembers: number
  }[]
}

export type ShortfallSource = (
  db: Kysely<DB>,
  from: string,
  to: string,
  townshipCellIds: number[],
) => Promise<Map<number, TownshipShortfall>>

/** Until duty continuity lands: no shortfalls known. */
export const townshipShortfalls: ShortfallSource = async () => new Map()
