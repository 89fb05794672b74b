// `npm start` runs compiled JavaScript, no TypeScript runner: bin/ensure-build.js compiles the server to
// dist/server (and builds the web app) when missing or stale, then plain node runs dist/server/server.js.
// This runs the commands of package.json's "start" as they are, on a database nothing has migrated yet,
// so the paths the compiled modules resolve relative to themselves (migrations/, fixtures/boai/) and the
// built web app are checked from dist.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/templates.js'
import { serverDatabase, tempDir } from './data-folder.helpers.js'
import { request, spawnServer, type ServerProcess } from './server-process.js'

const serverMode = Boolean(process.env.DATABASE_URL)
const startScript: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start
/** "node a.js && node b.js" -> ['a.js', 'b.js']; anything else is not a plain node start */
const steps = startScript.split('&&').map((step) => /^node ([\w./-]+\.js)$/.exec(step.trim())?.[1] ?? step.trim())

describe('npm start', { timeout: 180_000 }, () => {
  let server: ServerProcess
  let base: string
  let dropDatabase = async () => {}

  beforeAll(async () => {
    for (const script of steps.slice(0, -1)) execFileSync(process.execPath, [script], { cwd: ROOT, stdio: 'inherit' })
    let env: Record<string, string>
    if (serverMode) {
      const database = await serverDatabase('nothing')
      dropDatabase = database.drop
      env = { DATABASE_URL: database.url }
    } else {
      env = { DATA_DIR: path.join(tempDir('compiled-start'), 'data') }
    }
    server = spawnServer(env, steps.at(-1)!)
    base = await server.ready(300_000)
  }, 900_000)
  afterAll(async () => {
    await server?.kill()
    await dropDatabase()
  })

  it('is plain node on JavaScript: the build, then the compiled server', () => {
    expect(steps).toEqual(['bin/ensure-build.js', 'dist/server/server.js'])
  })

  it('GET /api/health: the compiled server answers, with every migration in migrations/ applied', async () => {
    const newest = readdirSync(path.join(ROOT, 'migrations'))
      .filter((name) => name.endsWith('.sql'))
      .sort()
      .at(-1)!
      .replace(/\.sql$/, '')
    const res = await request(`${base}/api/health`)
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({
      status: 'ok',
      database: { kind: serverMode ? 'server' : 'embedded', migration: newest },
    })
  })

  it('GET /: serves the built web app', async () => {
    const res = await request(`${base}/`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toBe(readFileSync(path.join(ROOT, 'web/dist/index.html'), 'utf8'))
  })

  it('the compiled modules find migrations/ and the demo in fixtures/boai/', async () => {
    const { MIGRATIONS_DIR } = await import(path.join(ROOT, 'dist/server/db/migrate.js'))
    const { DEMO_DIR } = await import(path.join(ROOT, 'dist/server/services/demo.service.js'))
    expect(MIGRATIONS_DIR).toBe(path.join(ROOT, 'migrations'))
    expect(DEMO_DIR).toBe(path.join(ROOT, 'fixtures/boai'))
  })
})
