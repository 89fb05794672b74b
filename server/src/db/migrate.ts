// Applies migrations/*.sql in name order, each once, each in its own transaction. Kysely's Migrator
// wants TypeScript migration modules and sends statements through the extended protocol, which cannot
// run a multi-statement SQL file on PGlite; this small runner keeps migrations as plain, frozen SQL.
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { Database } from './database.js'

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations')

export interface MigrationResult {
  applied: string[]
  level: string | null
}

interface MigrationFile {
  name: string
  sql: string
  sha256: string
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort()
  return Promise.all(
    names.map(async (file) => {
      const text = await readFile(path.join(dir, file), 'utf8')
      return { name: file.replace(/\.sql$/, ''), sql: text, sha256: createHash('sha256').update(text).digest('hex') }
    }),
  )
}

export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const { db } = database
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(db)
  // Serialise concurrent starters on a server (the lock is held by one pinned connection);
  // PGlite has a single connection anyway.
  if (database.kind === 'embedded') return applyPending(database, dir)
  return db.connection().execute(async (pinned) => {
    await sql`SELECT pg_advisory_lock(4242001)`.execute(pinned)
    try {
      return await applyPending(database, dir)
    } finally {
      await sql`SELECT pg_advisory_unlock(4242001)`.execute(pinned)
    }
  })
}

async function applyPending(database: Database, dir: string): Promise<MigrationResult> {
  const { db } = database
  {
    const files = await readMigrations(dir)
    const { rows: done } = await sql<{ name: string; sha256: string }>`
      SELECT name, sha256 FROM schema_migrations`.execute(db)
    const appliedHash = new Map(done.map((r) => [r.name, r.sha256]))
    const applied: string[] = []
    for (const file of files) {
      const known = appliedHash.get(file.name)
      if (known !== undefined) {
        if (known !== file.sha256) {
          throw new Error(`migration ${file.name} was changed after it was applied; add a new migration instead`)
        }
        continue
      }
      await database.execScript(file.sql, {
        sql: 'INSERT INTO schema_migrations (name, sha256) VALUES ($1, $2)',
        params: [file.name, file.sha256],
      })
      applied.push(file.name)
    }
    return { applied, level: files.at(-1)?.name ?? null }
  }
}

export async function migrationLevel(database: Database): Promise<string | null> {
  const { rows } = await sql<{ name: string }>`
    SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1`.execute(database.db)
  return rows[0]?.name ?? null
}
