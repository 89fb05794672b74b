// Issue 11, "Also": on SIGTERM the server stops accepting at once, lets the requests in flight finish
// (at most SHUTDOWN_GRACE_SECONDS), closes the database and exits 0.
// The slow request is a write held up by a table lock taken from a side connection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import http from 'node:http'
import pg from 'pg'
import {
  eventually,
  freshServerDatabase,
  request,
  signInAdmin,
  spawnServer,
  withDatabaseName,
  type ServerProcess,
} from './server-process.js'

const serverMode = Boolean(process.env.DATABASE_URL)

describe.runIf(serverMode)('SIGTERM', { timeout: 180_000 }, () => {
  let database: Awaited<ReturnType<typeof freshServerDatabase>>
  let server: ServerProcess
  let locker: pg.Client
  let watcher: pg.Client

  beforeEach(async () => {
    database = await freshServerDatabase()
    locker = new pg.Client({ connectionString: database.url })
    await locker.connect()
    watcher = new pg.Client({ connectionString: withDatabaseName(database.url, 'postgres') })
    await watcher.connect()
  })
  afterEach(async () => {
    await locker.end().catch(() => {})
    await watcher.end()
    await server?.kill()
    await database.drop()
  })

  /** Holds every write to people until the returned function is called. */
  const lockPeople = async () => {
    await locker.query('BEGIN')
    await locker.query('LOCK TABLE people IN SHARE MODE')
    return () => locker.query('COMMIT')
  }
  const writeIsWaitingOnLock = async () => {
    const { rows } = await watcher.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query ILIKE 'insert into "people"%'`,
      [database.name],
    )
    return rows.length > 0
  }
  const peopleNamed = async (name: string) => {
    const c = new pg.Client({ connectionString: database.url })
    await c.connect()
    const { rows } = await c.query('SELECT id FROM people WHERE name = $1', [name])
    await c.end()
    return rows.length
  }

  it('finishes the request in flight (2xx, stored), refuses new ones, closes and exits 0', async () => {
    server = spawnServer({ DATABASE_URL: database.url })
    const base = await server.ready()
    const token = await signInAdmin(base)
    const release = await lockPeople()
    // a browser-like client: keep-alive, so the connection stays open after its answer
    const agent = new http.Agent({ keepAlive: true })
    const inFlight = request(`${base}/api/people`, {
      method: 'POST',
      token,
      body: { name: 'Written during shutdown' },
      agent,
    })
    await eventually('the write to wait on the lock', writeIsWaitingOnLock)

    server.child.kill('SIGTERM')
    await server.waitForLine(/SIGTERM: no longer accepting requests; waiting for 1 in flight/)
    // a new request after SIGTERM is refused
    await expect(request(`${base}/api/health`)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    expect(server.alive()).toBe(true)

    await release()
    const answer = await inFlight
    expect(answer.status).toBe(201)
    expect(answer.json().name).toBe('Written during shutdown')
    expect(await peopleNamed('Written during shutdown')).toBe(1)
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(server.lines).toContain('everyinch: closed cleanly')
    agent.destroy()
  })

  it('cuts a request still running after SHUTDOWN_GRACE_SECONDS and still exits 0', async () => {
    server = spawnServer({ DATABASE_URL: database.url, SHUTDOWN_GRACE_SECONDS: '1' })
    const base = await server.ready()
    const token = await signInAdmin(base)
    await lockPeople() // never released while the server runs
    const inFlight = request(`${base}/api/people`, {
      method: 'POST',
      token,
      body: { name: 'Never acknowledged' },
    }).then(
      (answer) => ({ answer, error: undefined }),
      (error: unknown) => ({ answer: undefined, error }),
    )
    await eventually('the write to wait on the lock', writeIsWaitingOnLock)

    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(server.lines).toContain('everyinch: grace period over: closing 1 unfinished request(s)')
    // the client was never told the write succeeded
    const outcome = await inFlight
    expect(outcome.answer).toBeUndefined()
    expect(outcome.error).toMatchObject({ code: 'ECONNRESET' })
    await locker.query('COMMIT')
    // the process ended its session mid-transaction, so the unacknowledged write was rolled back
    expect(await peopleNamed('Never acknowledged')).toBe(0)
  })
})
