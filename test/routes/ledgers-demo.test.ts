// The demo's ledger contents (features/ledgers/demo.ts) on the ledger test world: months before "today"
// filled, later ones untouched, every story told by consistent versions, nothing after "now", four
// eyes kept, and loading twice changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_RETURN_REASONS, fillDemoLedgers } from '../../server/src/features/ledgers/demo.js'
import type { TestApp } from '../helpers/app.js'
import { ledgerApp, loopWorld, sh, type LoopWorld } from '../helpers/loop-world.js'

const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)
// October's entries are due on Friday 6 November, 18:00: not yet past due "today"
const NOW = sh('2026-11-03', '10:00')

let t: TestApp
let w: LoopWorld
beforeAll(async () => {
  t = await ledgerApp()
  t.clock.now = NOW
  w = await loopWorld(t, MONTHS)
})
afterAll(async () => t.close())

describe('fillDemoLedgers', () => {
  it('tells a consistent story for every entry of the months before today, and leaves the rest', async () => {
    const report = await fillDemoLedgers(t.database.db, NOW)
    expect(report.entries).toBe(20) // 2 units × January..October
    const db = t.database.db
    const entries = await db.selectFrom('ledger_entries').selectAll().orderBy('id').execute()
    const versions = await db
      .selectFrom('ledger_entry_versions')
      .selectAll()
      .orderBy('entry_id')
      .orderBy('version')
      .execute()
    for (const e of entries) {
      const mine = versions.filter((v) => v.entry_id === e.id)
      expect(mine.map((v) => v.version)).toEqual(mine.map((_, i) => i + 1))
      const last = mine.at(-1)!
      expect([last.version, last.state]).toEqual([e.version, e.state])
      for (const v of mine) expect(new Date(v.at).getTime()).toBeLessThanOrEqual(NOW.getTime())
      if (e.month >= '2026-11-01') expect([e.version, e.state]).toEqual([1, 'draft'])
      if (e.submitted_by !== null && e.reviewed_by !== null) expect(e.submitted_by).not.toBe(e.reviewed_by)
      if (e.state === 'returned') expect(DEMO_RETURN_REASONS).toContain(e.return_reason)
      // a past-due month has nothing left awaiting review
      if (e.due_at.getTime() < NOW.getTime()) expect(e.state).not.toBe('submitted')
      if (e.done_value !== null) expect(Number(e.done_value)).toBeGreaterThanOrEqual(0)
    }
    // through the API: on time is what the version history says, computed here on its own: the entry
    // is handed in (its last submit or accept is not followed by a return) and its last submission is at
    // or before the deadline
    const onTimeByHistory = new Map<number, boolean>()
    for (const e of entries) {
      const mine = versions.filter((v) => v.entry_id === e.id && v.action !== 'save' && v.action !== 'escalate')
      const last = mine.at(-1)
      const lastSubmit = mine.filter((v) => v.action === 'submit').at(-1)
      const handedIn = last !== undefined && (last.action === 'submit' || last.action === 'accept')
      onTimeByHistory.set(e.id, handedIn && new Date(lastSubmit!.at).getTime() <= new Date(e.due_at).getTime())
    }
    const list = (
      await t.app.inject({ method: 'GET', url: '/api/ledgers?limit=1000', headers: w.viewer.headers })
    ).json()
    expect(list.entries).toHaveLength(entries.length)
    for (const e of list.entries) expect(e.onTime, `entry ${e.id}`).toBe(onTimeByHistory.get(e.id))
    // the demo tells both stories, so a wrong formula cannot pass by answering always the same
    const handedInLate = [...onTimeByHistory].filter(([id, onTime]) => {
      const e = entries.find((x) => x.id === id)!
      return !onTime && (e.state === 'accepted' || e.state === 'submitted')
    })
    expect([...onTimeByHistory.values()].filter(Boolean).length).toBeGreaterThan(0)
    expect(handedInLate.length).toBeGreaterThan(0)
    const states = new Set(list.entries.filter((e: any) => e.month < '2026-10').map((e: any) => e.state))
    expect(states.has('accepted')).toBe(true)
    // a second load finds nothing untouched before today's month
    expect((await fillDemoLedgers(t.database.db, NOW)).entries).toBe(report.stories.missing)
    const again = await db
      .selectFrom('ledger_entry_versions')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(again.n)).toBe(versions.length)
    console.log('demo stories:', JSON.stringify(report.stories))
  })
})
