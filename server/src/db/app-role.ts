// Server mode: migrations run as the tables' owner; the app runs as the restricted role everyinch_app
// (created and granted by migrations/20261130000100_system_of_record.sql), which may only read and add
// to the append-only tables and cannot TRUNCATE, ALTER, disable triggers or set
// session_replication_role. Two ways to run as it (README, "Database roles"):
// - DATABASE_URL is the owner: every app connection switches with the start-up option `-c role=…`.
//   Simple, but SQL that runs on such a connection could RESET ROLE, so it guards against mistakes and
//   bugs in the app, not against someone who can already run arbitrary SQL as the app.
// - DATABASE_URL is a dedicated LOGIN role that is a member of everyinch_app, and DATABASE_OWNER_URL the
//   owner for migrations: the strong form, the app's login has no more rights than the role.
import { sql, type Kysely } from 'kysely'
import type { DB } from './schema.js'
import { openDatabase, openServer, type Database } from './database.js'
import { waitForDatabase } from './connection-errors.js'
import { migrate, type MigrationResult } from './migrate.js'

export const APP_ROLE = 'everyinch_app'

export interface AppRolePlan {
  /** the role to switch every connection to, or null to run as the login itself */
  switchTo: string | null
  /** said at start-up when the tables are not protected */
  warning: string | null
}

/** What the login of this connection needs to run as the restricted role. */
export async function appRolePlan(db: Kysely<DB>): Promise<AppRolePlan> {
  const { rows } = await sql<{
    me: string
    superuser: boolean
    owner: boolean
    role_exists: boolean
    may_switch: boolean
  }>`
    SELECT current_user AS me,
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
           EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_log' AND tableowner = current_user) AS owner,
           EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${APP_ROLE}) AS role_exists,
           CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${APP_ROLE})
                THEN pg_has_role(current_user, ${APP_ROLE}, 'MEMBER') ELSE false END AS may_switch`.execute(db)
  const r = rows[0]!
  if (r.me === APP_ROLE || (!r.owner && !r.superuser)) return { switchTo: null, warning: null }
  if (r.role_exists && (r.superuser || r.may_switch)) return { switchTo: APP_ROLE, warning: null }
  return {
    switchTo: null,
    warning: `the app connects as "${r.me}", which owns the tables: the audit log and history are not protected; create the role ${APP_ROLE} (README, "Database roles")`,
  }
}

/**
 * Opens the database for the app after applying pending migrations: embedded, the one PGlite; server,
 * migrations over the owner's connection, then the app's pool as the restricted role where possible.
 */
export async function openMigrated(
  config: { databaseUrl?: string; databaseOwnerUrl?: string; dataDir: string; databaseWaitSeconds?: number },
  say: (line: string) => void,
  poolSize = 10,
): Promise<{ database: Database; migrated: MigrationResult }> {
  if (!config.databaseUrl) {
    const database = await openDatabase({ dataDir: config.dataDir })
    return { database, migrated: await migrate(database) }
  }
  const ownerUrl = config.databaseOwnerUrl ?? config.databaseUrl
  // a database that is not up yet (a restart, containers starting together) is waited for, with a line per attempt
  await waitForDatabase(ownerUrl, { seconds: config.databaseWaitSeconds ?? 0, say })
  const owner = openServer(ownerUrl, 2)
  let migrated: MigrationResult
  let plan: AppRolePlan
  try {
    migrated = await migrate(owner)
    const probe = ownerUrl === config.databaseUrl ? owner : openServer(config.databaseUrl, 1)
    try {
      plan = await appRolePlan(probe.db)
    } finally {
      if (probe !== owner) await probe.close()
    }
  } finally {
    await owner.close()
  }
  if (plan.warning) say(`WARNING: ${plan.warning}`)
  else if (plan.switchTo) say(`the app's database connections run as the restricted role ${plan.switchTo}`)
  return { database: openServer(config.databaseUrl, poolSize, undefined, plan.switchTo ?? undefined), migrated }
}
