// The real server process for the tests in test/process: spawned with node, plus tsx for a TypeScript
// entry (not npx, so that signals reach the server itself), its output collected line by line, its URL
// taken from the "ready" line. Also a plain HTTP client that reports a dropped socket as such, and fresh
// databases.
import { spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import pg from 'pg'
import { inject } from 'vitest'
import { ROOT } from '../helpers/templates.js'

export const ADMIN_PASSWORD = 'process-test-admin-pw'

export interface ServerProcess {
  child: ChildProcess
  /** every line written to stdout or stderr so far */
  lines: string[]
  /** resolves with the first line matching, waiting for it if need be; rejects if the process exits first */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>
  /** resolves with the base URL (http://127.0.0.1:PORT) once the server says it is ready */
  ready(timeoutMs?: number): Promise<string>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  alive(): boolean
  kill(): Promise<void>
}

export function spawnServer(
  env: Record<string, string>,
  script = 'server/src/server.ts',
  args: string[] = [],
): ServerProcess {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : []
  const child = spawn(process.execPath, [...loader, script, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'off',
      ADMIN_PASSWORD,
      COOKIE_SECURE: 'false',
      FLAG_ESCALATION_INTERVAL_MINUTES: '0',
      SIGNIN_RATE_PER_MINUTE: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const waiters = new Set<() => void>()
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n')
      rest = parts.pop()!
      lines.push(...parts)
      for (const wake of waiters) wake()
    })
    stream.on('end', () => {
      if (rest) lines.push(rest)
      for (const wake of waiters) wake()
    })
  }
  collect(child.stdout!)
  collect(child.stderr!)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal }
      // let the pipes deliver their last lines first
      setImmediate(() => {
        for (const wake of waiters) wake()
        resolve({ code, signal })
      })
    }),
  )

  const waitForLine = (pattern: RegExp, timeoutMs = 120_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines.find((l) => pattern.test(l))
        if (found !== undefined) return done(() => resolve(found))
        if (exitInfo)
          return done(() =>
            reject(
              new Error(
                `the server exited (${JSON.stringify(exitInfo)}) before printing ${pattern}; its output:\n${lines.join('\n')}`,
              ),
            ),
          )
      }
      const timer = setTimeout(
        () =>
          done(() =>
            reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${lines.join('\n')}`)),
          ),
        timeoutMs,
      )
      const done = (finish: () => void) => {
        clearTimeout(timer)
        waiters.delete(check)
        finish()
      }
      waiters.add(check)
      check()
    })

  return {
    child,
    lines,
    waitForLine,
    async ready(timeoutMs) {
      const line = await waitForLine(/ready in .* at http:\/\/[^/]+\//, timeoutMs)
      const port = /:(\d+)\//.exec(line)![1]
      return `http://127.0.0.1:${port}`
    },
    exited,
    alive: () => exitInfo === null,
    async kill() {
      if (exitInfo === null) {
        child.kill('SIGKILL')
        await exited
      }
    },
  }
}

export interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  json(): any
}

/**
 * One HTTP request on its own connection (or on `agent`'s). Rejects only when no HTTP answer came
 * back at all (refused, reset, dropped socket).
 */
export function request(
  url: string,
  options: { method?: string; token?: string; body?: unknown; agent?: http.Agent } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        agent: options.agent ?? false,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

export async function signInAdmin(base: string): Promise<string> {
  const res = await request(`${base}/api/session`, {
    method: 'POST',
    body: { login: 'admin', password: ADMIN_PASSWORD },
  })
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.body}`)
  return res.json().token as string
}

/** Polls `condition` until it returns a truthy value or the deadline passes (then throws `what`). */
export async function eventually<T>(
  what: string,
  condition: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await condition()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

/** A fresh copy of the migrated empty template on the test server, dropped by `drop`. */
export async function freshServerDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const t = inject('templates')
  if (t.kind !== 'server') throw new Error('freshServerDatabase needs DATABASE_URL')
  const name = `everyinch_p_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: t.url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${t.empty}`)
  await admin.end()
  return {
    url: withDatabaseName(t.url, name),
    name,
    drop: async () => {
      const a = new pg.Client({ connectionString: t.url })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

/** A TCP port nothing listens on (bound and released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/** A response is acceptable under a lost database: success, or the clean 503 in the one error shape. */
export function isCleanUnavailable(answer: Answer): boolean {
  if (answer.status !== 503) return false
  try {
    const body = answer.json()
    return (
      body?.error?.code === 'database_unavailable' &&
      typeof body.error.message === 'string' &&
      Number(answer.headers['retry-after']) > 0
    )
  } catch {
    return false
  }
}
