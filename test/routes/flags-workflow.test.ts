// The flag workflow over HTTP: every action from every state a flag can rest in, four-eyes, comments,
// optimistic concurrency, who may act, supervisor scoping and the inbox.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.js'
import {
  counts,
  flagApi,
  flagsWorld,
  GIF,
  JPEG,
  multipart,
  point,
  POINTS,
  sh,
  type FlagBody,
  type FlagsWorld,
  type Headers,
} from './flags.helpers.js'

let t: TestApp
let w: FlagsWorld
let api: ReturnType<typeof flagApi>
const NOW = sh('2026-11-30', '10:00')

beforeAll(async () => {
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760', SIGNIN_RATE_PER_MINUTE: '100000' } })
  t.clock.now = NOW
  w = await flagsWorld(t, '2026-11-29')
  api = flagApi(t)
})
afterAll(async () => t.close())
beforeEach(() => {
  t.clock.now = NOW
})

type Resting = 'reported' | 'rejected' | 'dispatched' | 'in_progress' | 'feedback' | 'closed'
const ACTIONS = ['register', 'reject', 'acknowledge', 'feedback', 'verify', 'return', 'reopen'] as const
type Action = (typeof ACTIONS)[number]

/** A flag in C01001 driven to `state` by the usual people (feedback by the village supervisor). */
async function flagIn(state: Resting, at: readonly number[] = POINTS.village): Promise<FlagBody> {
  let f = await api.reportOk(w.inspector, { category: 'dust', geometry: point(at) })
  if (state === 'reported') return f
  if (state === 'rejected') return api.actOk(w.admin, f.id, 'reject', { reason: 'not our business' })
  f = await api.actOk(w.admin, f.id, 'register')
  if (state === 'dispatched') return f
  f = await api.actOk(w.supV1, f.id, 'acknowledge')
  if (state === 'in_progress') return f
  f = await api.actOk(w.supV1, f.id, 'feedback', { note: 'cleaned up' })
  if (state === 'feedback') return f
  return api.actOk(w.inspector2, f.id, 'verify')
}

const actorFor = (action: Action): Headers =>
  ({
    register: w.admin,
    reject: w.admin,
    acknowledge: w.supV1,
    feedback: w.supV1,
    verify: w.inspector2,
    return: w.inspector2,
    reopen: w.inspector2,
  })[action]
const bodyFor = (action: Action, version: number) =>
  action === 'reject'
    ? { version, reason: 'r' }
    : action === 'feedback'
      ? { version, note: 'n' }
      : action === 'return' || action === 'reopen'
        ? { version, comment: 'c' }
        : { version }

const LEGAL: Record<Resting, Partial<Record<Action, string>>> = {
  reported: { register: 'dispatched', reject: 'rejected' },
  rejected: {},
  dispatched: { acknowledge: 'in_progress' },
  in_progress: { feedback: 'feedback' },
  feedback: { verify: 'closed', return: 'in_progress' },
  closed: { reopen: 'in_progress' },
}
const CASES = (Object.keys(LEGAL) as Resting[]).flatMap((state) =>
  ACTIONS.map((action) => [state, action, LEGAL[state][action] ?? null] as const),
)

describe('POST /api/flags/:id/<action>: every action from every resting state', () => {
  it.each(CASES)('%s --%s--> %s', async (state, action, to) => {
    const flag = await flagIn(state)
    const before = await counts(t.database.db)
    const res = await api.act(actorFor(action), flag.id, action, bodyFor(action, flag.version))
    if (to === null) {
      expect(res.statusCode, res.body).toBe(409)
      const error = res.json().error
      expect(error.code).toBe('illegal_transition')
      expect(error.details).toMatchObject({ state, action })
      expect(error.details.allowed).toEqual(Object.keys(LEGAL[state]))
      expect(await counts(t.database.db)).toEqual(before)
    } else {
      expect(res.statusCode, res.body).toBe(200)
      const after = res.json() as FlagBody
      expect(after.state).toBe(to)
      expect(after.version).toBe(flag.version + (action === 'register' ? 2 : 1))
      const last = after.timeline.at(-1)!
      expect(last.toState).toBe(to)
      const written = await counts(t.database.db)
      // register writes two events (register, dispatch) and two audit rows
      const steps = action === 'register' ? 2 : 1
      expect(written.events).toBe(before.events + steps)
      expect(written.audit).toBe(before.audit + steps)
    }
  })
})

