// Builds the real app over a fresh database copy, with a controllable clock, for app.inject tests.
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/src/app.js'
import { loadConfig, type Config } from '../../server/src/config.js'
import { detectCapabilities, type Database } from '../../server/src/db/database.js'
import { createUser } from '../../server/src/services/auth.service.js'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import type { UserRole } from '../../server/src/db/schema.js'
import { testDatabase } from './database.js'
import type { TemplateName } from './templates.js'

export interface TestApp {
  app: FastifyInstance
  database: Database
  /** the tables' owner (server mode; the app itself runs as the restricted role), for set-up only */
  owner: () => Database
  config: Config
  clock: { now: Date }
  close: () => Promise<void>
}

export async function testApp(
  options: { template?: TemplateName; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const { database, owner, close } = await testDatabase(options.template ?? 'empty')
  const config = loadConfig({ WEB_DIST: '/nonexistent', ...options.env })
  const clock = { now: new Date() }
  // 5xx errors are logged (to stderr) so a failing test shows the cause; nothing else is
  const app = await buildApp({
    config,
    database,
    capabilities: await detectCapabilities(database.db),
    now: () => clock.now,
    logger: { level: 'error' },
  })
  await app.ready()
  return {
    app,
    database,
    owner,
    config,
    clock,
    close: async () => {
      await app.close()
      await close()
    },
  }
}

export const TEST_PASSWORD = 'correct horse battery'

let counter = 0
/** Creates a user through the real service and signs in; returns headers for app.inject. */
export async function signedIn(t: TestApp, role: UserRole, personId: number | null = null) {
  const login = `${role}-${process.pid}-${++counter}`
  await createUser(t.database.db, SYSTEM_ACTOR, { login, displayName: login, role, personId, password: TEST_PASSWORD })
  return signIn(t, login, TEST_PASSWORD)
}

export async function signIn(t: TestApp, login: string, password: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/session', payload: { login, password } })
  if (res.statusCode !== 200) throw new Error(`sign-in as ${login} failed: ${res.statusCode} ${res.body}`)
  const body = res.json() as { csrfToken: string; token: string; user: { id: number } }
  const cookie = res.cookies.find((c) => c.name === 'everyinch_session')!
  return {
    login,
    userId: body.user.id,
    token: body.token,
    headers: { cookie: `everyinch_session=${cookie.value}`, 'x-csrf-token': body.csrfToken },
  }
}
