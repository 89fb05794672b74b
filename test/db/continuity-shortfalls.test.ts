// Duty continuity against the engine: on a hand-built world, the shortfall periods and township
// vacancy-days computed from change points equal what cell_staffing_of says when asked day by day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../server/src/db/schema.js'
import { testDatabase } from '../helpers/database.js'
import { box, factories } from '../helpers/factories.js'
import { insertCells } from '../../server/src/db/repositories/cells.repository.js'
import { recordCellVersions } from '../../server/src/db/repositories/cell-versions.repository.js'
import { addDays } from '../../server/src/services/dates.js'
import {
  shortfallDaysByTownship,
  shortfallsOfCells,
  type ShortfallPeriod,
} from '../../server/src/features/continuity/service.js'

const FROM = '2025-12-20'
const TO = '2026-03-20'

let db: Kysely<DB>
let close: () => Promise<void>
/** the rule each cell is held to, written down by hand from the world below */
const rule = new Map<number, { chiefs: number; members: number }>()
const townshipOf = new Map<number, number>()
let t1: number
let t2: number

beforeAll(async () => {
  const opened = await testDatabase('empty')
  db = opened.database.db
  close = opened.close
  const f = factories(db)
  const region = await f.region('C', box(113, 35, 113.1, 35.1))
  const cell = async (code: string, level: number, parentCode: string | null, x: number) =>
    (
      await f.cell({
        regionId: region.id,
        code,
        level,
        parentCode,
        geometry: box(113 + x * 0.001, 35, 113 + x * 0.001 + 0.001, 35.001),
      })
    ).id
  const person = async (name: string) => (await f.person(name)).id
  const duty = async (
    cellId: number,
    role: 'grid_chief' | 'grid_member' | 'specialist',
    startsOn = '2020-01-01',
    endsOn: string | null = null,
  ) => f.duty({ personId: await person(`p${cellId}-${role}-${startsOn}`), cellId, role, startsOn, endsOn })

  const county = await cell('C', 1, null, 0)
  rule.set(county, { chiefs: 1, members: 0 })
  await duty(county, 'grid_chief')
  t1 = await cell('C01', 2, 'C', 1)
  t2 = await cell('C02', 2, 'C', 2)
  for (const t of [t1, t2]) rule.set(t, { chiefs: 1, members: 0 })
  townshipOf.set(t1, t1)
  townshipOf.set(t2, t2)
  await duty(t1, 'grid_chief')
  // T2: its only chief leaves on 2026-03-01, nobody else: vacant from 03-02
  await duty(t2, 'grid_chief', '2020-01-01', '2026-03-01')
  await duty(t2, 'specialist', '2020-01-01', '2026-03-01')

  const village = async (code: string, parent: number, x: number, leaf = true) => {
    const id = await cell(code, 3, parent === t1 ? 'C01' : 'C02', x)
    rule.set(id, { chiefs: 1, members: leaf ? 1 : 0 })
    townshipOf.set(id, parent)
    return id
  }
  // V1: chief A until 01-10, chief B from 02-01; a member throughout → understaffed (no chief) 01-11..01-31
  const v1 = await village('C01001', t1, 3, false)
  await duty(v1, 'grid_chief', '2020-01-01', '2026-01-10')
  await duty(v1, 'grid_chief', '2026-02-01')
  await duty(v1, 'grid_member')
  // V1's own child at level 4, held to a rule of 0 chiefs and 2 members by staffing_rules
  await sql`INSERT INTO staffing_rules (level, chiefs_required, members_required) VALUES (4, 0, 2)`.execute(db)
  const v1a = await cell('C01001001', 4, 'C01001', 4)
  rule.set(v1a, { chiefs: 0, members: 2 })
  townshipOf.set(v1a, t1)
  await duty(v1a, 'grid_member')
  await duty(v1a, 'grid_member', '2026-01-05', '2026-02-14')
  // V2: members hand over without a gap (01-05 / 01-06): staffed throughout
  const v2 = await village('C01002', t1, 5)
  await duty(v2, 'grid_chief')
  await duty(v2, 'grid_member', '2020-01-01', '2026-01-05')
  await duty(v2, 'grid_member', '2026-01-06')
  // V3: nobody until 01-14, a specialist alone 01-15..01-31, then chief and member
  const v3 = await village('C01003', t1, 6)
  await duty(v3, 'specialist', '2026-01-15', '2026-01-31')
  await duty(v3, 'grid_chief', '2026-02-01')
  await duty(v3, 'grid_member', '2026-02-01')
  // V4: a second chief 02-10..02-20 (too many chiefs), and the member leaves 02-15..02-17
  const v4 = await village('C01004', t1, 7)
  await duty(v4, 'grid_chief')
  await duty(v4, 'grid_chief', '2026-02-10', '2026-02-20')
  await duty(v4, 'grid_member', '2020-01-01', '2026-02-14')
  await duty(v4, 'grid_member', '2026-02-18')
  // V5: created at 10:00 on 2026-01-20 (it does not exist before), vacant until 02-05
  const [v5row] = await insertCells(db, [
    {
      regionId: region.id,
      code: 'C02001',
      name: 'V5',
      nameEn: null,
      level: 3,
      parentCode: 'C02',
      geojson: JSON.stringify(box(113.008, 35, 113.009, 35.001)),
    },
  ])
  const v5 = v5row!.id
  await recordCellVersions(db, [v5], '2026-01-20T10:00:00', 'test', 'created')
  rule.set(v5, { chiefs: 1, members: 1 })
  townshipOf.set(v5, t2)
  await duty(v5, 'grid_chief', '2026-02-06')
  await duty(v5, 'grid_member', '2026-02-06')
  // V6: vacant since 2026-01-01, retired at noon on 2026-02-15: the last day it exists is 02-14
  const v6 = await village('C02002', t2, 9)
  await duty(v6, 'grid_chief', '2020-01-01', '2025-12-31')
  await duty(v6, 'grid_member', '2020-01-01', '2025-12-31')
  await sql`UPDATE grid_cells SET retired_at = '2026-02-15T12:00:00', version = version + 1 WHERE id = ${v6}`.execute(
    db,
  )
  await recordCellVersions(db, [v6], '2026-02-15T12:00:00', 'test', 'retired')
  // V7: no version history at all (counts while unretired); a chief only, from 2026-03-10 a member
  const [v7row] = await insertCells(db, [
    {
      regionId: region.id,
      code: 'C02003',
      name: 'V7',
      nameEn: null,
      level: 3,
      parentCode: 'C02',
      geojson: JSON.stringify(box(113.01, 35, 113.011, 35.001)),
    },
  ])
  const v7 = v7row!.id
  rule.set(v7, { chiefs: 1, members: 1 })
  townshipOf.set(v7, t2)
  await duty(v7, 'grid_chief')
  await duty(v7, 'grid_member', '2026-03-10')
})
afterAll(async () => close())