describe('the whole journey', () => {
  it('report → register/dispatch → acknowledge → feedback with a photo (multipart) → verify, each step recorded with who, when and why', async () => {
    const reported = await api.reportOk(w.inspector, {
      category: 'dumping',
      geometry: point([113.002, 35.008]),
      description: '路边垃圾',
    })
    const dispatched = await api.actOk(w.admin, reported.id, 'register', { comment: '属实' })
    expect(dispatched.ackDueAt).toBe(sh('2026-11-30', '11:00').toISOString())
    expect(dispatched.completeDueAt).toBe(sh('2026-11-30', '16:00').toISOString())
    t.clock.now = sh('2026-11-30', '10:20')
    const acknowledged = await api.actOk(w.supV1, reported.id, 'acknowledge')
    t.clock.now = sh('2026-11-30', '14:10')
    const form = multipart({ version: String(acknowledged.version), note: '已清运' }, [
      { filename: 'after.jpg', type: 'image/jpeg', data: JPEG },
    ])
    const fb = await t.app.inject({
      method: 'POST',
      url: `/api/flags/${reported.id}/feedback`,
      headers: { ...w.supV1, 'content-type': form.contentType },
      payload: form.payload,
    })
    expect(fb.statusCode, fb.body).toBe(200)
    t.clock.now = sh('2026-11-30', '16:00')
    const closed = await api.actOk(w.inspector2, reported.id, 'verify', { comment: '现场已清理' })
    expect(closed).toMatchObject({ state: 'closed', allowedActions: ['reopen'] })
    const body = closed as FlagBody & { closedAt: string; completedAt: string; feedbackAt: string }
    expect(body.closedAt).toBe(sh('2026-11-30', '16:00').toISOString())
    expect(body.completedAt).toBe(sh('2026-11-30', '14:10').toISOString())
    expect(closed.timeline.map((e) => [e.action, e.toState, e.comment])).toEqual([
      ['report', 'reported', '路边垃圾'],
      ['register', 'registered', '属实'],
      ['dispatch', 'dispatched', null],
      ['acknowledge', 'in_progress', null],
      ['feedback', 'feedback', '已清运'],
      ['verify', 'closed', '现场已清理'],
    ])
    const feedback = closed.timeline.find((e) => e.action === 'feedback')!
    expect(feedback.photoIds).toHaveLength(1)
    expect(feedback.actor.login).toMatch(/^supervisor-/)
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_login', 'at'])
      .where('entity_type', '=', 'flag')
      .where('entity_id', '=', String(reported.id))
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['create', 'register', 'dispatch', 'acknowledge', 'feedback', 'verify'])
    expect(audit.every((a) => a.actor_login !== null)).toBe(true)
  })

  it('returned and reopened: back to in_progress each time, with the comment; closedAt cleared by the reopening', async () => {
    const f = await flagIn('feedback')
    const returned = await api.actOk(w.inspector2, f.id, 'return', { comment: '还有残留' })
    expect(returned.state).toBe('in_progress')
    await api.actOk(w.supV1, f.id, 'feedback', { note: '已彻底清理' })
    await api.actOk(w.inspector, f.id, 'verify')
    const reopened = await api.actOk(w.inspector2, f.id, 'reopen', { comment: '又有人倾倒' })
    expect(reopened).toMatchObject({ state: 'in_progress' })
    expect((reopened as FlagBody & { closedAt: string | null }).closedAt).toBeNull()
    expect(reopened.timeline.filter((e) => ['return', 'reopen'].includes(e.action)).map((e) => e.comment)).toEqual([
      '还有残留',
      '又有人倾倒',
    ])
  })
})

