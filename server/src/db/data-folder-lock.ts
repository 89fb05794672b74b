// One writer per embedded data folder. PGlite is a single-process database: two processes on one folder
// each keep their own copy of the data in memory and whichever writes last silently wins. So the server
// and every CLI command take this lock before opening the folder, and refuse when another process has it.
//
// The lock is one the kernel releases when its holder dies (kill -9 included), so a stale lock never
// blocks the next start. On Linux it is a Unix socket bound in the abstract namespace under a name derived
// from the folder's real path: binding is atomic, EADDRINUSE means "held", nothing is left on disk. The
// same socket is the holder's control channel (a CLI asks a running server for a consistent backup).
//
// The info file in the folder (pid, role, port, start time, a per-run secret; mode 0600) is informative:
// it names the holder in the refusal message and gives the secret that authenticates control requests
// (anyone on the machine can connect to an abstract socket; only the folder's owner can read the secret).
// The lock itself never depends on it.
//
// Elsewhere (macOS, Windows: no abstract namespace) the info file itself is the lock, created exclusively
// (O_EXCL); a holder whose pid no longer runs is treated as dead and its file replaced. That fallback can
// be fooled by pid reuse and offers no control channel (back up a running server's folder on Linux only).
import net from 'node:net'
import fs from 'node:fs'
import path from 'node:path'
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export const LOCK_INFO_FILE = 'everyinch-lock.json'

export interface LockHolder {
  pid: number
  role: 'server' | 'cli'
  /** The CLI command holding the folder. */
  command?: string
  /** The server's address, once it listens. */
  url?: string
  started: string
  secret?: string
}

export class DataFolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(inUseMessage(dataDir, holder))
    this.name = 'DataFolderInUseError'
  }
}

export function describeHolder(holder: LockHolder | null): string {
  if (!holder) return 'another process (its details are not readable)'
  if (holder.role === 'server')
    return `process ${holder.pid} (server${holder.url ? ` on ${holder.url}` : ', starting'})`
  return `process ${holder.pid} (everyinch ${holder.command ?? 'CLI'})`
}

function inUseMessage(dataDir: string, holder: LockHolder | null): string {
  const advice =
    holder?.role === 'cli'
      ? 'wait for it to finish'
      : "stop it first, or make the change through the running server's web app/API"
  return `the database in ${dataDir} is in use by ${describeHolder(holder)}; ${advice}`
}

/** A request the holder answers on its control channel: the bytes of a consistent backup. */
export type ControlHandler = () => Promise<Uint8Array>

export interface DataFolderLock {
  readonly dataDir: string
  /** Records where the server listens (shown to anyone refused). */
  setServerUrl(url: string): void
  /** Lets a CLI that proves it can read the info file ask this process for a backup. */
  serveBackups(handler: ControlHandler): void
  release(): Promise<void>
}

const useAbstractSocket = process.platform === 'linux'

function socketName(realDir: string): string {
  return `\0everyinch-${createHash('sha256').update(realDir).digest('hex').slice(0, 40)}`
}

function infoPath(dir: string) {
  return path.join(dir, LOCK_INFO_FILE)
}

