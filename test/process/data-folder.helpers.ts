// Spawning the real server and CLI processes on a data folder or a server database, for test/process.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'
import { openEmbedded, openPGlite } from '../../server/src/db/database.js'
import { LOCK_INFO_FILE, type LockHolder } from '../../server/src/db/data-folder-lock.js'
import { ROOT } from '../helpers/templates.js'

export const ADMIN_PASSWORD = 'process-test-admin-pw'

/** The environment of a child: the test's own, minus what would point it at another database. */
function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DEMO_DATA: 'off',
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_PASSWORD,
    LOG_LEVEL: 'info',
    FLAG_ESCALATION_INTERVAL_MINUTES: '0',
  }
  delete env.DATABASE_URL
  delete env.DATA_DIR
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

/** node with tsx's loader in the same process, so the child's pid is the pid that holds the lock. */
function spawnTs(entry: string, args: string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

export interface Finished {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function collect(child: ChildProcess): Promise<Finished> {
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (c) => (stdout += c))
  child.stderr!.on('data', (c) => (stderr += c))
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })))
}

/** Signs in as the first admin over HTTP and returns the logins of every account the server sees. */
export async function loginsSeenBy(url: string): Promise<string[]> {
  const session = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }),
  })
  if (session.status !== 200) throw new Error(`sign-in failed: ${session.status} ${await session.text()}`)
  const { token } = (await session.json()) as { token: string }
  const users = await fetch(`${url}/api/users`, { headers: { authorization: `Bearer ${token}` } })
  if (users.status !== 200) throw new Error(`GET /api/users: ${users.status} ${await users.text()}`)
  const body = (await users.json()) as { login: string }[] | { items: { login: string }[] }
  return (Array.isArray(body) ? body : body.items).map((u) => u.login)
}

export function runCli(args: string[], env: Record<string, string | undefined>): Promise<Finished> {
  return collect(spawnTs('server/src/cli/index.ts', args, env))
}

export interface RunningServer {
  child: ChildProcess
  url: string
  finished: Promise<Finished>
  output(): string
}

/**
 * Starts the server on DATA_DIR and resolves once it says it is ready, with its address (from its
 * ready line), or rejects with its output if it exits first.
 */
export async function startServer(dataDir: string): Promise<RunningServer> {
  const child = spawnTs('server/src/server.ts', [], { DATA_DIR: dataDir })
  let all = ''
  child.stdout!.on('data', (c) => (all += c))
  child.stderr!.on('data', (c) => (all += c))
  const finished = collect(child)
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (/everyinch: ready/.test(all)) {
        child.stdout!.off('data', onData)
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    void finished.then((f) =>
      reject(new Error(`the server exited (${f.code ?? f.signal}) before it was ready:\n${all}`)),
    )
  })
  // the ready line names the port actually bound (PORT=0 picks a free one)
  const url = /everyinch: ready in [\d.]+ s at (http:\/\/[^/\s]+)\//.exec(all)?.[1]
  if (!url) throw new Error(`the server is ready but did not say where it listens:\n${all}`)
  return { child, url, finished, output: () => all }
}

/**
 * Starts a server that is expected to be refused: resolves when it exits, or (if it gets as far as ready)
 * stops it and says so, so that a start that is wrongly allowed fails the test instead of hanging it.
 */
export async function startRefusedServer(dataDir: string): Promise<Finished & { becameReady: boolean }> {
  const child = spawnTs('server/src/server.ts', [], { DATA_DIR: dataDir })
  let becameReady = false
  child.stdout!.on('data', (c: Buffer) => {
    if (!becameReady && /everyinch: ready/.test(c.toString())) {
      becameReady = true
      child.kill('SIGKILL')
    }
  })
  return { ...(await collect(child)), becameReady }
}

export function readLockInfo(dataDir: string): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_INFO_FILE), 'utf8')) as LockHolder
  } catch {
    return null
  }
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `everyinch-${label}-`))
}

/** A data folder holding a copy of the migrated "empty" template (so the server need not migrate). */
export async function migratedFolder(label: string): Promise<string> {
  const t = inject('templates')
  if (t.kind !== 'embedded') throw new Error('migratedFolder needs the embedded templates')
  const dir = path.join(tempDir(label), 'data')
  const pglite = await openPGlite({
    dataDir: dir,
    loadDataDir: new Blob([fs.readFileSync(t.empty)], { type: 'application/x-gzip' }),
  })
  await (await openEmbedded(pglite)).close()
  return dir
}

/** A new database on the test server: a copy of the "empty" template, or nothing at all. */
export async function serverDatabase(from: 'empty' | 'nothing'): Promise<{ url: string; drop: () => Promise<void> }> {
  const t = inject('templates')
  if (t.kind !== 'server') throw new Error('serverDatabase needs DATABASE_URL')
  const name = `everyinch_p_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: t.url })
  await admin.connect()
  await admin.query(
    from === 'empty' ? `CREATE DATABASE ${name} TEMPLATE ${t.empty}` : `CREATE DATABASE ${name} TEMPLATE template0`,
  )
  await admin.end()
  const u = new URL(t.url)
  u.pathname = `/${name}`
  return {
    url: u.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: t.url })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

export interface TableFingerprint {
  rows: number
  md5: string
}

// Every table's row count and a hash of its whole content (rows as text, sorted), and every sequence's
// position: equal fingerprints mean the same data and the same next ids.
const FINGERPRINT_TABLES = `
  SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
  WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`
const FINGERPRINT_SEQUENCES = `
  SELECT format('%I.%I', schemaname, sequencename) AS name FROM pg_sequences
  WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`
const fingerprintOf = (table: string) =>
  `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM ${table} t`
const positionOf = (seq: string) => `SELECT last_value::text AS last, is_called FROM ${seq}`

type Query = (text: string) => Promise<Record<string, unknown>[]>

async function fingerprintWith(query: Query): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {}
  for (const { name } of (await query(FINGERPRINT_TABLES)) as { name: string }[])
    result[name] = (await query(fingerprintOf(name)))[0]
  for (const { name } of (await query(FINGERPRINT_SEQUENCES)) as { name: string }[])
    result[`sequence ${name}`] = (await query(positionOf(name)))[0]
  return result
}

export async function fingerprintFolder(dataDir: string): Promise<Record<string, unknown>> {
  const pglite = await openPGlite({ dataDir })
  try {
    return await fingerprintWith(async (text) => (await pglite.query<Record<string, unknown>>(text)).rows)
  } finally {
    await pglite.close()
  }
}

export async function fingerprintServer(url: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fingerprintWith(async (text) => (await client.query(text)).rows)
  } finally {
    await client.end()
  }
}
