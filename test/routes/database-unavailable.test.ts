// Issue 11, item 1, in process: a request whose database connection is ended under it
// (pg_terminate_backend, as in a restart or failover) answers 503 database_unavailable with a
// Retry-After, writes nothing, and the next request succeeds. Server mode only: the embedded
// database has no connections to lose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import pg from 'pg'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'

const serverMode = Boolean(process.env.DATABASE_URL)

describe.runIf(serverMode)('POST /api/people when the database connection is lost', () => {
  let t: TestApp
  let dbName: string
  let side: pg.Client

  const serverUrl = (database: string) => {
    const templates = inject('templates')
    const u = new URL(templates.kind === 'server' ? templates.url : '')
    u.pathname = `/${database}`
    return u.toString()
  }

  beforeAll(async () => {
    t = await testApp()
    dbName = (await sql<{ name: string }>`SELECT current_database() AS name`.execute(t.database.db)).rows[0]!.name
    side = new pg.Client({ connectionString: serverUrl(dbName) })
    await side.connect()
  })
  afterAll(async () => {
    await side.end()
    await t.close()
  })

  const countNamed = async (name: string) => (await side.query('SELECT 1 FROM people WHERE name = $1', [name])).rowCount

  it('answers 503 in the one error shape with Retry-After, writes nothing, and the next request succeeds', async () => {
    const admin = await signedIn(t, 'admin')
    // hold the write on a lock, so that its connection is busy in a transaction when it is ended
    await side.query('BEGIN')
    await side.query('LOCK TABLE people IN SHARE MODE')
    const pending = t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: admin.headers,
      payload: { name: 'Lost connection' },
    })
    const watcher = new pg.Client({ connectionString: serverUrl('postgres') })
    await watcher.connect()
    try {
      const deadline = Date.now() + 30_000
      let terminated = 0
      while (terminated === 0 && Date.now() < deadline) {
        const { rowCount } = await watcher.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = $1 AND wait_event_type = 'Lock' AND query ILIKE 'insert into "people"%'`,
          [dbName],
        )
        terminated = rowCount ?? 0
      }
      expect(terminated).toBe(1)
    } finally {
      await watcher.end()
    }
    const res = await pending
    await side.query('COMMIT')

    expect(res.statusCode).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.json()).toEqual({
      error: { code: 'database_unavailable', message: 'the database is unavailable right now; try again in 5 s' },
    })
    expect(await countNamed('Lost connection')).toBe(0)

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      headers: admin.headers,
      payload: { name: 'Lost connection' },
    })
    expect(again.statusCode).toBe(201)
    expect(await countNamed('Lost connection')).toBe(1)
  })
})