interface DayStatus {
  cellId: number
  day: string
  kind: 'vacant' | 'understaffed'
  missing: { chiefs: number; members: number }
  extraChiefs: number
}

/** The independent answer: cell_staffing_of asked once per day, with existence from cell_versions per day. */
async function dayByDay(from: string, to: string): Promise<DayStatus[]> {
  const out: DayStatus[] = []
  const ids = [...rule.keys()]
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const { rows } = await sql<{ cell_id: number; status: string; chiefs: number; members: number; exists: boolean }>`
      SELECT s.cell_id, s.status, s.chiefs, s.members,
             CASE WHEN EXISTS (SELECT 1 FROM cell_versions v WHERE v.cell_id = s.cell_id)
                  THEN EXISTS (SELECT 1 FROM cell_versions v
                               WHERE v.cell_id = s.cell_id AND NOT v.retired
                                 AND v.valid_from < (${day}::date + 1)::timestamptz
                                 AND (v.valid_to IS NULL OR v.valid_to >= (${day}::date + 1)::timestamptz))
                  ELSE (SELECT retired_at IS NULL FROM grid_cells WHERE id = s.cell_id) END AS exists
      FROM cell_staffing_of(${ids}::int[], ${day}::date) s`.execute(db)
    for (const r of rows) {
      if (!r.exists || r.status === 'staffed') continue
      const want = rule.get(r.cell_id)!
      out.push({
        cellId: r.cell_id,
        day,
        kind: r.status as 'vacant' | 'understaffed',
        missing: { chiefs: Math.max(0, want.chiefs - r.chiefs), members: Math.max(0, want.members - r.members) },
        extraChiefs: Math.max(0, r.chiefs - want.chiefs),
      })
    }
  }
  return out
}

