// The data-folder lock and its control channel, in one process (no database): quick checks of the parts
// the spawned-process tests exercise end to end.
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import {
  acquireDataFolderLock,
  DataFolderInUseError,
  readHolder,
  requestBackupFromHolder,
} from '../../server/src/db/data-folder-lock.js'
import { tempDir } from './data-folder.helpers.js'

describe.skipIf(process.platform !== 'linux')('acquireDataFolderLock', () => {
  test('a second holder is refused with the first one named, and may take the folder once it is released', async () => {
    const dataDir = path.join(tempDir('lock-unit'), 'data')
    const first = await acquireDataFolderLock(dataDir, { role: 'server' })
    first.setServerUrl('http://localhost:3999')
    const refused = await acquireDataFolderLock(dataDir, { role: 'cli', command: 'users create' }).catch(
      (e: unknown) => e,
    )
    expect(refused).toBeInstanceOf(DataFolderInUseError)
    expect((refused as Error).message).toBe(
      `the database in ${dataDir} is in use by process ${process.pid} (server on http://localhost:3999); stop it first, or make the change through the running server's web app/API`,
    )
    // the same folder through a symbolic link is the same lock
    const link = path.join(path.dirname(dataDir), 'link')
    fs.symlinkSync(dataDir, link)
    await expect(acquireDataFolderLock(link, { role: 'cli', command: 'migrate' })).rejects.toBeInstanceOf(
      DataFolderInUseError,
    )

    await first.release()
    expect(fs.existsSync(path.join(dataDir, 'everyinch-lock.json'))).toBe(false)
    const second = await acquireDataFolderLock(dataDir, { role: 'cli', command: 'migrate' })
    expect(readHolder(dataDir)).toMatchObject({ pid: process.pid, role: 'cli', command: 'migrate' })
    await second.release()
  })

  test('the control channel answers a backup request only with the secret from the info file', async () => {
    const dataDir = path.join(tempDir('lock-unit'), 'data')
    const lock = await acquireDataFolderLock(dataDir, { role: 'server' })
    const payload = new Uint8Array(300_000).map((_, i) => i % 251)
    lock.serveBackups(async () => payload)
    try {
      expect(Buffer.compare(Buffer.from(await requestBackupFromHolder(dataDir)), Buffer.from(payload))).toBe(0)

      // a wrong secret gets a refusal, not data
      const name = `\0everyinch-${createHash('sha256').update(fs.realpathSync(dataDir)).digest('hex').slice(0, 40)}`
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(name, () =>
          socket.write(`${JSON.stringify({ secret: 'f'.repeat(64), op: 'backup' })}\n`),
        )
        let text = ''
        socket.on('data', (c) => (text += c))
        socket.on('end', () => resolve(text))
        socket.on('error', reject)
      })
      expect(JSON.parse(answer)).toEqual({ ok: false, message: 'wrong secret' })
    } finally {
      await lock.release()
    }
  })
})
