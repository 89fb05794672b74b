// Issue 11 item 4, through the real CLI process: `audit verify` (exit code 0 intact, 1 broken, naming
// the row) and CLI actions recorded with the operating-system user as the actor.
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { openPGlite } from '../../server/src/db/database.js'
import { ROOT } from '../helpers/templates.js'

const TSX = path.join(ROOT, 'node_modules/.bin/tsx')
const templates = inject('templates')
let env: Record<string, string>
let ownerQuery: (text: string) => Promise<Record<string, unknown>[]>
let cleanup: () => Promise<void>

beforeAll(async () => {
  if (templates.kind === 'embedded') {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'everyinch-cli-'))
    env = { DATA_DIR: dataDir, DATABASE_URL: '' }
    // start from the migrated template (migrating from scratch in the CLI would take minutes)
    await (await openPGlite({ dataDir, loadDataDir: new Blob([readFileSync(templates.empty)]) })).close()
    // the CLI must not hold the folder while the test reads it: open, query, close
    ownerQuery = async (text) => {
      const pglite = await openPGlite({ dataDir })
      try {
        const result = await pglite.exec(text)
        return (result.at(-1)?.rows ?? []) as Record<string, unknown>[]
      } finally {
        await pglite.close()
      }
    }
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true })
  } else {
    const name = `everyinch_cli_${process.pid}`
    const admin = new pg.Client({ connectionString: templates.url })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templates.empty}`)
    await admin.end()
    const url = new URL(templates.url)
    url.pathname = `/${name}`
    env = { DATABASE_URL: url.toString() }
    ownerQuery = async (text) => {
      const client = new pg.Client({ connectionString: url.toString() })
      await client.connect()
      try {
        const result = await client.query(text)
        return (Array.isArray(result) ? result.at(-1)!.rows : result.rows) as Record<string, unknown>[]
      } finally {
        await client.end()
      }
    }
    cleanup = async () => {
      const a = new pg.Client({ connectionString: templates.url })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    }
  }
}, 120_000)
afterAll(async () => cleanup())

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['server/src/cli/index.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DEMO_DATA: 'off', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('npm run cli -- audit verify', () => {
  it('records a CLI action as the OS user, verifies the chain, and names the row the owner changed', async () => {
    const created = await cli('users', 'create', 'clerk', '--role', 'viewer', '--password', 'long enough password')
    expect(created.code, created.stderr).toBe(0)
    const [row] = await ownerQuery(
      `SELECT id, actor_login, hash FROM audit_log WHERE action = 'create' AND entity_type = 'user'`,
    )
    expect(row!.actor_login).toBe(`cli:${userInfo().username}`)
    const total = Number((await ownerQuery('SELECT count(*) AS n FROM audit_log'))[0]!.n)

    const intact = await cli('audit', 'verify')
    expect(intact.code, intact.stderr).toBe(0)
    const [head] = await ownerQuery('SELECT hash FROM audit_log ORDER BY chain_pos DESC LIMIT 1')
    expect(intact.stdout.trim()).toBe(`${total} rows, chain intact, head ${head!.hash}`)

    await ownerQuery(`BEGIN;
      ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
      UPDATE audit_log SET actor_login = 'someone else' WHERE id = ${row!.id};
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
      COMMIT;`)
    const broken = await cli('audit', 'verify')
    expect(broken.code).toBe(1)
    expect(broken.stdout).toContain(`row id ${row!.id} `)
    expect(broken.stdout).toContain(`stored   ${row!.hash}`)
  }, 900_000)
})
