// A PostgreSQL cluster of a test's own (initdb into a temporary folder), so that a test can stop,
// start and restart it without disturbing the cluster the other tests share. As root the server
// binaries run as the postgres user (PostgreSQL refuses to run as root).
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl, or null. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a))
  return versions.length ? path.join(root, versions[0]!, 'bin') : null
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

export interface PrivateCluster {
  url(database?: string): string
  start(): Promise<void>
  stop(): Promise<void>
  restart(): Promise<void>
  /** stops the cluster (if running) and removes its folder */
  remove(): Promise<void>
}

export function privateCluster(bin: string, port: number): PrivateCluster {
  const dir = mkdtempSync(path.join(tmpdir(), 'everyinch-pg-'))
  const asRoot = process.getuid?.() === 0
  if (asRoot)
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString()),
      Number(execFileSync('id', ['-g', 'postgres']).toString()),
    )
  const data = path.join(dir, 'data')
  // asynchronous, so that the test's own requests keep flowing while the cluster restarts
  const run = async (program: string, args: string[]) => {
    const command = [path.join(bin, program), ...args].map(quote).join(' ')
    if (asRoot) await promisify(execFile)('su', ['postgres', '-c', command])
    else await promisify(execFile)('sh', ['-c', command])
  }
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const initialised = run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres'])
  initialised.catch(() => {}) // reported to whoever awaits it (start, remove)
  let running = false
  return {
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await initialised
      await run('pg_ctl', ['-D', data, '-o', serverOptions, '-l', path.join(dir, 'log'), '-w', 'start'])
      running = true
    },
    async stop() {
      await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
      running = false
    },
    async restart() {
      // -m fast: like a real restart, the server ends every session (57P01) and rolls back what was open
      await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'restart', '-o', serverOptions, '-l', path.join(dir, 'log')])
      running = true
    },
    async remove() {
      await initialised.catch(() => {})
      if (running) {
        try {
          await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
        } catch {
          // already stopped
        }
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
