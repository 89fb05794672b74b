// Issue 11, item 2: one writer per embedded data folder, enforced by a lock the OS releases when its
// holder dies. These spawn the real server and CLI processes on a data folder in a temporary directory.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import {
  loginsSeenBy,
  migratedFolder,
  readLockInfo,
  runCli,
  startRefusedServer,
  startServer,
  type RunningServer,
} from './data-folder.helpers.js'

// each spawned process starts PGlite from scratch: seconds each, but minutes on a busy 2-core machine
const PROCESS_TEST_TIMEOUT_MS = 1_800_000

// a PostgreSQL server has no data folder to lock: these apply to the embedded database only
const embedded = inject('templates').kind === 'embedded'

async function stop(server: RunningServer | undefined) {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return
  server.child.kill('SIGTERM')
  await server.finished
}

describe.skipIf(!embedded)('a data folder a server is using', () => {
  let dataDir: string
  let server: RunningServer

  beforeAll(async () => {
    dataDir = await migratedFolder('lock')
    server = await startServer(dataDir)
  }, PROCESS_TEST_TIMEOUT_MS)
  afterAll(async () => stop(server), PROCESS_TEST_TIMEOUT_MS)

  test(
    'a second server on the same folder refuses, naming the folder and the process holding it; the first keeps serving',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const second = await startRefusedServer(dataDir)
      expect(second.becameReady).toBe(false)
      expect(second.code).not.toBe(0)
      expect(second.stderr).toContain(
        `the database in ${dataDir} is in use by process ${server.child.pid} (server on ${server.url})`,
      )
      expect(server.child.exitCode).toBeNull()
      const health = await fetch(`${server.url}/api/health`)
      expect(health.status).toBe(200)
      // the running server's lock info still names it, and only its user can read it (it holds the secret)
      expect(readLockInfo(dataDir)?.pid).toBe(server.child.pid)
      expect(fs.statSync(path.join(dataDir, 'everyinch-lock.json')).mode & 0o777).toBe(0o600)
    },
  )

  test(
    'users create against the folder refuses with that message, and no account was written',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const before = await loginsSeenBy(server.url)
      const cli = await runCli(
        ['users', 'create', 'intruder', '--role', 'admin', '--password', 'intruder-password-1'],
        { DATA_DIR: dataDir },
      )
      expect(cli.code).toBe(1)
      expect(cli.stderr).toContain(
        `everyinch: the database in ${dataDir} is in use by process ${server.child.pid} (server on ${server.url}); stop it first`,
      )
      expect(cli.stdout).not.toMatch(/created/)
      const after = await loginsSeenBy(server.url)
      expect(after).toEqual(before)
      expect(after).not.toContain('intruder')
    },
  )

  test('users reset-password against the folder refuses too', { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const cli = await runCli(['users', 'reset-password', 'admin', '--password', 'another-password-1'], {
      DATA_DIR: dataDir,
    })
    expect(cli.code).toBe(1)
    expect(cli.stderr).toContain(`is in use by process ${server.child.pid}`)
    // the admin's password is unchanged: signing in with the old one still works
    await expect(loginsSeenBy(server.url)).resolves.toContain('admin')
  })
})

describe.skipIf(!embedded)('after kill -9 of the server', () => {
  let dataDir: string
  const started: RunningServer[] = []

  beforeAll(async () => {
    dataDir = await migratedFolder('lock-kill')
  }, PROCESS_TEST_TIMEOUT_MS)
  afterAll(async () => {
    for (const s of started) await stop(s)
  })

  test(
    'a new start succeeds at once (the stale lock info does not block it) and holds the folder in turn',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const first = await startServer(dataDir)
      started.push(first)
      first.child.kill('SIGKILL')
      const killed = await first.finished
      expect(killed.signal).toBe('SIGKILL')
      // the killed server could not tidy up: its info file stays behind
      const leftBehind = readLockInfo(dataDir)

      const second = await startServer(dataDir)
      started.push(second)
      expect((await fetch(`${second.url}/api/health`)).status).toBe(200)
      // and the new server holds the lock: a CLI command is refused, naming it
      const cli = await runCli(['migrate'], { DATA_DIR: dataDir })
      expect(cli.code).toBe(1)
      expect(cli.stderr).toContain(`is in use by process ${second.child.pid} (server on ${second.url})`)
      expect(leftBehind?.pid).toBe(first.child.pid)
      expect(readLockInfo(dataDir)?.pid).toBe(second.child.pid)
    },
  )
})
