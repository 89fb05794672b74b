// Telling "the database is unreachable right now" apart from every other database error, and waiting
// for a server that is not up yet. A lost connection is not a bug in a request: it is answered with 503
// and a Retry-After, the pool opens fresh connections for the next requests, and the process lives on.
import pg from 'pg'

// SQLSTATE classes and codes that mean the connection, not the statement, failed:
// 08xxx connection exceptions; 57P01 admin_shutdown (pg_terminate_backend, fast shutdown); 57P02
// crash_shutdown; 57P03 cannot_connect_now (starting up or shutting down); 53300 too_many_connections.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300'])
// Node socket errors on the way to the server.
const UNAVAILABLE_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
// pg and pg-pool raise these as plain Errors without a code.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/, // "Connection terminated" / "… unexpectedly" / "… due to connection timeout"
  /timeout exceeded when trying to connect/,
  /is not queryable/, // "Client has encountered a connection error and is not queryable"
  /^Client was closed/,
]

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || UNAVAILABLE_SYSTEM_CODES.has(code))
      return true
  }
  // an AggregateError (one per address tried, IPv4 and IPv6) counts when any part of it does
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message))
}

/** A few words for a log line: "connection refused", "the database system is starting up", … */
export function describeConnectionError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; errors?: unknown[] }
  const plain: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
  }
  if (typeof e?.code === 'string' && plain[e.code]) return plain[e.code]!
  if (Array.isArray(e?.errors) && e.errors.length) return describeConnectionError(e.errors[0])
  return typeof e?.message === 'string' && e.message ? e.message : String(error)
}

/** "host:port/database" of a connection string, without the user or password. */
export function databaseAddress(connectionString: string): string {
  try {
    const u = new URL(connectionString)
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`
  } catch {
    return 'the configured address'
  }
}

export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError'
}

export interface WaitOptions {
  /** Give up after this long (0 = try once). */
  seconds: number
  say: (line: string) => void
  /** First pause between attempts (doubles up to maxDelayMs). */
  firstDelayMs?: number
  maxDelayMs?: number
}

/**
 * Resolves once the server accepts a connection and answers `SELECT 1`. While it is unreachable
 * (refused, starting up, …) logs one line per attempt and tries again with back-off; after
 * `seconds` it throws DatabaseUnreachableError with a message fit for an operator. Any other failure
 * (wrong password, no such database) throws it at once: waiting will not fix that.
 */
export async function waitForDatabase(connectionString: string, options: WaitOptions): Promise<void> {
  const address = databaseAddress(connectionString)
  const deadline = Date.now() + options.seconds * 1000
  let delay = options.firstDelayMs ?? 250
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 })
    // a connection that fails after connecting emits 'error'; the attempt's own promise reports it
    client.on('error', () => {})
    try {
      await client.connect()
      await client.query('SELECT 1')
      return
    } catch (error) {
      if (!isDatabaseUnavailable(error)) {
        // wrong password, no such database, …: waiting will not help, but the operator gets one clear line
        throw new DatabaseUnreachableError(`cannot use the database at ${address}: ${describeConnectionError(error)}`)
      }
      const reason = describeConnectionError(error)
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new DatabaseUnreachableError(
          `gave up waiting for the database at ${address} after ${options.seconds} s (${reason}); is PostgreSQL running? (DATABASE_WAIT_SECONDS sets how long to wait)`,
        )
      }
      options.say(`waiting for the database at ${address} (${reason}), attempt ${attempt}…`)
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)))
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5000)
    } finally {
      await client.end().catch(() => {})
    }
  }
}
