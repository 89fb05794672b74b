// Vacant and understaffed cell-days of each township in a month, with the periods they came from, from
// duty continuity (features/continuity: shortfallDaysByTownship). A source is passed in so a caller may
// substitute its own; the default is continuity's.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { shortfallDaysByTownship, type TownshipShortfall } from '../continuity/service.js'

export type { TownshipShortfall }

export type ShortfallSource = (
  db: Kysely<DB>,
  from: string,
  to: string,
  townshipCellIds: number[],
) => Promise<Map<number, TownshipShortfall>>

export const townshipShortfalls: ShortfallSource = (db, from, to, townshipCellIds) =>
  shortfallDaysByTownship(db, { from, to, townshipCellIds })