export function readHolder(dataDir: string): LockHolder | null {
  try {
    const holder = JSON.parse(fs.readFileSync(infoPath(dataDir), 'utf8')) as LockHolder
    return Number.isInteger(holder.pid) ? holder : null
  } catch {
    return null
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function writeInfo(dir: string, holder: LockHolder) {
  const tmp = `${infoPath(dir)}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify(holder, null, 2), { mode: 0o600 })
  fs.renameSync(tmp, infoPath(dir))
}

/**
 * The holder writes its info file just after binding, so a refused process may read it a moment too early
 * (missing, or a dead holder's): wait briefly for a live holder's details.
 */
async function waitForHolder(dataDir: string): Promise<LockHolder | null> {
  const deadline = Date.now() + 2000
  for (;;) {
    const holder = readHolder(dataDir)
    if ((holder && holder.pid !== process.pid && isAlive(holder.pid)) || Date.now() > deadline) return holder
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function bindAbstract(name: string, onConnection: (socket: net.Socket) => void): Promise<net.Server | null> {
  return new Promise((resolve, reject) => {
    const server = net.createServer(onConnection)
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(null) : reject(error),
    )
    server.listen(name, () => {
      // the lock must not keep a finished CLI alive
      server.unref()
      resolve(server)
    })
  })
}

/** Fallback without abstract sockets: the info file, created exclusively, is the lock. */
function createExclusive(dir: string, holder: LockHolder): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(infoPath(dir), JSON.stringify(holder, null, 2), { mode: 0o600, flag: 'wx' })
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const current = readHolder(dir)
      if (current && isAlive(current.pid)) return false
      fs.rmSync(infoPath(dir), { force: true })
    }
  }
  return false
}

/**
 * Takes the folder for this process or throws DataFolderInUseError naming the holder. Creates the folder
 * if needed (its real path names the lock, so a symlinked path and the real one share it).
 */
export async function acquireDataFolderLock(
  dataDir: string,
  who: { role: 'server' | 'cli'; command?: string },
): Promise<DataFolderLock> {
  fs.mkdirSync(dataDir, { recursive: true })
  const realDir = fs.realpathSync(dataDir)
  const holder: LockHolder = {
    pid: process.pid,
    role: who.role,
    command: who.command,
    started: new Date().toISOString(),
    secret: randomBytes(32).toString('hex'),
  }
  let handler: ControlHandler | null = null
  let control: net.Server | null = null
  if (useAbstractSocket) {
    control = await bindAbstract(socketName(realDir), (socket) => answerControl(socket, holder.secret!, () => handler))
    if (!control) throw new DataFolderInUseError(dataDir, await waitForHolder(realDir))
    writeInfo(realDir, holder)
  } else if (!createExclusive(realDir, holder)) {
    throw new DataFolderInUseError(dataDir, await waitForHolder(realDir))
  }

  const removeInfo = () => {
    // only our own: after a restore swapped folders, or a crash, the file may be someone else's
    if (readHolder(realDir)?.secret === holder.secret) fs.rmSync(infoPath(realDir), { force: true })
  }
  process.once('exit', removeInfo)
  let released = false
  return {
    dataDir,
    setServerUrl(url) {
      holder.url = url
      writeInfo(realDir, holder)
    },
    serveBackups(serve) {
      handler = serve
    },
    async release() {
      if (released) return
      released = true
      process.removeListener('exit', removeInfo)
      removeInfo()
      if (control) await new Promise<void>((resolve) => control!.close(() => resolve()))
    },
  }
}

// Control protocol: the client sends one JSON line {"secret","op":"backup"}; the holder answers one JSON
// line {"ok":true,"bytes":N} followed by N bytes, or {"ok":false,"message"}. Connections are local only.
const MAX_REQUEST_BYTES = 4096

function answerControl(socket: net.Socket, secret: string, handler: () => ControlHandler | null) {
  let buffered = ''
  socket.setTimeout(10_000, () => socket.destroy())
  socket.on('error', () => {})
  const fail = (message: string) => socket.end(`${JSON.stringify({ ok: false, message })}\n`)
  socket.on('data', (chunk) => {
    buffered += chunk.toString('utf8')
    if (buffered.length > MAX_REQUEST_BYTES) return socket.destroy()
    const end = buffered.indexOf('\n')
    if (end < 0) return
    socket.removeAllListeners('data')
    let request: { secret?: unknown; op?: unknown }
    try {
      request = JSON.parse(buffered.slice(0, end))
    } catch {
      return fail('malformed request')
    }
    const given = Buffer.from(typeof request.secret === 'string' ? request.secret : '')
    const expected = Buffer.from(secret)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return fail('wrong secret')
    const serve = handler()
    if (request.op !== 'backup' || !serve) return fail(`this process does not answer "${String(request.op)}"`)
    socket.setTimeout(0)
    serve().then(
      (bytes) => {
        socket.write(`${JSON.stringify({ ok: true, bytes: bytes.byteLength })}\n`)
        socket.end(bytes)
      },
      (error: Error) => fail(`backup failed: ${error.message}`),
    )
  })
}

/**
 * Asks the process holding the folder for a backup (the bytes of its data folder). Needs to read the info
 * file (same user as the holder). Resolves only with a complete answer.
 */
export async function requestBackupFromHolder(dataDir: string): Promise<Uint8Array> {
  if (!useAbstractSocket)
    throw new Error('asking a running server for a backup needs Linux; stop the server and run backup again')
  const realDir = fs.realpathSync(dataDir)
  const holder = readHolder(realDir)
  if (!holder?.secret)
    throw new Error(`cannot read the holder's details in ${infoPath(realDir)} (run as the user that runs the server)`)
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketName(realDir))
    const chunks: Buffer[] = []
    socket.on('connect', () => socket.write(`${JSON.stringify({ secret: holder.secret, op: 'backup' })}\n`))
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', (error) => reject(new Error(`could not reach process ${holder.pid}: ${error.message}`)))
    socket.on('end', () => {
      const all = Buffer.concat(chunks)
      const newline = all.indexOf(10)
      let header: { ok?: boolean; bytes?: number; message?: string } = {}
      try {
        header = JSON.parse(all.subarray(0, newline).toString('utf8'))
      } catch {
        return reject(new Error(`process ${holder.pid} sent no answer`))
      }
      if (!header.ok) return reject(new Error(`process ${holder.pid} refused: ${header.message ?? 'no reason given'}`))
      const body = all.subarray(newline + 1)
      if (body.byteLength !== header.bytes)
        return reject(
          new Error(
            `the backup from process ${holder.pid} was cut short (${body.byteLength} of ${header.bytes} bytes)`,
          ),
        )
      resolve(body)
    })
  })
}
