// The bell for ledgers: a returned entry notifies every unit officer of its unit (its head's and its
// liaisons' accounts) and nobody else, once per return; an unsubmitted entry due within one working day
// is a reminder for its unit's officers. October's entries are due at the end of the 5th working day of
// November: Friday 6 November, 18:00 (Shanghai).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { TestApp } from '../helpers/app.js'
import { ledgerApp, loopWorld, sh, type LoopWorld, type Officer } from '../helpers/loop-world.js'

let t: TestApp
let w: LoopWorld

beforeAll(async () => {
  t = await ledgerApp()
  t.clock.now = sh('2026-11-03', '10:00')
  w = await loopWorld(t, ['2026-09', '2026-10'])
})
afterAll(async () => t.close())

const get = async (who: Officer, url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: who.headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
const post = async (who: Officer, url: string, payload: unknown) => {
  const res = await t.app.inject({ method: 'POST', url, headers: who.headers, payload: payload as object })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
const kinds = async (who: Officer) =>
  (await get(who, '/api/notifications')).items.map((n: any) => `${n.kind} ${n.subject.type}:${n.subject.id}`)

describe('a ledger entry returned', () => {
  it("notifies its unit's officers (head and liaisons), not the reviewer or another unit; again on a second return", async () => {
    const id = w.entry('A', '2026-10')
    await post(w.officerA, `/api/ledgers/${id}/submit`, { version: 1 })
    t.clock.now = sh('2026-11-03', '11:00')
    await post(w.reviewer, `/api/ledgers/${id}/return`, { version: 2, reason: '缺少照片' })
    const expected = {
      kind: 'ledger_returned',
      key: `ledger_returned:ledger_entry:${id}:v3`,
      subject: { type: 'ledger_entry', id },
      payload: { measureCode: 'AIR-1', measureTitle: '扬尘点位检查', month: '2026-10', reason: '缺少照片' },
      createdAt: sh('2026-11-03', '11:00').toISOString(),
      readAt: null,
    }
    for (const who of [w.officerA, w.officerA2, w.dual, w.headA])
      expect((await get(who, '/api/notifications')).items).toEqual([expect.objectContaining(expected)])
    for (const who of [w.officerB, w.reviewer, w.reviewer2, w.admin, w.viewer]) expect(await kinds(who)).toEqual([])

    // submitted again and returned again: a second event (version 5), one more notification each
    await post(w.officerA2, `/api/ledgers/${id}/submit`, { version: 3 })
    await post(w.reviewer2, `/api/ledgers/${id}/return`, { version: 4, reason: '数据不符' })
    expect(await kinds(w.officerA)).toEqual([
      `ledger_returned ledger_entry:${id}`,
      `ledger_returned ledger_entry:${id}`,
    ])
    const n = await sql<{
      n: number
    }>`SELECT count(*)::int AS n FROM notifications WHERE kind = 'ledger_returned'`.execute(t.database.db)
    // 4 officers × 2 returns
    expect(n.rows[0]!.n).toBe(8)
  })
})

describe('ledger deadlines within a working day', () => {
  it('Thursday 17:00 is more than a working day before Friday 18:00; Thursday 18:00 is exactly one', async () => {
    const a = w.entry('A', '2026-10')
    const b = w.entry('B', '2026-10')
    // Thursday 17:00 + 7.5 working hours = 1 h Thursday, 3.5 h + 3 h Friday → Friday 17:00
    t.clock.now = sh('2026-11-05', '17:00')
    expect((await get(w.officerA, '/api/notifications/summary')).byKind.deadline_soon).toBe(0)
    // Thursday 18:00 (after hours) + 7.5 working hours = Friday 18:00: A's October entry (returned, so
    // still to hand in) is due within it; September's (due 7 October) is overdue, not "soon"
    t.clock.now = sh('2026-11-05', '18:00')
    const list = await get(w.officerA, '/api/notifications?unread=true')
    expect(list.items.filter((n: any) => n.kind === 'deadline_soon')).toEqual([
      {
        id: null,
        key: `deadline_soon:ledger_entry:${a}:ledger@${sh('2026-11-06', '18:00').toISOString()}`,
        kind: 'deadline_soon',
        reminder: true,
        subject: { type: 'ledger_entry', id: a },
        payload: {
          limit: 'ledger',
          dueAt: sh('2026-11-06', '18:00').toISOString(),
          measureCode: 'AIR-1',
          measureTitle: '扬尘点位检查',
          month: '2026-10',
        },
        createdAt: sh('2026-11-05', '18:00').toISOString(),
        readAt: null,
      },
    ])
    expect((await get(w.officerB, '/api/notifications')).items.map((n: any) => n.subject.id)).toEqual([b])
    // only unit officers file ledgers: the reviewer (lead unit, no entries of its own) and an admin get none
    expect((await get(w.reviewer, '/api/notifications')).items).toEqual([])
    expect((await get(w.admin, '/api/notifications')).items).toEqual([])

    // handed in: no longer a reminder for B
    await post(w.officerB, `/api/ledgers/${b}/submit`, { version: 1 })
    expect((await get(w.officerB, '/api/notifications')).items).toEqual([])
  })
})
