// Issue 11 item 4: the records of what happened (audit_log, flag_events, flag_photos, cell_versions)
// can only be added to. Everywhere a trigger refuses changes; on a server the app also runs as the role
// everyinch_app, which lacks the rights to change them or to get round the triggers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Database } from '../../server/src/db/database.js'
import { insertAudit, SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { recordCellVersions } from '../../server/src/db/repositories/cell-versions.repository.js'
import { appRolePlan, APP_ROLE } from '../../server/src/db/app-role.js'
import { box, factories } from '../helpers/factories.js'
import { testDatabase } from '../helpers/database.js'

const server = !!process.env.DATABASE_URL
let app: Database
let owner: Database
let close: () => Promise<void>
let cellId: number
const APPEND_ONLY = ['audit_log', 'flag_events', 'flag_photos', 'cell_versions'] as const

beforeAll(async () => {
  const t = await testDatabase('empty')
  ;({ database: app, close } = t)
  owner = t.owner()
  // one row in each table, written as the app writes
  const f = factories(app.db)
  const region = await f.region()
  cellId = (await f.cell({ regionId: region.id, code: 'A', level: 1, geometry: box(113, 35, 113.05, 35.05) })).id
  await insertAudit(app.db, { actor: SYSTEM_ACTOR, action: 'test', entityType: 'test', entityId: 1 })
  await sql`
    WITH f AS (
      INSERT INTO flags (category, location) SELECT code, ST_SetSRID(ST_MakePoint(113.01, 35.01), 4326) FROM flag_categories LIMIT 1 RETURNING id
    ), e AS (
      INSERT INTO flag_events (flag_id, at, actor_login, action) SELECT id, now(), 'test', 'register' FROM f RETURNING id, flag_id
    )
    INSERT INTO flag_photos (flag_id, event_id, content_type, size_bytes, sha256, data, created_at)
    SELECT flag_id, id, 'image/png', 3, 'x', '\\x010203'::bytea, now() FROM e`.execute(app.db)
})
afterAll(async () => close())

const count = async (db: Database, table: string) =>
  Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db.db)).rows[0]!.n)

/** Runs a statement in a transaction that is rolled back whatever happens; returns the error, if any. */
async function attempt(db: Database, statement: string): Promise<string | null> {
  try {
    await db.db.transaction().execute(async (tx) => {
      await sql.raw(statement).execute(tx)
      throw new Error('__rollback__')
    })
  } catch (error) {
    const message = (error as Error).message
    return message === '__rollback__' ? null : message
  }
  return null
}

describe('append-only tables, for every connection (the owner included)', () => {
  for (const table of APPEND_ONLY) {
    it(`refuses UPDATE, DELETE and TRUNCATE on ${table}`, async () => {
      const before = await count(owner, table)
      const column =
        table === 'audit_log'
          ? 'reason'
          : table === 'flag_photos'
            ? 'filename'
            : table === 'flag_events'
              ? 'comment'
              : 'name'
      expect(await attempt(owner, `UPDATE ${table} SET ${column} = 'changed'`)).toMatch(/append-only/)
      expect(await attempt(owner, `DELETE FROM ${table}`)).toMatch(/append-only/)
      expect(await attempt(owner, `TRUNCATE ${table} CASCADE`)).toMatch(/append-only/)
      expect(await count(owner, table)).toBe(before)
      expect(before).toBeGreaterThan(0)
    })
  }

  it('lets a cell version be closed (valid_to set once), and nothing else', async () => {
    const open = async () =>
      (
        await sql<{
          n: number
        }>`SELECT count(*)::int AS n FROM cell_versions WHERE cell_id = ${cellId} AND valid_to IS NULL`.execute(
          owner.db,
        )
      ).rows[0]!.n
    expect(await open()).toBe(1)
    // the app's own path: the cell changes (its version goes up), the new version closes the previous one
    await sql`UPDATE grid_cells SET version = version + 1 WHERE id = ${cellId}`.execute(app.db)
    await recordCellVersions(app.db, [cellId], new Date('2021-01-01T00:00:00Z'), 'test', 'closing')
    expect(await open()).toBe(1)
    const versions = await owner.db
      .selectFrom('cell_versions')
      .select(['version', 'valid_to'])
      .where('cell_id', '=', cellId)
      .orderBy('id')
      .execute()
    expect(versions.map((v) => v.valid_to?.toISOString() ?? null)).toEqual(['2021-01-01T00:00:00.000Z', null])
    // a closed version cannot be reopened or moved
    expect(
      await attempt(
        owner,
        `UPDATE cell_versions SET valid_to = NULL WHERE cell_id = ${cellId} AND valid_to IS NOT NULL`,
      ),
    ).toMatch(/append-only/)
    expect(
      await attempt(
        owner,
        `UPDATE cell_versions SET valid_to = '2022-01-01' WHERE cell_id = ${cellId} AND valid_to IS NOT NULL`,
      ),
    ).toMatch(/append-only/)
    // closing may not change anything else at the same time
    expect(
      await attempt(
        owner,
        `UPDATE cell_versions SET valid_to = now(), reason = 'x' WHERE cell_id = ${cellId} AND valid_to IS NULL`,
      ),
    ).toMatch(/append-only/)
  })
})

describe.runIf(server)('the app role on a server', () => {
  it('is what the app connection runs as, and the owner connection would switch to it', async () => {
    const { rows } = await sql<{ current_user: string }>`SELECT current_user`.execute(app.db)
    expect(rows[0]!.current_user).toBe(APP_ROLE)
    expect(await appRolePlan(owner.db)).toEqual({ switchTo: APP_ROLE, warning: null })
  })

  it('cannot TRUNCATE, ALTER, disable triggers or switch replication mode off', async () => {
    const before = await count(owner, 'audit_log')
    expect(await attempt(app, 'TRUNCATE audit_log')).toMatch(/permission denied/)
    expect(await attempt(app, 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only')).toMatch(/must be owner/)
    expect(await attempt(app, 'ALTER TABLE audit_log DISABLE TRIGGER ALL')).toMatch(/must be owner/)
    expect(await attempt(app, 'ALTER TABLE audit_log DROP COLUMN hash')).toMatch(/must be owner/)
    expect(await attempt(app, 'DROP TRIGGER audit_log_chain ON audit_log')).toMatch(/must be owner/)
    expect(await attempt(app, 'SET session_replication_role = replica')).toMatch(/permission denied/)
    expect(await attempt(app, 'CREATE TABLE sneaky (a int)')).toMatch(/permission denied/)
    expect(await count(owner, 'audit_log')).toBe(before)
  })

  for (const table of APPEND_ONLY) {
    it(`cannot UPDATE or DELETE ${table}`, async () => {
      const before = await count(owner, table)
      expect(await attempt(app, `UPDATE ${table} SET id = id`)).toMatch(/permission denied/)
      expect(await attempt(app, `DELETE FROM ${table}`)).toMatch(/permission denied/)
      expect(await count(owner, table)).toBe(before)
    })
  }

  it('may still write the working tables and add to the records', async () => {
    expect(await attempt(app, `UPDATE grid_cells SET name = 'renamed' WHERE id = ${cellId}`)).toBeNull()
    expect(await attempt(app, `INSERT INTO audit_log (action, entity_type) VALUES ('x', 'y')`)).toBeNull()
    expect(
      await attempt(app, `UPDATE cell_versions SET valid_to = now() WHERE cell_id = ${cellId} AND valid_to IS NULL`),
    ).toBeNull()
    expect(await attempt(app, 'UPDATE schema_migrations SET sha256 = sha256')).toMatch(/permission denied/)
  })
})
