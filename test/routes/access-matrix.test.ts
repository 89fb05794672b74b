// The route × requester access matrix, written by hand: for every route (method + URL) and every kind
// of requester, the outcome it SHOULD have (401, 403 or allowed), decided from what each role is for
// (README "Who uses it") and not read from the routes' declared policies, so a wrong policy fails here.
// A route missing from the table fails the test: a new route must be added, and its row thought about.
//
// The rows live in one file per feature under test/routes/access-matrix/ (each exports `matrix`, made
// with defineMatrix: an optional world set-up and the rows); this test loads every file of that folder.
// The requesters and the shared world are in access-matrix.helpers.ts.
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  A,
  REQUESTERS,
  buildMatrixWorld,
  type Case,
  type MatrixFeature,
  type MatrixWorld,
  type Outcome,
} from './access-matrix.helpers.js'

const FOLDER = new URL('./access-matrix/', import.meta.url)

let world: MatrixWorld
const features: { file: string; feature: MatrixFeature<unknown>; own: unknown }[] = []

beforeAll(async () => {
  world = await buildMatrixWorld()
  const files = readdirSync(FOLDER)
    .filter((f) => f.endsWith('.ts'))
    .sort()
  for (const file of files) {
    const { matrix } = (await import(new URL(file, FOLDER).href)) as { matrix?: MatrixFeature<unknown> }
    if (!matrix) throw new Error(`access-matrix/${file} exports no \`matrix\` (defineMatrix)`)
    features.push({ file, feature: matrix, own: matrix.setUp ? await matrix.setUp(world) : undefined })
  }
}, 120_000)
afterAll(async () => {
  await world?.publicMapApp.close()
  await world?.t.close()
})

let counter = 0
/** Every feature's rows. Rebuilt for each request, so payloads that create something get a fresh name. */
function table(): Record<string, Case[]> {
  const n = ++counter
  const all: Record<string, Case[]> = {}
  for (const { file, feature, own } of features) {
    for (const [route, cases] of Object.entries(feature.rows(world, own, n))) {
      if (all[route]) throw new Error(`${route} has rows in two files (the second: access-matrix/${file})`)
      all[route] = cases
    }
  }
  return all
}

function outcomeOf(status: number, code: string | null): Outcome {
  if (status === 401 && code === 'unauthorized') return 401
  if (status === 403 && code === 'forbidden') return 403
  return A
}

describe('route × requester access matrix', () => {
  it('every registered route has a row, and every request gets the outcome written in it', async () => {
    const { t, publicMapApp, headers } = world
    const routes = t.app.accessPolicies
      .filter((r) => r.url.startsWith('/api') || r.url.startsWith('/tiles'))
      .map((r) => `${r.method} ${r.url}`)
    const rows = Object.keys(table())
    expect(
      routes.filter((r) => !rows.includes(r)),
      'routes with no row in the table: add them by hand',
    ).toEqual([])
    expect(
      rows.filter((r) => !routes.includes(r)),
      'rows for routes that do not exist',
    ).toEqual([])

    const wrong: string[] = []
    let checked = 0
    for (const route of routes) {
      const [method] = route.split(' ')
      for (let i = 0; i < table()[route]!.length; i++) {
        for (const [r, who] of REQUESTERS.entries()) {
          const c = table()[route]![i]!
          let h: Record<string, string> = who === 'anonymous' || who === 'publicMap' ? {} : headers[who]
          // signing out ends the session the other requests use: sign out a fresh one
          if (route === 'DELETE /api/session' && who !== 'anonymous' && who !== 'publicMap')
            h = await world.freshHeaders(who)
          const app = who === 'publicMap' ? publicMapApp : t.app
          const res = await app.inject({
            method: method as 'GET',
            url: c.url,
            payload: c.payload as object,
            headers: { ...c.headers, ...h },
          })
          const code = res.statusCode >= 400 ? ((res.json() as { error?: { code: string } }).error?.code ?? null) : null
          const got = outcomeOf(res.statusCode, code)
          checked++
          if (got !== c.expect[r])
            wrong.push(`${method} ${c.url} as ${who}: expected ${c.expect[r]}, got ${res.statusCode} ${code ?? ''}`)
          if (got === A) expect(res.statusCode, `${method} ${c.url} as ${who}: ${res.body}`).toBeLessThan(500)
        }
      }
    }
    expect(wrong).toEqual([])
    console.log(`access matrix: ${routes.length} routes, ${checked} requests checked against the table`)
  })
})