/** Days covered by the computed periods, expanded one by one. */
function expand(periods: ShortfallPeriod[]): DayStatus[] {
  const out: DayStatus[] = []
  for (const p of periods) {
    for (let day = p.from; day <= p.to; day = addDays(day, 1))
      out.push({ cellId: p.cellId, day, kind: p.kind, missing: p.missing, extraChiefs: p.extraChiefs })
  }
  return out
}

const byCellDay = (a: DayStatus, b: DayStatus) => a.cellId - b.cellId || a.day.localeCompare(b.day)
const same = (a: DayStatus, b: DayStatus) =>
  a.kind === b.kind &&
  a.missing.chiefs === b.missing.chiefs &&
  a.missing.members === b.missing.members &&
  a.extraChiefs === b.extraChiefs

describe('shortfall periods', () => {
  it('cover exactly the days cell_staffing_of finds vacant or understaffed, day by day', async () => {
    const periods = (await shortfallsOfCells(db, { from: FROM, to: TO })).flatMap((c) => c.periods)
    const expected = (await dayByDay(FROM, TO)).sort(byCellDay)
    expect(expand(periods).sort(byCellDay)).toEqual(expected)
    // the world was built to have shortfalls of both kinds in both townships
    expect(new Set(expected.map((d) => d.kind))).toEqual(new Set(['vacant', 'understaffed']))
    expect(expected.length).toBeGreaterThan(100)
  })

  it('are maximal runs: no two periods of a cell touch with the same kind and the same thing missing', async () => {
    const periods = (await shortfallsOfCells(db, { from: FROM, to: TO })).flatMap((c) => c.periods)
    for (const p of periods) {
      expect(p.days).toBe(expand([p]).length)
      const next = periods.find((q) => q.cellId === p.cellId && q.from === addDays(p.to, 1))
      if (next) expect(same(expand([p])[0]!, expand([next])[0]!)).toBe(false)
    }
    // and each day-by-day run boundary is a period boundary
    const days = (await dayByDay(FROM, TO)).sort(byCellDay)
    let runs = 0
    days.forEach((d, i) => {
      const prev = days[i - 1]
      if (!prev || prev.cellId !== d.cellId || addDays(prev.day, 1) !== d.day || !same(prev, d)) runs++
    })
    expect(periods.length).toBe(runs)
  })

  it('agree on a range that starts and ends inside periods', async () => {
    const from = '2026-01-13'
    const to = '2026-02-12'
    const periods = (await shortfallsOfCells(db, { from, to })).flatMap((c) => c.periods)
    expect(expand(periods).sort(byCellDay)).toEqual((await dayByDay(from, to)).sort(byCellDay))
    expect(periods.every((p) => p.from >= from && p.to <= to)).toBe(true)
  })
})

describe('shortfallDaysByTownship', () => {
  it('sums vacant and understaffed cell-days per township as cell_staffing_of counts them', async () => {
    const got = await shortfallDaysByTownship(db, { from: FROM, to: TO })
    const days = await dayByDay(FROM, TO)
    for (const t of [t1, t2]) {
      const mine = days.filter((d) => townshipOf.get(d.cellId) === t)
      expect(got.get(t), `township ${t}`).toMatchObject({
        vacantDays: mine.filter((d) => d.kind === 'vacant').length,
        understaffedDays: mine.filter((d) => d.kind === 'understaffed').length,
      })
      expect(expand(got.get(t)!.periods).sort(byCellDay)).toEqual(mine.sort(byCellDay))
    }
    expect([...got.keys()].sort()).toEqual([t1, t2].sort())
  })

  it('answers only the townships asked for', async () => {
    const got = await shortfallDaysByTownship(db, { from: '2026-03-11', to: '2026-03-20', townshipCellIds: [t1] })
    expect([...got.keys()]).toEqual([t1])
    // in T1 only the level-4 cell is short then: one of its two members left on 02-14
    expect(got.get(t1)).toMatchObject({ vacantDays: 0, understaffedDays: 10, cells: 6 })
    expect(got.get(t1)!.periods).toMatchObject([
      { cellCode: 'C01001001', from: '2026-03-11', to: '2026-03-20', missing: { chiefs: 0, members: 1 }, open: true },
    ])
    const t2only = await shortfallDaysByTownship(db, { from: '2026-03-11', to: '2026-03-20', townshipCellIds: [t2] })
    // T2 itself vacant from 03-02: 10 days of the range; its villages are staffed by then
    expect(t2only.get(t2)).toMatchObject({ vacantDays: 10, understaffedDays: 0, cells: 3 })
  })
})
