// The webhook delivery loop in the real server process (PostgreSQL server mode, like the other SIGTERM
// tests): a notification in the outbox is posted to NOTIFY_WEBHOOK_URL; with that POST held open by the
// receiver, SIGTERM still closes cleanly and exits 0, and the delivery is neither marked delivered nor
// counted as a failed attempt — the next start posts it again.
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, freshServerDatabase, spawnServer, type ServerProcess } from './server-process.js'

const serverMode = Boolean(process.env.DATABASE_URL)

describe.runIf(serverMode)('webhook delivery on SIGTERM', { timeout: 180_000 }, () => {
  let database: Awaited<ReturnType<typeof freshServerDatabase>>
  let server: ServerProcess
  const held: ServerResponse[] = []
  const receiver = createServer((_req, res) => held.push(res))

  beforeEach(async () => {
    database = await freshServerDatabase()
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  })
  afterEach(async () => {
    await server?.kill()
    for (const res of held) res.destroy()
    receiver.closeAllConnections()
    await new Promise((resolve) => receiver.close(resolve))
    await database.drop()
  })

  it('a POST in flight does not keep the process from closing, and the delivery is kept for later', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    server = spawnServer({ DATABASE_URL: database.url, NOTIFY_WEBHOOK_URL: url })
    await server.ready()
    const db = new pg.Client({ connectionString: database.url })
    await db.connect()
    try {
      // a notification for the first admin (made at start-up), queued for the webhook
      await db.query(`
        WITH n AS (
          INSERT INTO notifications (user_id, kind, subject_type, subject_id, event_key, created_at)
          SELECT id, 'flag_dispatched', 'flag', 1, 'dispatch', now() FROM users WHERE login = 'admin' RETURNING id)
        INSERT INTO notification_deliveries (notification_id, next_attempt_at, created_at) SELECT id, now(), now() FROM n`)
      await eventually('the receiver to get the POST', async () => held.length === 1)

      server.child.kill('SIGTERM')
      expect(await server.exited).toEqual({ code: 0, signal: null })
      expect(server.lines).toContain('everyinch: closed cleanly')
      const { rows } = await db.query('SELECT attempts, delivered_at, last_error FROM notification_deliveries')
      expect(rows).toEqual([{ attempts: 0, delivered_at: null, last_error: null }])
    } finally {
      await db.end()
    }
  })
})
