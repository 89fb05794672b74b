// One Kysely instance over either database. The embedded PGlite + PostGIS and a PostgreSQL + PostGIS
// server run the same repositories; what differs between them is detected once here.
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import type { DB } from './schema.js'
import { waitForDatabase } from './connection-errors.js'

export type DatabaseKind = 'embedded' | 'server'

export interface Capabilities {
  /** ST_AsMVT / ST_AsMVTGeom exist (the embedded PostGIS is built without protobuf-c). */
  mvt: boolean
}

export interface Database {
  db: Kysely<DB>
  kind: DatabaseKind
  /** The embedded engine itself (backups of the data folder); absent on a server. */
  pglite?: PGlite
  /** Run a multi-statement script in one transaction (migrations, bulk set-up). */
  execScript(script: string, afterwards?: { sql: string; params: unknown[] }): Promise<void>
  close(): Promise<void>
}

const DATE_OID = 1082
const INT8_OID = 20
const NUMERIC_OID = 1700

// Dates stay 'YYYY-MM-DD' strings (a responsibility's last day is a calendar day, not an instant);
// bigint and numeric become numbers (counts and areas are far below 2^53).
pg.types.setTypeParser(DATE_OID, (v) => v)
pg.types.setTypeParser(INT8_OID, (v) => Number(v))
pg.types.setTypeParser(NUMERIC_OID, (v) => Number(v))

const pgliteParsers = {
  [DATE_OID]: (v: string) => v,
  [INT8_OID]: (v: string) => Number(v),
  [NUMERIC_OID]: (v: string) => Number(v),
}

export async function openPGlite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<PGlite> {
  return PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    extensions: { postgis },
    parsers: pgliteParsers,
  })
}

export async function openEmbedded(pglite: PGlite): Promise<Database> {
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) })
  return {
    db,
    kind: 'embedded',
    pglite,
    async execScript(script, afterwards) {
      await pglite.transaction(async (tx) => {
        await tx.exec(script)
        if (afterwards) await tx.query(afterwards.sql, afterwards.params)
      })
    },
    async close() {
      await db.destroy()
    },
  }
}

/**
 * Session settings for every server connection. jit=off: PostGIS declares its functions expensive
 * (COST 10000), so nearly every spatial query crosses the JIT threshold and compiles for 0.3–0.8 s —
 * longer than the query itself (a township's gap check: 400 ms with JIT, 9 ms without; see bench/).
 */
export const SERVER_SESSION_OPTIONS = '-c jit=off'

/** `role`: the role every connection switches to at start-up (the app's restricted role; see app-role.ts). */
export function openServer(
  connectionString: string,
  poolSize = 10,
  onConnectionError?: (error: Error) => void,
  role?: string,
): Database {
  const options = role ? `${SERVER_SESSION_OPTIONS} -c role=${role}` : SERVER_SESSION_OPTIONS
  const pool = new pg.Pool({ connectionString, max: poolSize, options })
  const report = onConnectionError ?? ((e: Error) => console.error(`everyinch: database connection lost: ${e.message}`))
  // A connection the server ends (restart, failover, pg_terminate_backend) emits 'error' on its client;
  // an 'error' event without a listener kills the process. The pool listens only while a client is
  // idle, so every client gets its own listener for its whole life, checked out or not. The query
  // running on it fails on its own (the request answers 503), and the pool discards the broken client
  // when it is released and opens a new one when needed.
  pool.on('connect', (client) => client.on('error', report))
  pool.on('error', () => {}) // idle clients: already reported by the listener above
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    kind: 'server',
    async execScript(script, afterwards) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        await client.query(script)
        if (afterwards) await client.query(afterwards.sql, afterwards.params)
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    async close() {
      await db.destroy()
    },
  }
}

/**
 * Opens the configured database. A server that is not reachable yet (still starting, restarting) is
 * waited for up to `databaseWaitSeconds`, with one log line per attempt (see waitForDatabase).
 */
export async function openDatabase(
  options: { databaseUrl?: string; dataDir: string; databaseWaitSeconds?: number },
  say: (line: string) => void = (line) => console.error(`everyinch: ${line}`),
): Promise<Database> {
  if (options.databaseUrl) {
    await waitForDatabase(options.databaseUrl, { seconds: options.databaseWaitSeconds ?? 0, say })
    return openServer(options.databaseUrl)
  }
  return openEmbedded(await openPGlite({ dataDir: options.dataDir }))
}

export async function detectCapabilities(db: Kysely<DB>): Promise<Capabilities> {
  // The embedded PostGIS declares ST_AsMVT but was built without protobuf-c, so calling it is the test.
  try {
    await sql`SELECT ST_AsMVT(t) FROM (SELECT 1 AS a, ST_AsMVTGeom(ST_Point(0, 0), ST_MakeEnvelope(0, 0, 1, 1)) AS g) t`.execute(
      db,
    )
    return { mvt: true }
  } catch {
    return { mvt: false }
  }
}

export async function postgisVersion(db: Kysely<DB>): Promise<string | null> {
  try {
    const { rows } = await sql<{ v: string }>`SELECT postgis_lib_version() AS v`.execute(db)
    return rows[0]?.v ?? null
  } catch {
    return null
  }
}
