// Shared by the odd-input table and the property-based fuzz test: a small world with every kind of
// row a route can read, signed-in requesters, a snapshot of what is stored (to prove a refused
// request wrote nothing) and the check of the one error shape.
import { sql } from 'kysely'
import { expect } from 'vitest'
import { signedIn, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

export type Requester = 'anonymous' | 'viewer' | 'inspector' | 'supervisor' | 'unit_officer' | 'admin'

export interface InputWorld {
  cell: string
  personId: number
  parcelId: number
  responsibilityId: number
  flagId: number
  photoId: number
  headers: Record<Requester, Record<string, string>>
}

export async function buildInputWorld(t: TestApp): Promise<InputWorld> {
  const f = factories(t.database.db)
  const region = await f.region('R1', box(113, 35, 113.02, 35.01))
  await f.cell({ regionId: region.id, code: 'R1', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  const own = await f.cell({
    regionId: region.id,
    code: 'R1001',
    level: 2,
    parentCode: 'R1',
    geometry: box(113, 35, 113.01, 35.01),
  })
  await f.cell({
    regionId: region.id,
    code: 'R1002',
    level: 2,
    parentCode: 'R1',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  const { chief } = await f.staff(own.id)
  const parcelId = await f.parcel({
    regionId: region.id,
    externalId: 'P1',
    geometry: box(113.002, 35.002, 113.004, 35.004),
  })
  await f.rematchAll(region.id)
  const duty = await f.duty({ personId: chief.id, cellId: own.id, role: 'specialist' })
  const headers: Record<Requester, Record<string, string>> = {
    anonymous: {},
    viewer: (await signedIn(t, 'viewer')).headers,
    inspector: (await signedIn(t, 'inspector')).headers,
    supervisor: (await signedIn(t, 'supervisor', chief.id)).headers,
    unit_officer: (await signedIn(t, 'unit_officer', chief.id)).headers,
    admin: (await signedIn(t, 'admin')).headers,
  }
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 0xff, 0xd9]).toString('base64')
  const flag = await t.app.inject({
    method: 'POST',
    url: '/api/flags',
    headers: headers.inspector,
    payload: { category: 'dust', lon: 113.003, lat: 35.003, photos: [{ data: jpeg }] },
  })
  if (flag.statusCode !== 201) throw new Error(`flag not created: ${flag.statusCode} ${flag.body}`)
  const flagId = flag.json().id as number
  const photoId = flag.json().photos[0].id as number
  await t.app.inject({
    method: 'POST',
    url: `/api/flags/${flagId}/register`,
    headers: headers.admin,
    payload: { version: 1 },
  })
  return { cell: own.code, personId: chief.id, parcelId, responsibilityId: duty.id, flagId, photoId, headers }
}

/**
 * Rows and the newest row version (xmin) of every table but sessions (reading a session may refresh
 * it): any insert, update or delete changes it.
 */
export async function storedState(t: TestApp): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('sessions', 'kysely_migration', 'kysely_migration_lock')
    ORDER BY table_name`.execute(t.database.db)
  const counts = tables.map(
    ({ name }) =>
      sql`SELECT ${name}::text AS name, count(*)::text AS n, max(xmin::text::bigint)::text AS newest FROM ${sql.table(name)}`,
  )
  const { rows } = await sql<{
    name: string
    n: string
    newest: string | null
  }>`${sql.join(counts, sql` UNION ALL `)}`.execute(t.database.db)
  const state: Record<string, string> = {}
  for (const r of rows) state[r.name] = `${r.n} rows, newest ${r.newest}`
  return state
}

interface ErrorBodyShape {
  error: { code: string; message: string; details?: unknown }
}

/** A 4xx body is the one error shape, and (when `parameter` is given) its message names it. */
export function expectErrorShape(status: number, body: string, what: string, parameter?: string) {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new Error(`${what}: ${status} body is not JSON: ${body.slice(0, 200)}`)
  }
  const e = (parsed as ErrorBodyShape).error
  expect(Object.keys(parsed as object), `${what}: top-level keys`).toEqual(['error'])
  expect(typeof e?.code, `${what}: error.code`).toBe('string')
  expect(typeof e?.message, `${what}: error.message`).toBe('string')
  expect(
    Object.keys(e).every((k) => ['code', 'message', 'details'].includes(k)),
    `${what}: error keys ${Object.keys(e).join(',')}`,
  ).toBe(true)
  if (parameter) expect(e.message, `${what}: the message names "${parameter}"`).toContain(`"${parameter}"`)
}
