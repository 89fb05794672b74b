// A small world for the units feature's route tests: a county cell R1 with two townships (R1001
// 许良镇-like and R1002), synced into units; a department `sthj`; people to head and liaise; an
// admin's headers; and a helper that sends a request.
import { expect } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'
import { storedState } from './input.helpers.js'

export interface UnitsWorld {
  t: TestApp
  admin: Record<string, string>
  viewer: Record<string, string>
  people: { head: number; liaison: number; other: number }
  send: (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: any; raw: Buffer; headers: Record<string, unknown> }>
}

export async function unitsWorld(env: Record<string, string> = {}): Promise<UnitsWorld> {
  const t = await testApp({ env })
  const f = factories(t.database.db)
  const region = await f.region('R1', box(113, 35, 113.02, 35.01))
  await f.cell({ regionId: region.id, code: 'R1', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  for (const [code, name, west] of [
    ['R1001', '许良镇', 113],
    ['R1002', '月山镇', 113.01],
  ] as const)
    await f.cell({
      regionId: region.id,
      code,
      name,
      level: 2,
      parentCode: 'R1',
      geometry: box(west, 35, west + 0.01, 35.01),
    })
  const people = {
    head: (await f.person('Head')).id,
    liaison: (await f.person('Liaison')).id,
    other: (await f.person('Other')).id,
  }
  const admin = (await signedIn(t, 'admin')).headers
  const viewer = (await signedIn(t, 'viewer')).headers
  const send: UnitsWorld['send'] = async (method, url, payload, headers = admin) => {
    const res = await t.app.inject({ method, url, payload: payload as object, headers })
    let body: unknown = null
    try {
      body = res.json()
    } catch {
      body = res.body
    }
    return { status: res.statusCode, body, raw: res.rawPayload, headers: res.headers }
  }
  return { t, admin, viewer, people, send }
}

/** Sends a bad request and checks that it is refused with this status and code, and writes nothing. */
export async function refusedWritingNothing(
  w: UnitsWorld,
  request: { method: 'POST' | 'PUT' | 'PATCH'; url: string; payload?: unknown; headers?: Record<string, string> },
  status: number,
  code: string,
  messagePart?: string | RegExp,
) {
  const before = await storedState(w.t)
  const res = await w.send(request.method, request.url, request.payload, { ...w.admin, ...request.headers })
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  expect(res.body.error.code).toBe(code)
  if (messagePart) expect(res.body.error.message).toMatch(messagePart)
  expect(await storedState(w.t)).toEqual(before)
  return res
}
