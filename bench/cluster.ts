// The database side of a run: a private PostgreSQL 15 cluster (or DATABASE_URL), fresh databases, the machine.
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import { sql } from 'kysely'
import pg from 'pg'
import { openPGlite, openServer, postgisVersion, type Database } from '../server/src/db/database.js'
import { migrate } from '../server/src/db/migrate.js'
import { log } from './report.js'

// A private PostgreSQL 15 cluster (like .ci/run), unless DATABASE_URL is given.
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export async function startCluster(): Promise<{ url: string; stop: () => void }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => {} }
  const bin = '/usr/lib/postgresql/15/bin'
  if (!existsSync(`${bin}/initdb`))
    throw new Error(
      'PostgreSQL 15 is not installed (apt-get install -y postgresql-15 postgresql-15-postgis-3), or set DATABASE_URL',
    )
  const dir = mkdtempSync('/tmp/everyinch-bench-pg.')
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
  chownSync(dir, uid, uid)
  const port = await freePort()
  const su = (cmd: string) => execFileSync('su', ['postgres', '-c', cmd], { stdio: 'pipe' })
  su(`${bin}/initdb -D '${dir}/data' -A trust -U postgres >/dev/null`)
  const opts = [
    `-p ${port}`,
    `-k '${dir}'`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
    '-c jit=off',
    '-c shared_buffers=1GB',
    '-c work_mem=64MB',
    '-c maintenance_work_mem=512MB',
    '-c max_wal_size=8GB',
    '-c checkpoint_timeout=30min',
  ].join(' ')
  su(`${bin}/pg_ctl -D '${dir}/data' -o "${opts}" -l '${dir}/log' -w start >/dev/null`)
  log(`private PostgreSQL 15 cluster on port ${port} (${dir}; fsync=off)`)
  const stop = () => {
    try {
      su(`${bin}/pg_ctl -D '${dir}/data' -m immediate stop >/dev/null`)
    } catch {
      /* already stopped */
    }
  }
  process.on('exit', stop)
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop }
}

export const dbUrl = (url: string, name: string) => {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

export async function freshServerDb(url: string, name: string): Promise<Database> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const database = openServer(dbUrl(url, name), 20)
  await migrate(database)
  return database
}

// ---------------------------------------------------------------------------------------------------
export async function machine(url: string) {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  const pgVersion = (await c.query('SHOW server_version')).rows[0].server_version
  await c.end()
  const probe = openServer(url, 1)
  await sql`CREATE EXTENSION IF NOT EXISTS postgis`.execute(probe.db)
  const postgis = await postgisVersion(probe.db)
  await probe.close()
  const pglite = await openPGlite({})
  await pglite.exec('CREATE EXTENSION IF NOT EXISTS postgis')
  const embedded = (await pglite.query<{ v: string; p: string }>('SELECT version() AS v, postgis_lib_version() AS p'))
    .rows[0]!
  await pglite.close()
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: pgVersion,
    postgis,
    embedded: `${embedded.v.split(' on ')[0]} + PostGIS ${embedded.p}`,
    load: os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' '),
  }
}

export type Machine = Awaited<ReturnType<typeof machine>>
