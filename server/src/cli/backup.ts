// `backup FILE` and `restore FILE [--force]` for both databases.
import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../config.js'
import { openEmbedded, openPGlite } from '../db/database.js'
import { acquireDataFolderLock, DataFolderInUseError, requestBackupFromHolder } from '../db/data-folder-lock.js'
import {
  backupKindOf,
  describeSummary,
  dumpEmbedded,
  dumpServer,
  folderEntries,
  inspectServer,
  restoreEmbedded,
  restoreServer,
  summariseFolder,
  writeFileAtomically,
} from '../db/backup.js'

type Say = (line: string) => void

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

export class CliRefusal extends Error {}

/** Failures of pg_dump, pg_restore or the running server are told to the operator, not thrown as stacks. */
async function toldPlainly<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof CliRefusal || error instanceof DataFolderInUseError || !(error instanceof Error)) throw error
    throw new CliRefusal(error.message)
  }
}

export function backupCommand(config: Config, file: string | undefined, out: Say): Promise<number> {
  return toldPlainly(() => backup(config, file, out))
}

export function restoreCommand(config: Config, file: string | undefined, force: boolean, out: Say): Promise<number> {
  return toldPlainly(() => restore(config, file, force, out))
}

async function backup(config: Config, file: string | undefined, out: Say): Promise<number> {
  if (!file) throw new CliRefusal('usage: backup FILE')
  const target = path.resolve(file)
  if (config.databaseUrl) {
    await dumpServer(config.databaseUrl, target)
    out(
      `backed up the database in DATABASE_URL to ${target} (pg_dump custom format, ${megabytes(fs.statSync(target).size)})`,
    )
    return 0
  }
  if (!fs.existsSync(path.join(config.dataDir, 'PG_VERSION')))
    throw new CliRefusal(`there is no database in ${config.dataDir} to back up`)
  let lock
  try {
    lock = await acquireDataFolderLock(config.dataDir, { role: 'cli', command: 'backup' })
  } catch (error) {
    // only the running server may open its folder, so it makes the copy and sends it here
    if (!(error instanceof DataFolderInUseError) || error.holder?.role !== 'server') throw error
    const bytes = await requestBackupFromHolder(config.dataDir)
    writeFileAtomically(target, bytes)
    out(
      `backed up the database in ${config.dataDir} (from the running server, process ${error.holder.pid}) to ${target} (${megabytes(bytes.byteLength)})`,
    )
    return 0
  }
  try {
    const pglite = await openPGlite({ dataDir: config.dataDir })
    const database = await openEmbedded(pglite)
    try {
      const bytes = await dumpEmbedded(pglite)
      writeFileAtomically(target, bytes)
      out(`backed up the database in ${config.dataDir} to ${target} (${megabytes(bytes.byteLength)})`)
    } finally {
      await database.close()
    }
    return 0
  } finally {
    await lock.release()
  }
}

async function restore(config: Config, file: string | undefined, force: boolean, out: Say): Promise<number> {
  if (!file) throw new CliRefusal('usage: restore FILE [--force]')
  const source = path.resolve(file)
  if (!fs.existsSync(source)) throw new CliRefusal(`${source} does not exist`)
  const kind = backupKindOf(source)
  const expected = config.databaseUrl ? 'server' : 'embedded'
  if (kind !== expected) {
    const what =
      kind === 'server'
        ? 'a PostgreSQL server backup (pg_dump); set DATABASE_URL to restore it'
        : kind === 'embedded'
          ? 'an embedded data-folder backup; unset DATABASE_URL and set DATA_DIR to restore it'
          : 'not an everyinch backup'
    throw new CliRefusal(`${source} is ${what}`)
  }
  if (config.databaseUrl) {
    const target = await inspectServer(config.databaseUrl)
    if (target.otherSessions > 0) {
      throw new CliRefusal(
        `${target.otherSessions} other session(s) are connected to the database in DATABASE_URL (a running server?); stop them first`,
      )
    }
    if (target.tables > 0 && !force) {
      throw new CliRefusal(
        `the database in DATABASE_URL is not empty (${target.tables} table(s): ${describeSummary(target.summary)}); restore --force drops and recreates everything the backup holds`,
      )
    }
    await restoreServer(config.databaseUrl, source, { replace: target.tables > 0 })
    const after = await inspectServer(config.databaseUrl)
    out(
      `restored ${source} into the database in DATABASE_URL: ${describeSummary(after.summary)}${target.tables > 0 ? ` (replaced ${describeSummary(target.summary)})` : ''}`,
    )
    return 0
  }
  const lock = await acquireDataFolderLock(config.dataDir, { role: 'cli', command: 'restore' })
  try {
    let replaced: string | null = null
    if (folderEntries(config.dataDir).length) {
      replaced = await summariseFolder(config.dataDir)
      if (!force)
        throw new CliRefusal(
          `${config.dataDir} already holds a database (${replaced}); restore --force replaces it (the current folder is kept beside it)`,
        )
    }
    const result = await restoreEmbedded(source, config.dataDir)
    out(`restored ${source} into ${config.dataDir}: ${result.summary}`)
    if (result.previous)
      out(`the database it replaced (${replaced}) is kept in ${result.previous}; delete it when no longer needed`)
    return 0
  } finally {
    await lock.release()
  }
}
