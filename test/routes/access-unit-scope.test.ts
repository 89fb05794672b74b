// The access plugin's unit scope (plugins/access.ts `unitScope`): a unit officer passes only when every
// unit the request acts on is one they head or liaise for; other roles are not scoped by it. Tried on
// a route added to a freshly built app just for this test (the loop's unit-scoped routes are H2's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { detectCapabilities } from '../../server/src/db/database.js'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { createUnit } from '../../server/src/features/units/service.js'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { factories } from '../helpers/factories.js'

let t: TestApp
let app: FastifyInstance
const ids: Record<string, number> = {}
const headers: Record<string, Record<string, string>> = {}

beforeAll(async () => {
  t = await testApp()
  const db = t.database.db
  const f = factories(db)
  const head = await f.person('Head of A')
  const liaison = await f.person('Liaison of B')
  const nobody = await f.person('Nobody')
  await createUnit(db, SYSTEM_ACTOR, { code: 'a', name: 'A', headPersonId: head.id }, t.clock.now)
  await createUnit(db, SYSTEM_ACTOR, { code: 'b', name: 'B', liaisonPersonIds: [liaison.id] }, t.clock.now)
  await createUnit(db, SYSTEM_ACTOR, { code: 'c', name: 'C' }, t.clock.now)
  for (const u of await db.selectFrom('units').select(['id', 'code']).execute()) ids[u.code] = u.id
  headers.head = (await signedIn(t, 'unit_officer', head.id)).headers
  headers.liaison = (await signedIn(t, 'unit_officer', liaison.id)).headers
  headers.nobody = (await signedIn(t, 'unit_officer', nobody.id)).headers
  headers.admin = (await signedIn(t, 'admin')).headers
  app = await buildApp({
    config: loadConfig({ WEB_DIST: '/nonexistent' }),
    database: t.database,
    capabilities: await detectCapabilities(db),
    now: () => t.clock.now,
    logger: { level: 'error' },
  })
  app.get(
    '/api/unit-scope-probe',
    {
      config: {
        access: {
          roles: ['unit_officer', 'admin'],
          unitScope: async (request) =>
            String((request.query as { units: string }).units)
              .split(',')
              .map((c) => ids[c]!),
        },
      },
    },
    async () => ({ ok: true }),
  )
  await app.ready()
})
afterAll(async () => {
  await app?.close()
  await t?.close()
})

const status = async (who: string, units: string) =>
  (await app.inject({ method: 'GET', url: `/api/unit-scope-probe?units=${units}`, headers: headers[who] })).statusCode

describe('unitScope', () => {
  it('lets a unit officer act for the units their person heads or liaises for, and no others', async () => {
    expect(await status('head', 'a')).toBe(200)
    expect(await status('liaison', 'b')).toBe(200)
    expect(await status('head', 'b')).toBe(403)
    expect(await status('liaison', 'a,b')).toBe(403)
    expect(await status('nobody', 'c')).toBe(403)
  })
  it('does not scope an admin', async () => {
    expect(await status('admin', 'a,b,c')).toBe(200)
  })
})
