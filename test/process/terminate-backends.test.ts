// Issue 11, item 1: the server process must outlive PostgreSQL ending its connections
// (pg_terminate_backend) in the middle of concurrent reads and writes; requests caught by it answer a
// clean 503 in the one error shape, and the next requests succeed without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import {
  withDatabaseName,
  freshServerDatabase,
  isCleanUnavailable,
  request,
  signInAdmin,
  spawnServer,
  type Answer,
  type ServerProcess,
} from './server-process.js'

const serverMode = Boolean(process.env.DATABASE_URL)

describe.runIf(serverMode)('server process under pg_terminate_backend', { timeout: 180_000 }, () => {
  let database: Awaited<ReturnType<typeof freshServerDatabase>>
  let server: ServerProcess
  let base: string
  let token: string
  let side: pg.Client

  beforeAll(async () => {
    database = await freshServerDatabase()
    server = spawnServer({ DATABASE_URL: database.url })
    base = await server.ready()
    token = await signInAdmin(base)
    // the terminations come from a connection to another database, so they can never end themselves
    side = new pg.Client({ connectionString: withDatabaseName(database.url, 'postgres') })
    await side.connect()
  })
  afterAll(async () => {
    await side?.end()
    await server?.kill()
    await database?.drop()
  })

  /** Ends every other connection to the test database; returns how many were busy (in a query or transaction). */
  const terminateAll = async () => {
    const { rows } = await side.query<{ state: string | null }>(
      `SELECT state FROM (SELECT pid, state FROM pg_stat_activity WHERE datname = $1 OFFSET 0) s WHERE pg_terminate_backend(pid)`,
      [database.name],
    )
    return rows.filter((r) => r.state === 'active' || r.state?.startsWith('idle in transaction')).length
  }

  it('stays alive, answers 503 database_unavailable (never 500, never a dropped socket) and then recovers', async () => {
    const answers: { what: string; answer?: Answer; error?: unknown }[] = []
    const created: number[] = []
    let busyTerminated = 0
    let n = 0
    const one = async (kind: 'read' | 'write') => {
      const what = kind === 'read' ? 'GET /api/people' : 'POST /api/people'
      try {
        const answer =
          kind === 'read'
            ? await request(`${base}/api/people`, { token })
            : await request(`${base}/api/people`, { method: 'POST', token, body: { name: `Person ${++n}` } })
        answers.push({ what, answer })
        if (answer.status === 201) created.push(answer.json().id)
      } catch (error) {
        answers.push({ what, error })
      }
    }
    // rounds of a burst of reads and writes with terminations while it runs, until several requests
    // were caught by a termination (those answer 503; most land between queries and succeed)
    const caught = () =>
      answers.filter((a) => a.answer?.status !== undefined && a.answer.status >= 300).length +
      answers.filter((a) => a.error).length
    for (let round = 0; round < 40 && caught() < 5 && server.alive(); round++) {
      let running = true
      const before = answers.length
      const burst = Promise.all(Array.from({ length: 40 }, (_, i) => one(i % 2 ? 'write' : 'read'))).finally(
        () => (running = false),
      )
      // three terminations spread over the burst: at its start, after a quarter and after half of it answered
      for (const share of [0, 10, 20]) {
        while (running && answers.length - before < share) await new Promise((resolve) => setTimeout(resolve, 2))
        if (running) busyTerminated += await terminateAll()
      }
      await burst
    }
    const count = (f: (a: (typeof answers)[number]) => boolean) => answers.filter(f).length
    console.log(
      `${answers.length} requests: ${count((a) => !!a.answer && a.answer.status < 300)} succeeded, ${count((a) => a.answer?.status === 503)} answered 503, ${count((a) => !!a.error)} got no answer; ${busyTerminated} busy connections terminated`,
    )
    expect(server.alive(), `the server died:\n${server.lines.join('\n')}`).toBe(true)

    const dropped = answers.filter((a) => a.error)
    expect(dropped.map((a) => `${a.what}: ${String(a.error)}`)).toEqual([])
    const unacceptable = answers.filter((a) => a.answer && a.answer.status >= 300 && !isCleanUnavailable(a.answer))
    expect(unacceptable.map((a) => `${a.what}: ${a.answer!.status} ${a.answer!.body}`)).toEqual([])
    expect(
      count((a) => a.answer?.status === 503),
      'no request was caught by a termination: the test proved nothing',
    ).toBeGreaterThan(0)

    // without a restart, the next requests all succeed
    for (let i = 0; i < 5; i++) {
      expect((await request(`${base}/api/people`, { token })).status).toBe(200)
      const made = await request(`${base}/api/people`, { method: 'POST', token, body: { name: `After ${i}` } })
      expect(made.status).toBe(201)
      created.push(made.json().id)
    }
    // every acknowledged write is stored
    const check = new pg.Client({ connectionString: database.url })
    await check.connect()
    const { rows } = await check.query<{ id: number }>('SELECT id FROM people WHERE id = ANY($1::int[])', [created])
    await check.end()
    expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([...created].sort((a, b) => a - b))
    expect(server.alive()).toBe(true)
  })
})