describe('four-eyes', () => {
  it('whoever gave the feedback cannot verify, return or reopen it (403 four_eyes); someone else can', async () => {
    let f = await flagIn('in_progress')
    f = await api.actOk(w.admin, f.id, 'feedback', { note: 'done by the officer himself' })
    const before = await counts(t.database.db)
    for (const [action, body] of [
      ['verify', {}],
      ['return', { comment: 'no' }],
    ] as const) {
      const res = await api.act(w.admin, f.id, action, { version: f.version, ...body })
      expect(res.statusCode).toBe(403)
      expect(res.json().error.code).toBe('four_eyes')
    }
    expect(await counts(t.database.db)).toEqual(before)
    f = await api.actOk(w.admin2, f.id, 'verify')
    const reopen = await api.act(w.admin, f.id, 'reopen', { version: f.version, comment: 'mine to reopen?' })
    expect(reopen.statusCode).toBe(403)
    expect(reopen.json().error.code).toBe('four_eyes')
    expect((await api.act(w.inspector, f.id, 'reopen', { version: f.version, comment: 'not done' })).statusCode).toBe(
      200,
    )
  })
})

describe('comments, versions and roles', () => {
  it.each([
    ['reject without a reason', 'reported', 'reject', {}, '"reason"'],
    ['reject with a blank reason', 'reported', 'reject', { reason: '   ' }, '"reason"'],
    ['feedback without a note', 'in_progress', 'feedback', {}, '"note"'],
    ['return without a comment', 'feedback', 'return', {}, '"comment"'],
    ['reopen with an empty comment', 'closed', 'reopen', { comment: '' }, '"comment"'],
    ['no version', 'dispatched', 'acknowledge', { version: undefined }, '"version"'],
  ] as const)('%s → 400 naming it; nothing written', async (_name, state, action, extra, text) => {
    const f = await flagIn(state)
    const before = await counts(t.database.db)
    const res = await api.act(actorFor(action), f.id, action, { version: f.version, ...extra })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toContain(text)
    expect(await counts(t.database.db)).toEqual(before)
  })

  it('a stale version → 409 stale_version with the current state and version; nothing written', async () => {
    const f = await flagIn('dispatched')
    await api.actOk(w.supV1, f.id, 'acknowledge')
    const before = await counts(t.database.db)
    const res = await api.act(w.admin, f.id, 'acknowledge', { version: f.version })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({
      code: 'stale_version',
      details: { state: 'in_progress', version: f.version + 1 },
    })
    expect(await counts(t.database.db)).toEqual(before)
  })

  it('unknown flag → 404', async () => {
    expect((await api.act(w.admin, 999999, 'register', { version: 1 })).statusCode).toBe(404)
  })

  it('roles: inspectors cannot register or acknowledge, supervisors cannot register or verify, viewers nothing', async () => {
    const reported = await flagIn('reported')
    const feedback = await flagIn('feedback')
    const dispatched = await flagIn('dispatched')
    const before = await counts(t.database.db)
    const tries: [Headers, FlagBody, Action][] = [
      [w.inspector, reported, 'register'],
      [w.supV1, reported, 'register'],
      [w.supV1, reported, 'reject'],
      [w.inspector, dispatched, 'acknowledge'],
      [w.viewer, dispatched, 'acknowledge'],
      [w.supV1, feedback, 'verify'],
      [w.viewer, feedback, 'verify'],
    ]
    for (const [h, f, action] of tries) {
      const res = await api.act(h, f.id, action, bodyFor(action, f.version))
      expect(res.statusCode, `${action}`).toBe(403)
    }
    expect(await counts(t.database.db)).toEqual(before)
  })

  it('feedback with a photo that is not an image → 415; nothing written', async () => {
    const f = await flagIn('in_progress')
    const before = await counts(t.database.db)
    const res = await api.act(w.supV1, f.id, 'feedback', {
      version: f.version,
      note: 'done',
      photos: [{ data: GIF.toString('base64') }],
    })
    expect(res.statusCode).toBe(415)
    expect(await counts(t.database.db)).toEqual(before)
    expect((await api.get(w.admin, f.id)).state).toBe('in_progress')
  })
})

