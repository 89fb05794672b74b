// The flag services against a real database, as the CLI and the server's timer use them: escalation
// by the system actor, escalation past a vacant parent, the periodic timer, and the repositories'
// view of unowned flags for the coverage report.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { testDatabase } from '../helpers/database.js'
import { box, factories } from '../helpers/factories.js'
import type { Database } from '../../server/src/db/database.js'
import { loadConfig } from '../../server/src/config.js'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { unownedFlagsIn } from '../../server/src/features/flags/repository-figures.js'
import { createUser } from '../../server/src/services/auth.service.js'
import { escalateOverdue, startEscalationTimer } from '../../server/src/features/flags/escalation.js'
import { createFlag } from '../../server/src/features/flags/service.js'
import { flagDetail } from '../../server/src/features/flags/service-read.js'
import { transition } from '../../server/src/features/flags/service-transition.js'
import { flagSettings, type FlagUser } from '../../server/src/features/flags/settings.js'
import { OPEN_STATES } from '../../server/src/features/flags/workflow.js'

const sh = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`)
const settings = flagSettings(loadConfig({}))

let database: Database
let close: () => Promise<void>
let admin: FlagUser
let inspector: FlagUser
let regionId: number

beforeAll(async () => {
  ;({ database, close } = await testDatabase())
  const db = database.db
  const f = factories(db)
  // county C staffed; township T vacant; village V staffed
  const region = await f.region('E', box(113, 35, 113.02, 35.02))
  regionId = region.id
  const C = await f.cell({ regionId: region.id, code: 'E', level: 1, geometry: box(113, 35, 113.02, 35.02) })
  await f.cell({ regionId: region.id, code: 'E01', level: 2, parentCode: 'E', geometry: box(113, 35, 113.02, 35.02) })
  const V = await f.cell({
    regionId: region.id,
    code: 'E01001',
    level: 3,
    parentCode: 'E01',
    geometry: box(113, 35, 113.01, 35.01),
  })
  const chief = await f.person('县长')
  await f.duty({ personId: chief.id, cellId: C.id, role: 'grid_chief' })
  await f.staff(V.id, ['村长', '村员'])
  const a = await createUser(db, SYSTEM_ACTOR, {
    login: 'esc-admin',
    displayName: 'A',
    role: 'admin',
    password: 'long enough password',
  })
  const i = await createUser(db, SYSTEM_ACTOR, {
    login: 'esc-inspector',
    displayName: 'I',
    role: 'inspector',
    password: 'long enough password',
  })
  admin = { id: a.id, login: a.login, role: 'admin', personId: null }
  inspector = { id: i.id, login: i.login, role: 'inspector', personId: null }
})
afterAll(async () => close())

async function dispatched(lon: number, lat: number, at: Date) {
  const { id } = await createFlag(database.db, settings, at, inspector, {
    category: 'dumping',
    lon,
    lat,
    photos: [],
    confirmNotDuplicate: true,
  })
  await transition(database.db, settings, at, admin, id, 'register', { version: 1 })
  return id
}

describe('escalateOverdue (as `npm run cli -- flags escalate` runs it)', () => {
  it('past a vacant township to the county, recorded as the system', async () => {
    const id = await dispatched(113.005, 35.005, sh('2026-11-30', '09:00'))
    const r = await escalateOverdue(database.db, settings, sh('2026-11-30', '10:01'), SYSTEM_ACTOR)
    expect(r.escalated).toEqual([
      { flagId: id, limit: 'ack', fromCellCode: 'E01001', toCellCode: 'E', escalationLevel: 1, atTop: false },
    ])
    const detail = await flagDetail(database.db, id, sh('2026-11-30', '10:01'), true)
    expect(detail.escalatedTo).toEqual({ code: 'E', name: 'Cell E' })
    expect(detail.timeline.at(-1)).toMatchObject({ action: 'escalate', actor: { id: null, login: 'system' } })
    expect(detail.assignees.filter((x) => x.reason === 'escalation').map((x) => x.name)).toEqual(['县长'])
    const audit = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'flag')
      .where('action', '=', 'escalate')
      .execute()
    expect(audit).toMatchObject([{ actor_id: null, actor_login: 'system', entity_id: String(id) }])
  })

  it('nothing overdue: nothing escalated, nothing written', async () => {
    const before = await database.db
      .selectFrom('flag_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    expect((await escalateOverdue(database.db, settings, sh('2026-11-30', '10:02'), SYSTEM_ACTOR)).escalated).toEqual(
      [],
    )
    const after = await database.db
      .selectFrom('flag_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toEqual(before.n)
  })
})

describe('startEscalationTimer (the server process)', () => {
  it('0 minutes: off', () => {
    const spy = vi.spyOn(globalThis, 'setInterval')
    const stop = startEscalationTimer({
      db: database.db,
      settings,
      now: () => new Date(),
      minutes: 0,
      actor: SYSTEM_ACTOR,
      log: { info: () => {}, error: () => {} },
    })
    expect(spy).not.toHaveBeenCalled()
    stop()
    spy.mockRestore()
  })

  it('every N minutes it escalates what is overdue by the app clock', async () => {
    const id = await dispatched(113.006, 35.006, sh('2026-12-01', '09:00'))
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const lines: string[] = []
    try {
      const stop = startEscalationTimer({
        db: database.db,
        settings,
        now: () => sh('2026-12-01', '10:30'),
        minutes: 5,
        actor: SYSTEM_ACTOR,
        log: { info: (m) => lines.push(m), error: (_e, m) => lines.push(`error: ${m}`) },
      })
      vi.advanceTimersByTime(5 * 60_000)
      await vi.waitFor(() => expect(lines).toHaveLength(1), { timeout: 20_000 })
      stop()
    } finally {
      vi.useRealTimers()
    }
    expect(lines[0]).toContain(`#${id} ack → E`)
  })
})

describe('unownedFlagsIn (the coverage report)', () => {
  it('open flags in the gap of the township (no village there), with the gap parent', async () => {
    const { id } = await createFlag(database.db, settings, sh('2026-12-01', '09:00'), inspector, {
      category: 'other',
      lon: 113.015,
      lat: 35.015,
      photos: [],
    })
    const rows = await unownedFlagsIn(database.db, { kind: 'region', regionId }, OPEN_STATES)
    expect(rows.map((r) => [r.id, r.routing_rule, r.missing_level, r.gap_parent_code, r.accountable_code])).toEqual([
      [id, 'fallback_gap', 3, 'E01', 'E'],
    ])
  })
})
