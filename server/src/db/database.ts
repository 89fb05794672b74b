// One Kysely instance over either database. The embedded PGlite + PostGIS and a PostgreSQL + PostGIS
// server run the same repositories; what differs between them is detected once here.
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import type { DB } from './schema.js'

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

export function openServer(connectionString: string, poolSize = 10, onIdleError?: (error: Error) => void): Database {
  const pool = new pg.Pool({ connectionString, max: poolSize, options: SERVER_SESSION_OPTIONS })
  // An idle client whose connection the server ends (restart, failover, admin) emits 'error'; without a
  // listener that would crash the process. The pool drops the client and opens a new one when needed.
  pool.on('error', (error) => (onIdleError ?? ((e: Error) => console.error(`everyinch: idle database connection lost: ${e.message}`)))(error))
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

export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (options.databaseUrl) return openServer(options.databaseUrl)
  return openEmbedded(await openPGlite({ dataDir: options.dataDir }))
}

export async function detectCapabilities(db: Kysely<DB>): Promise<Capabilities> {
  // The embedded PostGIS declares ST_AsMVT but was built without protobuf-c, so calling it is the test.
  try {
    await sql`SELECT ST_AsMVT(t) FROM (SELECT 1 AS a, ST_AsMVTGeom(ST_Point(0, 0), ST_MakeEnvelope(0, 0, 1, 1)) AS g) t`.execute(db)
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
