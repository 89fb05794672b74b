// Property-based test of every route: for each route in the app's own OpenAPI document (so new
// routes are covered without editing this file) and each requester, generated values for every path
// parameter, query parameter and JSON body field, plausible ones mixed with the nasty ones (Infinity,
// 1e20, NUL, emoji, 3,000-character strings, 9999-12-31, arrays for scalars …). Nothing may answer 5xx,
// and every 4xx is the one error shape. Deterministic (fixed seed) and bounded: EVERYINCH_FUZZ_RUNS
// requests per route and requester (default 8); EVERYINCH_FUZZ_SEED explores other inputs.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../server/src/services/auth.service.js'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import {
  bodyText,
  encodePart,
  objectOf,
  routesOf,
  valueFor,
  type RouteSpec,
  type Schema,
  type World,
} from './fuzz.helpers.js'
import { buildInputWorld, expectErrorShape, type InputWorld, type Requester } from './input.helpers.js'

const SEED = Number(process.env.EVERYINCH_FUZZ_SEED ?? 20261130)
const RUNS = Number(process.env.EVERYINCH_FUZZ_RUNS ?? 8)
const REQUESTERS: Requester[] = ['anonymous', 'viewer', 'inspector', 'supervisor', 'unit_officer', 'admin']
/** how often a value is nasty rather than plausible: mostly plausible requests get past validation */
const ODDNESS = [0.1, 0.5]

let t: TestApp
let w: InputWorld
let routes: RouteSpec[]
let world: World

beforeAll(async () => {
  // the public map on: anonymous requests reach the read handlers too
  t = await testApp({ env: { PUBLIC_MAP: 'true', SIGNIN_RATE_PER_MINUTE: '100000', SIGNIN_MAX_FAILURES: '1000' } })
  w = await buildInputWorld(t)
  // password resets and sign-ins are aimed at this account, never at a requester's own
  await createUser(t.database.db, SYSTEM_ACTOR, {
    login: 'fuzz-target',
    displayName: 'Target',
    role: 'viewer',
    personId: null,
    password: 'fuzz target password',
  })
  world = {
    codes: ['R1', w.cell, 'R1002', 'NOPE', 'dust'],
    ids: [1, 2, w.flagId, w.photoId, w.parcelId, w.personId, w.responsibilityId, 999999],
    logins: ['fuzz-target', 'nobody'],
    days: ['2026-01-01', '1900-01-01', '2999-12-31', '2024-02-29'],
  }
  const doc = await t.app.inject({ method: 'GET', url: '/docs/json' })
  routes = routesOf(doc.json())
})
afterAll(async () => t?.close())

/** Every schema a request is validated against, with where it sits (for messages). */
function requestSchemas(route: RouteSpec): [string, Schema][] {
  const out: [string, Schema][] = []
  const walk = (where: string, s: Schema) => {
    out.push([where, s])
    for (const [k, p] of Object.entries(s.properties ?? {})) walk(`${where}.${k}`, p)
    for (const item of [s.items ?? []].flat()) walk(`${where}[]`, item)
    for (const a of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) walk(where, a)
  }
  for (const p of route.path) walk(`path ${p.name}`, p.schema)
  for (const q of route.query) walk(`query ${q.name}`, q.schema)
  if (route.body) walk('body', route.body)
  return out
}

interface Sent {
  method: string
  url: string
  payload?: string
  contentType?: string
}

function requestArbitrary(route: RouteSpec, oddness: number): fc.Arbitrary<Sent> {
  const path = fc.tuple(...route.path.map((p) => valueFor(p.name, p.schema, world, oddness, false)))
  const query = fc.tuple(
    ...route.query.map((q) =>
      fc.option(valueFor(q.name, q.schema, world, oddness, false), { freq: q.required ? 12 : 2, nil: undefined }),
    ),
  )
  const unknownParam = fc.option(fc.constantFrom('unexpected=1', 'limit=1&limit=2', '__proto__=x'), {
    freq: 10,
    nil: undefined,
  })
  const body = route.body
    ? objectOf(route.body, world, oddness).map((b) => bodyText(b))
    : route.stream
      ? fc.option(featureCollection(oddness), { freq: 8, nil: undefined })
      : fc.constant(undefined)
  return fc.tuple(path, query, unknownParam, body).map(([pathValues, queryValues, extra, payload]) => {
    let i = 0
    const url = route.url.replace(/:(\w+)/g, () => encodePart(pathValues[i++]))
    const pairs: string[] = []
    route.query.forEach((q, k) => {
      const v = queryValues[k]
      if (v === undefined) return
      for (const one of Array.isArray(v) ? v : [v]) pairs.push(`${q.name}=${encodePart(one)}`)
    })
    if (extra) pairs.push(extra)
    return {
      method: route.method,
      url: pairs.length ? `${url}?${pairs.join('&')}` : url,
      payload,
      contentType: payload === undefined ? undefined : route.stream ? 'application/geo+json' : 'application/json',
    }
  })
}

