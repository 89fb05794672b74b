import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cpSync, mkdtempSync, appendFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Database } from '../../server/src/db/database.js'
import { migrate, MIGRATIONS_DIR } from '../../server/src/db/migrate.js'
import { testDatabase } from '../helpers/database.js'
import { testApp } from '../helpers/app.js'

let database: Database
let close: () => Promise<void>
beforeAll(async () => {
  // migrations run as the tables' owner (on a server the app's own role may not create tables)
  ;({ database, close } = await testDatabase('empty', { as: 'owner' }))
})
afterAll(async () => close())

describe('migrate', () => {
  it('is idempotent: a migrated database has nothing to apply', async () => {
    const result = await migrate(database)
    expect(result.applied).toEqual([])
    expect(result.level).toMatch(/^\d{14}_/)
  })

  it('refuses to run when an applied migration was edited', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'))
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true })
      appendFileSync(path.join(dir, '20261128000100_foundation.sql'), '\n-- edited\n')
      await expect(migrate(database, dir)).rejects.toThrow('20261128000100_foundation was changed after it was applied')
    } finally {
      rmSync(dir, { recursive: true })
    }
  })
})

describe('GET /api/health', () => {
  it('reports the database kind, PostGIS version and migration level, without signing in', async () => {
    const t = await testApp()
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/health' })
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body.status).toBe('ok')
      expect(body.database.kind).toBe(process.env.DATABASE_URL ? 'server' : 'embedded')
      expect(body.database.postgis).toMatch(process.env.DATABASE_URL ? /^3\.3/ : /^3\.6/)
      expect(body.database.migration).toBe((await migrate(t.owner())).level)
      expect(body.database.mvt).toBe(!!process.env.DATABASE_URL)
    } finally {
      await t.close()
    }
  })
})