describe('supervisor scope', () => {
  it('acknowledge/feedback: the village supervisor and the township above may; a neighbouring village or township may not', async () => {
    const f = await flagIn('dispatched')
    const before = await counts(t.database.db)
    for (const h of [w.supV2, w.supT2]) {
      const res = await api.act(h, f.id, 'acknowledge', { version: f.version })
      expect(res.statusCode).toBe(403)
      expect(res.json().error.code).toBe('forbidden')
    }
    expect(await counts(t.database.db)).toEqual(before)
    expect((await api.act(w.supT1, f.id, 'acknowledge', { version: f.version })).statusCode).toBe(200)
    const g = await flagIn('in_progress')
    expect((await api.act(w.supV2, g.id, 'feedback', { version: g.version, note: 'x' })).statusCode).toBe(403)
    expect(
      (await api.act(w.supCounty, g.id, 'feedback', { version: g.version, note: 'county did it' })).statusCode,
    ).toBe(200)
  })

  it('GET /api/flags/:id and its photos: own cells only', async () => {
    const f = await api.reportOk(w.inspector, {
      category: 'dust',
      geometry: point([113.0035, 35.0035]),
      photos: [{ data: JPEG.toString('base64') }],
    })
    await api.actOk(w.admin, f.id, 'register')
    const photo = (await api.get(w.admin, f.id)).photos[0]!
    for (const [h, status] of [
      [w.supV1, 200],
      [w.supT1, 200],
      [w.supV2, 403],
      [w.supT2, 403],
    ] as const) {
      expect((await api.inject('GET', `/api/flags/${f.id}`, h)).statusCode).toBe(status)
      expect((await api.inject('GET', photo.url, h)).statusCode).toBe(status)
    }
  })

  it('a flag dispatched to a township by the fallback rule: the township supervisor may act, the village supervisors may not', async () => {
    const f = await flagIn('reported', POINTS.vacant)
    const d = await api.actOk(w.admin, f.id, 'register')
    expect(d.routing.accountableCellCode).toBe('C01')
    expect((await api.act(w.supV1, f.id, 'acknowledge', { version: d.version })).statusCode).toBe(403)
    expect((await api.act(w.supT1, f.id, 'acknowledge', { version: d.version })).statusCode).toBe(200)
  })
})

describe('GET /api/flags/inbox', () => {
  it("a supervisor's flags for their cells with counts by state; a neighbour's flags are not there", async () => {
    const fresh = await testApp({ env: { SESSION_TTL_HOURS: '8760', SIGNIN_RATE_PER_MINUTE: '100000' } })
    try {
      fresh.clock.now = NOW
      const world = await flagsWorld(fresh, '2026-11-29')
      const a = flagApi(fresh)
      const make = async (at: readonly number[], steps: ('register' | 'acknowledge' | 'feedback')[]) => {
        const f = await a.reportOk(world.inspector, { category: 'other', geometry: point(at) })
        for (const step of steps)
          await a.actOk(
            step === 'register' ? world.admin : world.supT1,
            f.id,
            step,
            step === 'feedback' ? { note: 'n' } : {},
          )
        return f.id
      }
      const v1a = await make([113.001, 35.001], ['register'])
      const v1b = await make([113.003, 35.001], ['register', 'acknowledge'])
      const v1c = await make([113.005, 35.001], ['register', 'acknowledge', 'feedback'])
      const v1reported = await make([113.007, 35.001], [])
      const v2 = await make([113.015, 35.001], ['register'])
      const mine = await a.inject('GET', '/api/flags/inbox', world.supV1)
      expect(mine.statusCode, mine.body).toBe(200)
      const body = mine.json() as {
        counts: Record<string, number>
        overdue: number
        total: number
        flags: { id: number }[]
      }
      expect(body.counts).toEqual({ dispatched: 1, in_progress: 1, feedback: 1, closed: 0 })
      expect(body.flags.map((f) => f.id).sort()).toEqual([v1a, v1b, v1c].sort())
      expect(body.flags.map((f) => f.id)).not.toContain(v1reported)
      expect(body.flags.map((f) => f.id)).not.toContain(v2)
      const township = (await a.inject('GET', '/api/flags/inbox?state=dispatched', world.supT1)).json() as typeof body
      expect(township.flags.map((f) => f.id).sort()).toEqual([v1a, v2].sort())
      expect(township.counts.dispatched).toBe(2)
      expect((await a.inject('GET', '/api/flags/inbox', world.supT2)).json().total).toBe(0)
      expect((await a.inject('GET', '/api/flags/inbox', world.admin)).statusCode).toBe(403)
    } finally {
      await fresh.close()
    }
  })
})