/** An import body: a FeatureCollection whose properties and geometries are plausible or nasty. */
function featureCollection(oddness: number): fc.Arbitrary<string> {
  const props = objectOf(
    {
      type: 'object',
      properties: {
        code: { type: 'string' },
        name: { type: 'string' },
        level: { type: 'integer', minimum: 1, maximum: 8 },
        parentCode: { type: 'string' },
        externalId: { type: 'string' },
        landUse: { enum: ['farmland', 'forest'] },
        ownerName: { type: 'string' },
      },
    },
    world,
    oddness,
  )
  const feature = fc.record({
    type: fc.constant('Feature'),
    properties: props,
    geometry: valueFor('geometry', {}, world, oddness, true),
  })
  return fc
    .array(feature, { minLength: 0, maxLength: 3 })
    .map((features) => bodyText({ type: 'FeatureCollection', features }))
}

/** A stable number per route and requester, so each gets its own (fixed) stream of inputs. */
function seedOf(text: string): number {
  let h = SEED
  for (const c of text) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0
  return h
}

describe('every route, generated input', () => {
  it('fuzzes exactly the guarded routes the app registers', () => {
    const registered = t.app.accessPolicies
      .filter((r) => r.url.startsWith('/api') || r.url.startsWith('/tiles'))
      .map((r) => `${r.method} ${r.url}`)
    expect(routes.map((r) => `${r.method} ${r.url}`).sort()).toEqual([...new Set(registered)].sort())
    expect(routes.length).toBeGreaterThanOrEqual(50)
  })

  it('bounds every number a request carries, and every date by the supported range', () => {
    // Ajv lets ±Infinity through an unbounded number (a query string's "Infinity" or JSON's 1e400)
    const problems: string[] = []
    for (const route of routes) {
      for (const [where, s] of requestSchemas(route)) {
        const types = [s.type].flat()
        if (
          (types.includes('integer') || types.includes('number')) &&
          !(Number.isFinite(s.minimum) && Number.isFinite(s.maximum))
        ) {
          problems.push(`${route.method} ${route.url} ${where}: a number without minimum and maximum`)
        }
        if (s.format === 'date' && !s.pattern?.startsWith('^(19[0-9]{2}|2[0-9]{3})'))
          problems.push(`${route.method} ${route.url} ${where}: a date without the range`)
      }
    }
    expect(problems).toEqual([])
  })

  it.each(REQUESTERS)('as %s: no 5xx, and every 4xx in the one error shape', async (who) => {
    const failures: string[] = []
    let sent = 0
    const outcomes: Record<string, number> = {}
    for (const route of routes) {
      const samples = fc.sample(fc.oneof(...ODDNESS.map((o) => requestArbitrary(route, o))), {
        seed: seedOf(`${who} ${route.method} ${route.url}`),
        numRuns: RUNS,
      })
      for (const s of samples) {
        let headers: Record<string, string> = { ...w.headers[who] }
        // signing out would end the session the other requests use: sign out a fresh one
        if (route.method === 'DELETE' && route.url === '/api/session' && who !== 'anonymous')
          headers = {
            ...(await signedIn(t, who, who === 'supervisor' || who === 'unit_officer' ? w.personId : null)).headers,
          }
        if (s.contentType) headers['content-type'] = s.contentType
        const res = await t.app.inject({ method: s.method as 'GET', url: s.url, payload: s.payload, headers })
        sent++
        const klass = `${String(res.statusCode)[0]}xx`
        outcomes[klass] = (outcomes[klass] ?? 0) + 1
        const what = `${who} ${s.method} ${s.url.slice(0, 300)}${s.payload ? ` ${s.payload.slice(0, 300)}` : ''}`
        if (res.statusCode >= 500) failures.push(`${what} → ${res.statusCode} ${res.body.slice(0, 200)}`)
        else if (res.statusCode >= 400) {
          try {
            expectErrorShape(res.statusCode, res.body, what)
          } catch (error) {
            failures.push(`${what} → ${res.statusCode}: ${(error as Error).message.split('\n')[0]}`)
          }
        }
      }
    }
    // the requester's session survived (a password reset or sign-out aimed elsewhere), so every request was really made as them
    if (who !== 'anonymous')
      expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: w.headers[who] })).statusCode).toBe(200)
    console.log(`fuzz as ${who}: ${sent} requests over ${routes.length} routes, ${JSON.stringify(outcomes)}`)
    expect(sent).toBe(routes.length * RUNS)
    expect(failures).toEqual([])
  })
})
