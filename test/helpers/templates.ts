// Migrated template databases, built once per test run (and cached between runs when nothing they
// depend on changed): "empty" (schema only) and "demo" (the Boai demo loaded). Each test file gets its
// own copy: a PGlite data-dir tarball for the embedded database, CREATE DATABASE … TEMPLATE on a server.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { openEmbedded, openPGlite, openServer, type Database } from '../../server/src/db/database.js'
import { migrate } from '../../server/src/db/migrate.js'
import { loadDemo } from '../../server/src/services/demo.service.js'

export type TemplateName = 'empty' | 'demo'
export const ROOT = path.resolve(import.meta.dirname, '../..')
const CACHE_DIR = path.join(ROOT, 'node_modules/.cache/everyinch-test')

function hashTree(hash: ReturnType<typeof createHash>, dir: string) {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) hashTree(hash, full)
    else hash.update(name).update(readFileSync(full))
  }
}

/** Changes whenever migrations, the demo fixture or the code that loads it changes. */
export function templateHash(): string {
  const hash = createHash('sha256')
  for (const dir of ['migrations', 'fixtures/boai', 'server/src']) hashTree(hash, path.join(ROOT, dir))
  return hash.digest('hex').slice(0, 12)
}

async function fill(database: Database, name: TemplateName) {
  await migrate(database)
  if (name === 'demo') await loadDemo(database.db, { matchToleranceM2: 10 })
}

export async function buildEmbeddedTemplate(name: TemplateName, hash: string): Promise<string> {
  const file = path.join(CACHE_DIR, `${name}-${hash}.tar.gz`)
  if (existsSync(file)) return file
  mkdirSync(CACHE_DIR, { recursive: true })
  // templates of older code are of no further use (kept an hour in case another run still reads one)
  for (const old of readdirSync(CACHE_DIR)) {
    const full = path.join(CACHE_DIR, old)
    if (old.startsWith(`${name}-`) && !old.includes(hash) && Date.now() - statSync(full).mtimeMs > 3600_000)
      rmSync(full, { force: true })
  }
  const pglite = await openPGlite({})
  const database = await openEmbedded(pglite)
  await fill(database, name)
  const dump = await pglite.dumpDataDir('gzip')
  writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()))
  renameSync(`${file}.tmp`, file)
  await database.close()
  return file
}

const adminUrl = (url: string, dbName: string) => {
  const u = new URL(url)
  u.pathname = `/${dbName}`
  return u.toString()
}

export async function buildServerTemplate(url: string, name: TemplateName, hash: string): Promise<string> {
  const dbName = `everyinch_tpl_${name}_${hash}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])
    if (rowCount) return dbName
    const building = `${dbName}_building`
    await admin.query(`DROP DATABASE IF EXISTS ${building}`)
    await admin.query(`CREATE DATABASE ${building}`)
    const database = openServer(adminUrl(url, building), 2)
    await fill(database, name)
    await database.close()
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${dbName}`)
    return dbName
  } finally {
    await admin.end()
  }
}

/**
 * A fresh copy of a template. On a server, `database` runs as `role` when given (the app's restricted
 * role, as in production) and `owner()` opens a connection as the tables' owner, for set-up that needs
 * owner rights; embedded, there are no roles and both are the one PGlite.
 */
export async function openCopy(
  template: { kind: 'embedded'; file: string } | { kind: 'server'; url: string; dbName: string },
  role?: string,
): Promise<{ database: Database; owner: () => Database; drop: () => Promise<void> }> {
  if (template.kind === 'embedded') {
    const pglite = await openPGlite({ loadDataDir: new Blob([readFileSync(template.file)]) })
    const database = await openEmbedded(pglite)
    return { database, owner: () => database, drop: async () => {} }
  }
  const copy = `everyinch_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: template.url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${copy} TEMPLATE ${template.dbName}`)
  await admin.end()
  // connections ended by the DROP … WITH (FORCE) below are expected
  const database = openServer(adminUrl(template.url, copy), 5, () => {}, role)
  let owner: Database | undefined
  return {
    database,
    owner: () => (owner ??= role ? openServer(adminUrl(template.url, copy), 2, () => {}) : database),
    drop: async () => {
      if (owner && owner !== database) await owner.close()
      const a = new pg.Client({ connectionString: template.url })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`)
      await a.end()
    },
  }
}
