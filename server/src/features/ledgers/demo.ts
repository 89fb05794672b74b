// The demo's ledger contents: for every entry of a month before "today"'s month, a story chosen by a
// hash of (measure, unit, month) — so the same demo every time, and no randomness — told as the entry's
// versions would have told it. Past-due months: most entries accepted on time, some submitted late,
// some returned with a reason (half of them fixed and accepted), some saved but never submitted and
// some never touched (both overdue). A month whose deadline is still ahead: about half submitted and
// awaiting review, the rest drafts. Every timestamp is at or before `now`. Entries already touched
// (version > 1) are left alone, so loading twice changes nothing.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { insertAudit, SYSTEM_ACTOR, type Actor } from '../../db/repositories/audit.repository.js'
import type { EntryChange, EntryProgress, EntryState, NewVersion } from './repository.js'
import {
  officerAccountsByUnit,
  untouchedEntriesBefore,
  writeDemoOutcome,
  type DemoEntryRow,
} from './repository-demo.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

export const DEMO_RETURN_REASONS = [
  '佐证材料不全，请补充现场照片',
  '完成数量与检查记录不一致，请核实',
  '缺少责任人签字的检查记录',
  '进度描述不具体，请写明点位和日期',
]

/** FNV-1a, 32 bits: a stable number from a text. */
export function demoHash(text: string): number {
  let h = 0x811c9dc5
  for (const ch of Buffer.from(text, 'utf8')) {
    h ^= ch
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

export type DemoStory = 'on_time' | 'late' | 'returned_fixed' | 'returned' | 'draft' | 'missing' | 'submitted'

/** The story of an entry: past due (by `now`) or not, and its hash bucket (0..99). */
export function demoStory(bucket: number, pastDue: boolean): DemoStory {
  if (!pastDue) return bucket < 50 ? 'submitted' : bucket < 80 ? 'draft' : 'missing'
  if (bucket < 66) return 'on_time'
  if (bucket < 76) return 'late'
  if (bucket < 84) return 'returned_fixed'
  if (bucket < 90) return 'returned'
  if (bucket < 95) return 'draft'
  return 'missing'
}

export interface DemoLedgerReport {
  entries: number
  stories: Record<DemoStory, number>
}

interface Account {
  id: number | null
  login: string
}

export async function fillDemoLedgers(
  db: Kysely<DB>,
  now: Date,
  actor: Actor = SYSTEM_ACTOR,
): Promise<DemoLedgerReport> {
  const thisMonth = `${now.toISOString().slice(0, 7)}-01`
  const entries = await untouchedEntriesBefore(db, thisMonth)
  const officers = await officerAccountsByUnit(db)
  const anonymous = (unitCode: string): Account => ({ id: null, login: `demo:${unitCode}` })
  const stories: Record<DemoStory, number> = {
    on_time: 0,
    late: 0,
    returned_fixed: 0,
    returned: 0,
    draft: 0,
    missing: 0,
    submitted: 0,
  }
  await db.transaction().execute(async (tx) => {
    for (const e of entries) {
      const key = `${e.measure_code}|${e.unit_code}|${e.month.slice(0, 7)}`
      const h = demoHash(key)
      const dueAt = new Date(e.due_at)
      const story = demoStory(h % 100, dueAt.getTime() < now.getTime())
      stories[story]++
      if (story === 'missing') continue
      const officer = officers.get(e.unit_id) ?? anonymous(e.unit_code)
      const lead = officers.get(e.lead_unit_id)
      // four eyes: a reviewer never reviews their own submission, and a lead unit's own entries are
      // reviewed by the county office
      const reviewer =
        lead && lead.id !== officer.id && e.unit_id !== e.lead_unit_id ? lead : { id: null, login: 'demo:reviewer' }
      const plan = storyline(e, story, h, dueAt, now, officer, reviewer)
      await writeDemoOutcome(tx, e.id, plan.change, plan.versions)
    }
    await insertAudit(tx, {
      actor,
      action: 'demo_ledgers',
      entityType: 'ledger_entry',
      entityId: null,
      after: { before: thisMonth, entries: entries.length, stories },
    })
  })
  return { entries: entries.length, stories }
}

/** The versions of one entry's story, and the entry as it ends. */
function storyline(
  e: DemoEntryRow,
  story: Exclude<DemoStory, 'missing'>,
  h: number,
  dueAt: Date,
  now: Date,
  officer: Account,
  reviewer: Account,
) {
  const planned = clamp(e, e.planned_value ?? Math.round(Number(e.target_value) / 12))
  const partial = clamp(e, Math.round(planned * 0.6))
  const what = e.milestone || '本月工作'
  const monthEnd = new Date(nextMonthMs(e.month) - HOUR)
  const versions: NewVersion[] = []
  let version = 1
  let state: EntryState = 'draft'
  let progress: EntryProgress = 'not_started'
  let doneValue: number | null = null
  let doneText = ''
  const change: EntryChange = {}
  const step = (
    action: NewVersion['action'],
    at: Date,
    who: Account,
    set: { state?: EntryState; progress?: EntryProgress; value?: number; text?: string; reason?: string },
  ) => {
    version++
    state = set.state ?? state
    progress = set.progress ?? progress
    if (set.value !== undefined) doneValue = set.value
    if (set.text !== undefined) doneText = set.text
    versions.push({
      entryId: e.id,
      version,
      action,
      at: new Date(Math.min(at.getTime(), now.getTime())),
      actorId: who.id,
      actorLogin: who.login,
      state,
      progress,
      doneValue,
      doneText,
      reason: set.reason ?? null,
    })
    return versions.at(-1)!.at
  }
  const submit = (at: Date) => {
    const when = step('submit', at, officer, { state: 'submitted' })
    Object.assign(change, { submitted_at: when, submitted_by: officer.id, return_reason: null })
  }
  const review = (action: 'accept' | 'return', at: Date, reason?: string) => {
    const when = step(action, at, reviewer, { state: action === 'accept' ? 'accepted' : 'returned', reason })
    Object.assign(change, { reviewed_at: when, reviewed_by: reviewer.id, return_reason: reason ?? null })
  }
  const early = (days: number) => new Date(dueAt.getTime() - days * DAY)
  const late = (days: number) => new Date(dueAt.getTime() + days * DAY)
  switch (story) {
    case 'on_time': {
      const saved = early(2 + (h % 3))
      step('save', saved, officer, {
        progress: h % 7 === 0 ? 'on_track' : 'done',
        value: planned,
        text: `${what}：已按计划完成`,
      })
      submit(new Date(saved.getTime() + 2 * HOUR))
      review('accept', new Date(saved.getTime() + DAY))
      break
    }
    case 'late': {
      const saved = late(1 + (h % 4))
      step('save', saved, officer, { progress: 'late', value: planned, text: `${what}：延期完成` })
      submit(new Date(saved.getTime() + 2 * HOUR))
      review('accept', new Date(saved.getTime() + DAY))
      break
    }
    case 'returned_fixed':
    case 'returned': {
      const reason = DEMO_RETURN_REASONS[h % DEMO_RETURN_REASONS.length]!
      step('save', early(3), officer, { progress: 'on_track', value: partial, text: `${what}：正在推进` })
      submit(new Date(early(3).getTime() + 2 * HOUR))
      review('return', early(2), reason)
      if (story === 'returned_fixed') {
        step('save', late(1), officer, { progress: 'done', value: planned, text: `${what}：已补充材料，按计划完成` })
        submit(new Date(late(1).getTime() + 2 * HOUR))
        review('accept', late(2))
      }
      break
    }
    case 'draft':
      step('save', new Date(Math.min(early(5).getTime(), midpoint(monthEnd, now))), officer, {
        progress: 'on_track',
        value: partial,
        text: `${what}：正在推进`,
      })
      break
    case 'submitted': {
      const at = new Date(midpoint(monthEnd, now))
      step('save', at, officer, { progress: 'done', value: planned, text: `${what}：已按计划完成` })
      submit(new Date(at.getTime() + HOUR))
      break
    }
  }
  const last = versions.at(-1)!
  return {
    change: {
      ...change,
      state,
      progress,
      done_value: doneValue,
      done_text: doneText,
      version,
      updated_at: last.at,
    },
    versions,
  }
}

const midpoint = (a: Date, b: Date) => a.getTime() + Math.max(0, b.getTime() - a.getTime()) / 2

function nextMonthMs(month: string): number {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))]
  return Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1)
}

function clamp(e: DemoEntryRow, value: number): number {
  let v = value
  if (e.min_value !== null && v < Number(e.min_value)) v = Number(e.min_value)
  if (e.max_value !== null && v > Number(e.max_value)) v = Number(e.max_value)
  return v
}
