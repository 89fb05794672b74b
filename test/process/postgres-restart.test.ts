// Issue 11, item 1: the server survives a real PostgreSQL restart, and starts while the database is
// not reachable yet (waiting with one clear line per attempt, giving up with a clear message).
// These tests run a cluster of their own (initdb + pg_ctl), so they need the PostgreSQL server
// binaries: missing binaries fail the run under CI=1 and skip it loudly elsewhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { findPostgresBin, privateCluster, type PrivateCluster } from './private-cluster.js'
import {
  freePort,
  withDatabaseName,
  isCleanUnavailable,
  request,
  signInAdmin,
  spawnServer,
  type Answer,
  type ServerProcess,
} from './server-process.js'

const serverMode = Boolean(process.env.DATABASE_URL)
const bin = findPostgresBin()
if (serverMode && !bin && !process.env.CI) {
  console.warn(
    '\n*** SKIPPED test/process/postgres-restart.test.ts: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin ***\n',
  )
}

describe.runIf(serverMode && Boolean(bin || process.env.CI))(
  'the server process and a PostgreSQL restart',
  { timeout: 180_000 },
  () => {
    let cluster: PrivateCluster
    let server: ServerProcess | undefined

    beforeAll(async () => {
      if (!bin)
        throw new Error('CI=1 but no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin')
      cluster = privateCluster(bin, await freePort())
    })
    afterAll(async () => {
      await server?.kill()
      await cluster?.remove()
    })

    it('starts while the database is down: one clear waiting line per attempt, then ready once it is up', async () => {
      server = spawnServer({ DATABASE_URL: cluster.url(), DATABASE_WAIT_SECONDS: '600' })
      const address = new URL(cluster.url()).host
      const waiting = await server.waitForLine(/attempt 2…/)
      expect(waiting).toBe(
        `everyinch: waiting for the database at ${address}/postgres (connection refused), attempt 2…`,
      )
      expect(server.lines.join('\n')).not.toMatch(/^\s+at /m) // no stack trace
      await cluster.start()
      const base = await server.ready()
      expect((await request(`${base}/api/health`)).status).toBe(200)
    })

    it('survives `pg_ctl restart` under load: requests get 2xx or a clean 503, and succeed afterwards', async () => {
      const base = await server!.ready()
      const token = await signInAdmin(base)
      const answers: { answer?: Answer; error?: unknown }[] = []
      let restarted = false
      let n = 0
      const client = async () => {
        while (!restarted) {
          const write = n++ % 2 === 0
          try {
            answers.push({
              answer: write
                ? await request(`${base}/api/people`, { method: 'POST', token, body: { name: `Restart ${n}` } })
                : await request(`${base}/api/people`, { token }),
            })
          } catch (error) {
            answers.push({ error })
          }
        }
      }
      const clients = Array.from({ length: 6 }, client)
      // requests are flowing before the restart begins
      while (answers.length < 12) await new Promise((resolve) => setTimeout(resolve, 5))
      await cluster.restart()
      restarted = true
      await Promise.all(clients)
      const status = (a: (typeof answers)[number]) => a.answer?.status ?? 'no answer'
      console.log(
        `during the restart: ${answers.length} requests, ${answers.filter((a) => status(a) === 503).length} answered 503, ${answers.filter((a) => a.error).length} got no answer`,
      )

      expect(server!.alive(), `the server died:\n${server!.lines.join('\n')}`).toBe(true)
      expect(answers.filter((a) => a.error).map((a) => String(a.error))).toEqual([])
      const bad = answers.filter((a) => a.answer!.status >= 300 && !isCleanUnavailable(a.answer!))
      expect(bad.map((a) => `${a.answer!.status} ${a.answer!.body}`)).toEqual([])

      // the first request after the restart may still meet a connection the pool had before it;
      // from then on every request succeeds, without restarting the server
      const first = await request(`${base}/api/people`, { token })
      expect(first.status === 200 || isCleanUnavailable(first)).toBe(true)
      for (let i = 0; i < 12; i++) {
        expect((await request(`${base}/api/people`, { token })).status).toBe(200)
      }
      const made = await request(`${base}/api/people`, { method: 'POST', token, body: { name: 'After the restart' } })
      expect(made.status).toBe(201)
      const check = new pg.Client({ connectionString: cluster.url() })
      await check.connect()
      const { rows } = await check.query('SELECT name FROM people WHERE id = $1', [made.json().id])
      await check.end()
      expect(rows).toEqual([{ name: 'After the restart' }])
      expect(server!.alive()).toBe(true)
    })
  },
)

describe.runIf(serverMode)('the server process and an unreachable database', { timeout: 180_000 }, () => {
  it('gives up after DATABASE_WAIT_SECONDS with one clear message and exit code 3, no stack trace', async () => {
    const port = await freePort()
    const server = spawnServer({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
      DATABASE_WAIT_SECONDS: '1',
    })
    try {
      const { code } = await server.exited
      expect(code).toBe(3)
      const output = server.lines.join('\n')
      expect(output).toContain(
        `everyinch: waiting for the database at 127.0.0.1:${port}/postgres (connection refused), attempt 1…`,
      )
      expect(output).toContain(
        `everyinch: gave up waiting for the database at 127.0.0.1:${port}/postgres after 1 s (connection refused)`,
      )
      expect(output).not.toMatch(/^\s+at /m)
    } finally {
      await server.kill()
    }
  })

  it('names a database that does not exist in one line, without waiting, exit code 3', async () => {
    const server = spawnServer({
      DATABASE_URL: withDatabaseName(process.env.DATABASE_URL!, 'everyinch_no_such_database'),
    })
    try {
      expect((await server.exited).code).toBe(3)
      const output = server.lines.join('\n')
      expect(output).toMatch(
        /everyinch: cannot use the database at [^ ]+\/everyinch_no_such_database: database "everyinch_no_such_database" does not exist/,
      )
      expect(output).not.toContain('waiting for the database')
      expect(output).not.toMatch(/^\s+at /m)
    } finally {
      await server.kill()
    }
  })

  it('the CLI waits and gives up with the same clear message', async () => {
    const port = await freePort()
    const cli = spawnServer(
      { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`, DATABASE_WAIT_SECONDS: '1' },
      'server/src/cli/index.ts',
      ['migrate'],
    )
    try {
      const { code } = await cli.exited
      expect(code).toBe(3)
      const output = cli.lines.join('\n')
      expect(output).toContain(
        `waiting for the database at 127.0.0.1:${port}/postgres (connection refused), attempt 1…`,
      )
      expect(output).toContain(
        `everyinch: gave up waiting for the database at 127.0.0.1:${port}/postgres after 1 s (connection refused)`,
      )
      expect(output).not.toMatch(/^\s+at /m)
    } finally {
      await cli.kill()
    }
  })
})
