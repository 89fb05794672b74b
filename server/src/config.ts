// The one validated settings object. Every setting is documented in .env.example and the README.
import path from 'node:path'

export type DemoMode = 'auto' | 'on' | 'off'

export interface Config {
  host: string
  port: number
  logLevel: string
  /** PostgreSQL + PostGIS server; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined
  /** Where the embedded database lives. */
  dataDir: string
  /** Load the Boai demo into an empty database at start ("auto": only for a new embedded database). */
  demoData: DemoMode
  /** A parcel may poke this far (m²) over a cell boundary or into a gap and still count as inside. */
  matchToleranceM2: number
  /** Gaps and overlaps smaller than this (m²) are digitising noise, not defects. */
  sliverToleranceM2: number
  /** A cell whose last current responsibility ends within this many days is "expiring". */
  expiringSoonDays: number
  /** Initial admin password; if unset on first start, one is generated and printed once. */
  adminPassword: string | undefined
  /** Anonymous visitors may read the public map (cells and names, never phone numbers). */
  publicMap: boolean
  sessionTtlHours: number
  /** Send cookies with the Secure attribute (browsers accept Secure cookies on http://localhost). */
  cookieSecure: boolean
  /** Sign-in attempts allowed per client address per minute. */
  signinRatePerMinute: number
  signinMaxFailures: number
  signinLockSeconds: number
  /** Largest JSON request body, bytes. */
  bodyLimitBytes: number
  /** Allowed CORS origin; empty = CORS off. */
  corsOrigin: string | undefined
  /** Optional raster XYZ basemap URL template for the web map. */
  basemapUrl: string | undefined
  /** Built web app served at /. */
  webDist: string
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number between ${min} and ${max}, got "${raw}"`)
  }
  return value
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false
  throw new ConfigError(`${name} must be true or false, got "${raw}"`)
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name]
  return raw === undefined || raw === '' ? undefined : raw
}

export function loadConfig(env: Env = process.env, root = process.cwd()): Config {
  const demo = (env.DEMO_DATA ?? 'auto').toLowerCase()
  if (!['auto', 'on', 'off'].includes(demo)) {
    throw new ConfigError(`DEMO_DATA must be auto, on or off, got "${env.DEMO_DATA}"`)
  }
  const databaseUrl = optional(env, 'DATABASE_URL')
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://')
  }
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 3000, 0, 65535),
    logLevel: env.LOG_LEVEL || 'info',
    databaseUrl,
    dataDir: path.resolve(root, env.DATA_DIR || 'data'),
    demoData: demo as DemoMode,
    matchToleranceM2: int(env, 'MATCH_TOLERANCE_M2', 10, 0, 1e9),
    sliverToleranceM2: int(env, 'SLIVER_TOLERANCE_M2', 1, 0, 1e9),
    expiringSoonDays: int(env, 'EXPIRING_SOON_DAYS', 30, 0, 3650),
    adminPassword: optional(env, 'ADMIN_PASSWORD'),
    publicMap: bool(env, 'PUBLIC_MAP', false),
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 0.01, 24 * 365),
    cookieSecure: bool(env, 'COOKIE_SECURE', true),
    signinRatePerMinute: int(env, 'SIGNIN_RATE_PER_MINUTE', 20, 1, 100000),
    signinMaxFailures: int(env, 'SIGNIN_MAX_FAILURES', 5, 1, 1000),
    signinLockSeconds: int(env, 'SIGNIN_LOCK_SECONDS', 60, 0, 86400),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 1_073_741_824),
    corsOrigin: optional(env, 'CORS_ORIGIN'),
    basemapUrl: optional(env, 'BASEMAP_URL'),
    webDist: path.resolve(root, env.WEB_DIST || 'web/dist'),
  }
}
