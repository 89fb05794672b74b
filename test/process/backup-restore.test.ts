// `backup FILE` / `restore FILE`: a round trip through the real CLI gives back every table unchanged
// (row counts and a hash of each table's content, and every sequence's position), on both databases.
import fs from 'node:fs'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, inject, test } from 'vitest'
import {
  ADMIN_PASSWORD,
  fingerprintFolder,
  fingerprintServer,
  migratedFolder,
  readLockInfo,
  runCli,
  serverDatabase,
  startServer,
  tempDir,
  type RunningServer,
} from './data-folder.helpers.js'

// each spawned process starts PGlite from scratch: seconds each, but minutes on a busy 2-core machine
const PROCESS_TEST_TIMEOUT_MS = 1_800_000

const templates = inject('templates')

/** A small region (a 1 km square near Boai) to give the backup some geometry. */
function regionFile(dir: string): string {
  const [x, y, d] = [113.06, 35.17, 0.01]
  const ring = [
    [x, y],
    [x + d, y],
    [x + d, y + d],
    [x, y + d],
    [x, y],
  ]
  const file = path.join(dir, 'region.geojson')
  fs.writeFileSync(
    file,
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '410822', name: 'Backup test' },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
      ],
    }),
  )
  return file
}

describe.skipIf(templates.kind !== 'embedded')('backup and restore of an embedded data folder', () => {
  let server: RunningServer | undefined
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM')
      await server.finished
    }
  })

  test(
    'a backup taken while the server runs restores into another folder with identical tables',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const work = tempDir('backup')
      const dataDir = await migratedFolder('backup-source')
      // geometry and rows written before the server starts, more written through the running server
      const imported = await runCli(['import', 'regions', regionFile(work)], { DATA_DIR: dataDir })
      expect(imported.code, imported.stderr).toBe(0)
      server = await startServer(dataDir)
      const session = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }),
      })
      const { token } = (await session.json()) as { token: string }
      const created = await fetch(`${server.url}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          login: 'written-while-running',
          displayName: 'Written while running',
          role: 'viewer',
          password: 'a-long-enough-password',
        }),
      })
      expect(created.status, await created.text()).toBe(201)

      const file = path.join(work, 'everyinch.backup')
      const backup = await runCli(['backup', file], { DATA_DIR: dataDir })
      expect(backup.code, backup.stderr).toBe(0)
      expect(backup.stdout).toContain(`from the running server, process ${server.child.pid}`)
      // the running server's per-run secret never goes into a backup
      const secret = readLockInfo(dataDir)?.secret
      expect(secret).toMatch(/^[0-9a-f]{64}$/)
      expect(gunzipSync(fs.readFileSync(file)).includes(secret!)).toBe(false)

      // restore refuses while a server holds the target folder, and leaves it alone
      const intoRunning = await runCli(['restore', file, '--force'], { DATA_DIR: dataDir })
      expect(intoRunning.code).toBe(1)
      expect(intoRunning.stderr).toContain(`the database in ${dataDir} is in use by process ${server.child.pid}`)

      server.child.kill('SIGTERM')
      await server.finished
      const original = await fingerprintFolder(dataDir)
      expect(original['public.users']).toMatchObject({ rows: 2 })
      expect(original['public.regions']).toMatchObject({ rows: 1 })

      const restoredDir = path.join(tempDir('restore'), 'data')
      const restore = await runCli(['restore', file], { DATA_DIR: restoredDir })
      expect(restore.code, restore.stderr).toBe(0)
      expect(fs.existsSync(path.join(restoredDir, 'everyinch-lock.json'))).toBe(false)
      expect(await fingerprintFolder(restoredDir)).toEqual(original)

      // a second restore into the now non-empty folder refuses without --force and changes nothing
      const again = await runCli(['restore', file], { DATA_DIR: restoredDir })
      expect(again.code).toBe(1)
      expect(again.stderr).toContain(
        `${restoredDir} already holds a database (1 region(s), 0 cell(s), 0 parcel(s), 2 user(s)); restore --force replaces it`,
      )
      expect(await fingerprintFolder(restoredDir)).toEqual(original)
    },
  )
})

describe.skipIf(templates.kind !== 'server')('backup and restore of a server database', () => {
  const drops: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const drop of drops) await drop()
  })

  test(
    'pg_dump custom format restores into a new database with identical tables',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const work = tempDir('backup')
      const source = await serverDatabase('empty')
      drops.push(source.drop)
      const imported = await runCli(['import', 'regions', regionFile(work)], { DATABASE_URL: source.url })
      expect(imported.code, imported.stderr).toBe(0)
      const created = await runCli(
        ['users', 'create', 'backed-up', '--role', 'viewer', '--password', 'a-long-enough-password'],
        { DATABASE_URL: source.url },
      )
      expect(created.code, created.stderr).toBe(0)

      const file = path.join(work, 'everyinch.dump')
      const backup = await runCli(['backup', file], { DATABASE_URL: source.url })
      expect(backup.code, backup.stderr).toBe(0)
      expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP')
      const original = await fingerprintServer(source.url)
      expect(original['public.users']).toMatchObject({ rows: 1 })
      expect(original['public.regions']).toMatchObject({ rows: 1 })

      const target = await serverDatabase('nothing')
      drops.push(target.drop)
      const restore = await runCli(['restore', file], { DATABASE_URL: target.url })
      expect(restore.code, restore.stderr).toBe(0)
      expect(await fingerprintServer(target.url)).toEqual(original)

      // restoring again into the now non-empty database refuses without --force and changes nothing
      const again = await runCli(['restore', file], { DATABASE_URL: target.url })
      expect(again.code).toBe(1)
      expect(again.stderr).toContain('the database in DATABASE_URL is not empty')
      expect(await fingerprintServer(target.url)).toEqual(original)
    },
  )

  test(
    'an embedded backup is refused by a server restore, naming what the file is',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const work = tempDir('backup-kind')
      const file = path.join(work, 'folder.backup')
      fs.writeFileSync(file, Buffer.from([0x1f, 0x8b, 8, 0, 0]))
      const target = await serverDatabase('nothing')
      drops.push(target.drop)
      const restore = await runCli(['restore', file], { DATABASE_URL: target.url })
      expect(restore.code).toBe(1)
      expect(restore.stderr).toContain('is an embedded data-folder backup')
      expect(Object.keys(await fingerprintServer(target.url))).toEqual([])
    },
  )
})
