// The rules the web app takes from the server instead of repeating them: each flag's allowedActions are
// the actions the requesting user may take on it now, and GET /api/map-config's flagRules follow the
// settings. The expected tables are written by hand from the README's workflow (reported → registered →
// dispatched → in progress → feedback → closed, with return, reject and reopen; four-eyes) and who does
// what: county officers (admin) register and reject, the supervisors of the flag's cell (or an admin)
// acknowledge and give feedback, inspectors (or an admin) verify, return and reopen; viewers only read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.js'
import { flagApi, flagsWorld, point, POINTS, sh, type FlagsWorld, type Headers } from './flags.helpers.js'

let t: TestApp
let w: FlagsWorld
let api: ReturnType<typeof flagApi>
/** a flag in each state the API can show, all in village C01001 (feedback given by its supervisor) */
const flagIn: Record<string, number> = {}
/** a flag whose feedback an admin gave (four-eyes) */
let adminFeedback: number

beforeAll(async () => {
  t = await testApp({
    env: {
      SESSION_TTL_HOURS: '8760',
      SIGNIN_RATE_PER_MINUTE: '100000',
      FLAG_PHOTO_MAX_BYTES: '4096',
      FLAG_PHOTO_MAX_COUNT: '3',
    },
  })
  t.clock.now = sh('2026-11-30', '10:00')
  w = await flagsWorld(t, '2026-11-29')
  api = flagApi(t)
  const report = async () =>
    (await api.reportOk(w.inspector, { category: 'dumping', geometry: point(POINTS.village) })).id
  const steps: [string, Headers, string, Record<string, unknown>][] = [
    ['register', w.admin, 'register', {}],
    ['acknowledge', w.supV1, 'acknowledge', {}],
    ['feedback', w.supV1, 'feedback', { note: '已处理' }],
    ['verify', w.inspector2, 'verify', {}],
  ]
  const states = ['reported', 'dispatched', 'in_progress', 'feedback', 'closed']
  for (const [i, state] of states.entries()) {
    const id = await report()
    for (const [, who, action, body] of steps.slice(0, i)) await api.actOk(who, id, action, body)
    flagIn[state] = id
  }
  flagIn.rejected = await report()
  await api.actOk(w.admin, flagIn.rejected, 'reject', { reason: '重复' })
  adminFeedback = await report()
  await api.actOk(w.admin, adminFeedback, 'register')
  await api.actOk(w.admin, adminFeedback, 'acknowledge')
  await api.actOk(w.admin, adminFeedback, 'feedback', { note: '管理员处理' })
})
afterAll(async () => t.close())

describe('allowedActions: what this user may do now', () => {
  // rows: the flag's state; columns: who asks (supV1 = the village's supervisor, supT1 = its township's)
  const TABLE: Record<string, Record<'admin' | 'inspector' | 'viewer' | 'supV1' | 'supT1', string[]>> = {
    reported: { admin: ['register', 'reject'], inspector: [], viewer: [], supV1: [], supT1: [] },
    rejected: { admin: [], inspector: [], viewer: [], supV1: [], supT1: [] },
    dispatched: { admin: ['acknowledge'], inspector: [], viewer: [], supV1: ['acknowledge'], supT1: ['acknowledge'] },
    in_progress: { admin: ['feedback'], inspector: [], viewer: [], supV1: ['feedback'], supT1: ['feedback'] },
    feedback: { admin: ['verify', 'return'], inspector: ['verify', 'return'], viewer: [], supV1: [], supT1: [] },
    closed: { admin: ['reopen'], inspector: ['reopen'], viewer: [], supV1: [], supT1: [] },
  }
  const cases = Object.entries(TABLE).flatMap(([state, row]) =>
    Object.entries(row).map(([who, actions]) => [state, who, actions] as const),
  )

  it.each(cases)('a %s flag, asked by %s: %j', async (state, who, actions) => {
    const flag = await api.get(w[who as 'admin'], flagIn[state]!)
    expect(flag.state).toBe(state)
    expect(flag.allowedActions).toEqual(actions)
  })

  it('lists carry the same per-user actions: the county list and a supervisor inbox', async () => {
    const list = (await api.inject('GET', '/api/flags?limit=1000', w.inspector)).json() as {
      flags: { id: number; allowedActions: string[] }[]
    }
    const listed = (state: string) => list.flags.find((f) => f.id === flagIn[state])!.allowedActions
    expect(listed('reported')).toEqual([])
    expect(listed('feedback')).toEqual(['verify', 'return'])
    expect(listed('closed')).toEqual(['reopen'])
    const inbox = (await api.inject('GET', '/api/flags/inbox', w.supV1)).json() as {
      flags: { id: number; allowedActions: string[] }[]
    }
    expect(inbox.flags.find((f) => f.id === flagIn.dispatched)!.allowedActions).toEqual(['acknowledge'])
    expect(inbox.flags.find((f) => f.id === flagIn.feedback)!.allowedActions).toEqual([])
  })

  it('four-eyes: whoever gave the feedback is not offered to verify or return it; another admin is', async () => {
    expect((await api.get(w.admin, adminFeedback)).allowedActions).toEqual([])
    expect((await api.get(w.admin2, adminFeedback)).allowedActions).toEqual(['verify', 'return'])
    expect((await api.get(w.inspector, adminFeedback)).allowedActions).toEqual(['verify', 'return'])
  })

  it('an action offered is one the route accepts, and one not offered is refused', async () => {
    const id = flagIn.dispatched!
    const version = (await api.get(w.viewer, id)).version
    expect((await api.act(w.inspector, id, 'acknowledge', { version })).statusCode).toBe(403)
    const res = await api.act(w.supT1, id, 'acknowledge', { version })
    expect(res.statusCode, res.body).toBe(200)
    expect((res.json() as { allowedActions: string[] }).allowedActions).toEqual(['feedback'])
  })
})

describe('GET /api/map-config: flagRules', () => {
  it('the photo limits are the settings (here not the defaults), with the comment and open-state rules', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/map-config' })
    expect(res.statusCode).toBe(200)
    expect(res.json().flagRules).toEqual({
      photos: { maxBytes: 4096, maxCount: 3, types: ['image/jpeg', 'image/png', 'image/webp'] },
      commentRequired: ['reject', 'feedback', 'return', 'reopen'],
      openStates: ['reported', 'registered', 'dispatched', 'in_progress', 'feedback'],
    })
  })
})
