// Backups of either database. Server: pg_dump / pg_restore in the custom format. Embedded: a gzipped tar
// of the PGlite data folder (what PGlite itself loads with `loadDataDir`), taken by the one process that
// has the folder open, so that it is consistent while the server runs.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { sql, type Kysely } from 'kysely'
import type { PGlite } from '@electric-sql/pglite'
import { openEmbedded, openPGlite, SERVER_SESSION_OPTIONS } from './database.js'
import { LOCK_INFO_FILE } from './data-folder-lock.js'
import type { DB } from './schema.js'

export type BackupKind = 'embedded' | 'server'

/** What a file holds, by its first bytes: pg_dump's custom format starts "PGDMP", a gzip 1f 8b. */
export function backupKindOf(file: string): BackupKind | null {
  const head = Buffer.alloc(5)
  const fd = fs.openSync(file, 'r')
  try {
    fs.readSync(fd, head, 0, 5, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (head.toString('latin1') === 'PGDMP') return 'server'
  if (head[0] === 0x1f && head[1] === 0x8b) return 'embedded'
  return null
}

/** Writes through a temporary file in the same folder, so FILE is either the whole backup or untouched. */
export function writeFileAtomically(file: string, bytes: Uint8Array) {
  const tmp = `${file}.${process.pid}.partial`
  try {
    fs.writeFileSync(tmp, bytes, { mode: 0o600 })
    fs.renameSync(tmp, file)
  } finally {
    fs.rmSync(tmp, { force: true })
  }
}

// ---------------------------------------------------------------------------------------------- embedded

/** Tar entries other than the lock's info file (it holds the running process's secret; never back it up). */
function withoutLockInfo(tar: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = []
  let offset = 0
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512)
    if (header.every((b) => b === 0)) break
    const field = (from: number, length: number) =>
      Buffer.from(header.subarray(from, from + length))
        .toString('utf8')
        .replace(/\0.*$/s, '')
    const prefix = field(257, 6).startsWith('ustar') ? field(345, 155) : ''
    const name = (prefix ? `${prefix}/` : '') + field(0, 100)
    const size = parseInt(field(124, 12).trim() || '0', 8)
    const length = 512 + Math.ceil(size / 512) * 512
    if (!name.replace(/^\.?\/+/, '').startsWith(LOCK_INFO_FILE)) kept.push(tar.subarray(offset, offset + length))
    offset += length
  }
  kept.push(new Uint8Array(1024))
  return Buffer.concat(kept)
}

/**
 * A consistent copy of an open PGlite database. The checkpoint writes every committed change to the data
 * files; the tar is then read in one synchronous pass (no query runs meanwhile), so it is at worst a
 * crash-consistent image whose WAL PGlite replays on load.
 */
export async function dumpEmbedded(pglite: PGlite): Promise<Uint8Array> {
  await pglite.exec('CHECKPOINT')
  const tar = new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer())
  return gzipSync(withoutLockInfo(tar))
}

export interface DatabaseSummary {
  regions: number
  cells: number
  parcels: number
  users: number
}

async function summarise(db: Kysely<DB>): Promise<DatabaseSummary | null> {
  try {
    const { rows } = await sql<DatabaseSummary>`
      SELECT (SELECT count(*) FROM regions)::int AS regions, (SELECT count(*) FROM grid_cells)::int AS cells,
             (SELECT count(*) FROM parcels)::int AS parcels, (SELECT count(*) FROM users)::int AS users`.execute(db)
    return rows[0] ?? null
  } catch {
    return null
  }
}

export function describeSummary(summary: DatabaseSummary | null): string {
  if (!summary) return 'not an everyinch database'
  return `${summary.regions} region(s), ${summary.cells} cell(s), ${summary.parcels} parcel(s), ${summary.users} user(s)`
}

/** Entries of a data folder besides the lock's own info file. */
export function folderEntries(dataDir: string): string[] {
  if (!fs.existsSync(dataDir)) return []
  return fs.readdirSync(dataDir).filter((name) => !name.startsWith(LOCK_INFO_FILE))
}

/** What an existing (locked, closed) data folder holds, for the "this replaces …" message. */
export async function summariseFolder(dataDir: string): Promise<string> {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION')))
    return `${folderEntries(dataDir).length} file(s) that are not a database`
  const database = await openEmbedded(await openPGlite({ dataDir }))
  try {
    return describeSummary(await summarise(database.db))
  } finally {
    await database.close()
  }
}

/**
 * Loads a backup into a new folder beside DATA_DIR, checks it opens, then swaps it in. An existing folder
 * is moved aside (returned), never deleted. The caller holds the folder's lock.
 */
