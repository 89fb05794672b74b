// The real app over a copy of the demo template, listening on 127.0.0.1:<random port> and serving
// the built web app, for the browser tests in test/e2e. Builds web/dist first when it is missing or
// older than its sources (bin/ensure-build.js, as `npm start` does).
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { buildApp } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { detectCapabilities } from '../../server/src/db/database.js'
import { testDatabase } from './database.js'
import { ROOT } from './templates.js'

const WEB_DIST = path.join(ROOT, 'web/dist')

/** Builds the web app unless web/dist/index.html is newer than every web source. */
export function ensureWebBuild(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'bin/ensure-build.js'), 'web'], { cwd: ROOT, stdio: 'inherit' })
}

/**
 * The server's clock: real time plus an offset the test controls. Everything the server judges by
 * "now" (sessions, deadlines, escalation, "today") reads it; the browser keeps its own clock.
 */
export interface E2eClock {
  now(): Date
  /** moves the server's "now" to this instant (later or earlier) */
  set(at: Date): void
  advance(ms: number): void
}

export interface E2eServer {
  url: string
  clock: E2eClock
  close: () => Promise<void>
}

export function offsetClock(): E2eClock {
  let offsetMs = 0
  return {
    now: () => new Date(Date.now() + offsetMs),
    set: (at) => (offsetMs = at.getTime() - Date.now()),
    advance: (ms) => (offsetMs += ms),
  }
}

export async function startE2eServer(env: Record<string, string> = {}): Promise<E2eServer> {
  ensureWebBuild()
  const { database, close } = await testDatabase('demo')
  // plain http on 127.0.0.1: the session cookie must not be Secure-only
  const config = loadConfig({ WEB_DIST, COOKIE_SECURE: 'false', ...env })
  const clock = offsetClock()
  const app = await buildApp({
    config,
    database,
    capabilities: await detectCapabilities(database.db),
    now: () => clock.now(),
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    clock,
    close: async () => {
      await app.close()
      await close()
    },
  }
}
