// Shortfall periods (the days a cell was vacant or understaffed) for many cells at once: three
// queries (cells, their existence, their duties) and a sweep over change points per cell, so a
// county-year costs the same few queries as a single day.
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { ShortfallPeriod } from '../../contract/continuity.js'
import {
  cellExistence,
  continuityCells,
  dutiesOverlapping,
  type ContinuityCellRow,
  type DutyRow,
} from './repository.js'
import { shortfallRuns, type DayRange } from './periods.js'

type Executor = Kysely<DB> | Transaction<DB>

export type { ShortfallPeriod }

export interface CellShortfalls {
  cell: ContinuityCellRow
  /** whether the cell existed on at least one day of the range */
  existed: boolean
  periods: ShortfallPeriod[]
  duties: DutyRow[]
}

/** Days a cell existed, by the rule of repository.cellExistence; a cell without history: unless retired. */
function existenceOf(cell: ContinuityCellRow, rows: DayRange[]): DayRange[] {
  if (cell.has_versions) return rows
  return cell.retired ? [] : [{ from: '1900-01-01', to: null }]
}

/**
 * Shortfall periods of every cell in `cellIds` and below (null = every cell), for [from, to] inclusive.
 * Only days on which a cell existed count.
 */
export async function shortfallsOfCells(
  db: Executor,
  q: { from: string; to: string; cellIds?: number[] | null },
): Promise<CellShortfalls[]> {
  const cells = await continuityCells(db, q.cellIds ?? null)
  const ids = cells.map((c) => c.id)
  const [existence, duties] = await Promise.all([
    cellExistence(db, ids, q.from, q.to),
    dutiesOverlapping(db, ids, q.from, q.to),
  ])
  const livedBy = groupBy(existence, (e) => e.cell_id)
  const dutiesBy = groupBy(duties, (d) => d.cell_id)
  return cells.map((cell) => {
    const lived = existenceOf(
      cell,
      (livedBy.get(cell.id) ?? [])
        .filter((e) => e.last_day === null || e.last_day >= e.first_day)
        .map((e) => ({ from: e.first_day, to: e.last_day })),
    )
    const cellDuties = dutiesBy.get(cell.id) ?? []
    const runs = shortfallRuns(
      { chiefsRequired: cell.chiefs_required, membersRequired: cell.members_required },
      cellDuties.map((d) => ({ role: d.role, startsOn: d.starts_on, endsOn: d.ends_on })),
      lived,
      q.from,
      q.to,
    )
    return {
      cell,
      existed: lived.some((e) => e.from <= q.to && (e.to === null || e.to >= q.from)),
      duties: cellDuties,
      periods: runs.map((r) => ({
        cellId: cell.id,
        cellCode: cell.code,
        cellName: cell.name,
        cellNameEn: cell.name_en,
        level: cell.level,
        townshipCode: cell.township_code,
        ...r,
        open: r.to === q.to,
      })),
    }
  })
}

export interface TownshipShortfall {
  code: string
  name: string
  nameEn: string | null
  vacantDays: number
  understaffedDays: number
  /** cells of the township (itself and below) that existed on at least one day of the range */
  cells: number
  periods: ShortfallPeriod[]
}

/**
 * Vacant and understaffed cell-days per township (a level-2 cell, with every cell below it) over
 * [from, to] inclusive, with the periods they come from. Every township asked for (or every township
 * that existed in the range) has an entry, zero when fully staffed.
 */
export async function shortfallDaysByTownship(
  db: Executor,
  q: { from: string; to: string; townshipCellIds?: number[] },
): Promise<Map<number, TownshipShortfall>> {
  const all = await shortfallsOfCells(db, { from: q.from, to: q.to, cellIds: q.townshipCellIds ?? null })
  const out = new Map<number, TownshipShortfall>()
  const wanted = q.townshipCellIds ? new Set(q.townshipCellIds) : null
  for (const c of all) {
    if (c.cell.level === 2 && (wanted ? wanted.has(c.cell.id) : c.existed))
      out.set(c.cell.id, {
        code: c.cell.code,
        name: c.cell.name,
        nameEn: c.cell.name_en,
        vacantDays: 0,
        understaffedDays: 0,
        cells: 0,
        periods: [],
      })
  }
  for (const c of all) {
    const t = c.cell.township_id === null ? undefined : out.get(c.cell.township_id)
    if (!t) continue
    if (c.existed) t.cells++
    for (const p of c.periods) {
      if (p.kind === 'vacant') t.vacantDays += p.days
      else t.understaffedDays += p.days
      t.periods.push(p)
    }
  }
  return out
}

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>()
  for (const r of rows) {
    const list = m.get(key(r))
    if (list) list.push(r)
    else m.set(key(r), [r])
  }
  return m
}