export async function restoreEmbedded(
  file: string,
  dataDir: string,
): Promise<{ summary: string; previous: string | null }> {
  const staging = `${dataDir}.restoring-${process.pid}`
  fs.rmSync(staging, { recursive: true, force: true })
  let summary: string
  try {
    const database = await openEmbedded(
      await openPGlite({
        dataDir: staging,
        loadDataDir: new Blob([fs.readFileSync(file)], { type: 'application/x-gzip' }),
      }),
    )
    try {
      summary = describeSummary(await summarise(database.db))
    } finally {
      await database.close()
    }
    fs.rmSync(path.join(staging, LOCK_INFO_FILE), { force: true })
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true })
    throw error
  }
  let previous: string | null = null
  if (folderEntries(dataDir).length) {
    previous = `${dataDir}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`
    fs.renameSync(dataDir, previous)
    fs.rmSync(path.join(previous, LOCK_INFO_FILE), { force: true })
  } else {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  fs.renameSync(staging, dataDir)
  return { summary, previous }
}

// ------------------------------------------------------------------------------------------------ server

/** pg_dump / pg_restore from PATH, else the newest under /usr/lib/postgresql/N/bin (Debian's layout). */
export function findPgTool(name: 'pg_dump' | 'pg_restore'): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name)
  }
  const root = '/usr/lib/postgresql'
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : []
  for (const version of versions) {
    const candidate = path.join(root, version, 'bin', name)
    if (fs.existsSync(candidate)) return candidate
  }
  throw new Error(
    `${name} was not found on PATH or in ${root}/*/bin; install the PostgreSQL client (Debian: apt-get install -y postgresql-client)`,
  )
}

function run(tool: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'inherit', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(tool)} failed (exit ${code}): ${stderr.trim()}`)),
    )
  })
}

export async function dumpServer(databaseUrl: string, file: string): Promise<void> {
  const tool = findPgTool('pg_dump')
  const tmp = `${file}.${process.pid}.partial`
  try {
    await run(tool, ['--format=custom', `--file=${tmp}`, `--dbname=${databaseUrl}`])
    fs.chmodSync(tmp, 0o600)
    fs.renameSync(tmp, file)
  } finally {
    fs.rmSync(tmp, { force: true })
  }
}

export interface ServerTarget {
  /** Tables other than PostGIS's own. */
  tables: number
  /** Other sessions on the database (a running server). */
  otherSessions: number
  summary: DatabaseSummary | null
}

/**
 * Client sessions on this database other than ours. Autovacuum workers (busy right after a restore)
 * are not sessions anyone must stop, and a client that has just disconnected stays listed until its
 * backend exits, so a non-zero count is read again for up to two seconds before it is believed.
 */
async function settledClientSessions(client: pg.Client): Promise<number> {
  const count = async () =>
    (
      await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      )
    ).rows[0]!.n
  let sessions = await count()
  for (let attempt = 0; sessions > 0 && attempt < 20; attempt++) {
    await client.query('SELECT pg_sleep(0.1)')
    sessions = await count()
  }
  return sessions
}

export async function inspectServer(databaseUrl: string): Promise<ServerTarget> {
  const client = new pg.Client({ connectionString: databaseUrl, options: SERVER_SESSION_OPTIONS })
  await client.connect()
  try {
    const tables = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename <> 'spatial_ref_sys'`,
    )
    const otherSessions = await settledClientSessions(client)
    let summary: DatabaseSummary | null = null
    if (tables.rows[0]!.n > 0) {
      summary = await client
        .query<DatabaseSummary>(
          `SELECT (SELECT count(*) FROM regions)::int AS regions, (SELECT count(*) FROM grid_cells)::int AS cells,
                  (SELECT count(*) FROM parcels)::int AS parcels, (SELECT count(*) FROM users)::int AS users`,
        )
        .then(
          (r) => r.rows[0] ?? null,
          () => null,
        )
    }
    return { tables: tables.rows[0]!.n, otherSessions, summary }
  } finally {
    await client.end()
  }
}

/**
 * pg_restore in one transaction (all or nothing). With `replace`, objects in the backup are dropped before
 * they are recreated (--clean); objects the backup does not hold are left alone.
 */
export async function restoreServer(databaseUrl: string, file: string, options: { replace: boolean }): Promise<void> {
  const tool = findPgTool('pg_restore')
  const args = ['--exit-on-error', '--single-transaction', `--dbname=${databaseUrl}`]
  if (options.replace) args.push('--clean', '--if-exists')
  await run(tool, [...args, file])
}
