// The one validated settings object. Every setting is documented in .env.example and the README.
import path from 'node:path'

export type DemoMode = 'auto' | 'on' | 'off'

export interface Config {
  host: string
  port: number
  logLevel: string
  /** PostgreSQL + PostGIS server; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined
  /** The tables' owner, for migrations only (default: DATABASE_URL); see README, "Database roles". */
  databaseOwnerUrl: string | undefined
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
  /** A request body must have arrived within this many seconds (0 = no limit); imports are exempt. */
  requestBodyTimeoutSeconds: number
  /** Allowed CORS origin; empty = CORS off. */
  corsOrigin: string | undefined
  /** Optional raster XYZ basemap URL template for the web map. */
  basemapUrl: string | undefined
  /** Notifications are also posted as JSON to this http(s) URL (an outbox with retries); empty = in-app only. */
  notifyWebhookUrl: string | undefined
  /** Built web app served at /. */
  webDist: string
  /** Time zone of the working calendar, flag deadlines and monthly figures (IANA name). */
  serviceTimeZone: string
  /** Working periods of a working day, minutes after local midnight, in order. */
  workingHours: { start: number; end: number }[]
  /** ISO weekdays (1 = Monday … 7 = Sunday) that are working days. */
  workingDays: number[]
  /** A new flag this close (m) to an open flag of the same category … */
  flagDuplicateDistanceM: number
  /** … reported within this many hours before it, is refused as a possible duplicate. */
  flagDuplicateWindowHours: number
  /** Largest photo (bytes) and most photos per flag report or feedback. */
  flagPhotoMaxBytes: number
  flagPhotoMaxCount: number
  /** Most flag reports per user in any hour (429 beyond it). */
  flagReportsPerHour: number
  /** How often the server escalates overdue flags (minutes); 0 = never (use the CLI or the API). */
  flagEscalationIntervalMinutes: number
  /** A month's ledger entries are due at the end of this working day of the next month (1 = the first). */
  ledgerDueWorkingDay: number
  /** Largest evidence file (photo or PDF, bytes) and most files per ledger entry. */
  ledgerEvidenceMaxBytes: number
  ledgerEvidenceMaxCount: number
  /** Largest signed scan (PDF, bytes) of a target responsibility letter. */
  letterScanMaxBytes: number
  /** At start-up, how long to wait for a PostgreSQL server that is not reachable yet (seconds). */
  databaseWaitSeconds: number
  /** On SIGTERM/SIGINT, how long requests in flight may take to finish before they are cut (seconds). */
  shutdownGraceSeconds: number
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

function timeZone(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: raw })
  } catch {
    throw new ConfigError(`${name} must be an IANA time zone such as Asia/Shanghai, got "${raw}"`)
  }
  return raw
}

/** "08:30-12:00,14:00-18:00" → minutes after midnight, checked to be in order and not overlapping. */
function workingHours(env: Env, name: string, fallback: string): { start: number; end: number }[] {
  const raw = env[name] || fallback
  const minutes = (hhmm: string) => {
    const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim())
    if (!m || Number(m[1]) > 24 || Number(m[2]) > 59) return NaN
    return Number(m[1]) * 60 + Number(m[2])
  }
  const periods = raw.split(',').map((part) => {
    const [a, b] = part.split('-')
    return { start: minutes(a ?? ''), end: minutes(b ?? '') }
  })
  const ok = periods.every((p, i) => p.start < p.end && p.end <= 24 * 60 && (i === 0 || periods[i - 1]!.end <= p.start))
  if (!ok) throw new ConfigError(`${name} must be periods like 08:30-12:00,14:00-18:00 in order, got "${raw}"`)
  return periods
}

function weekdays(env: Env, name: string, fallback: string): number[] {
  const raw = env[name] || fallback
  const days = raw.split(',').map((d) => Number(d.trim()))
  if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new ConfigError(`${name} must list ISO weekdays 1 (Monday) to 7 (Sunday), e.g. 1,2,3,4,5; got "${raw}"`)
  }
  return [...new Set(days)].sort()
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name]
  return raw === undefined || raw === '' ? undefined : raw
}

/** An optional absolute http:// or https:// URL. */
function httpUrl(env: Env, name: string): string | undefined {
  const raw = optional(env, name)
  if (raw === undefined) return undefined
  let url: URL | null = null
  try {
    url = new URL(raw)
  } catch {
    url = null
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new ConfigError(`${name} must be an http:// or https:// URL, got "${raw}"`)
  return url.href
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
  const databaseOwnerUrl = optional(env, 'DATABASE_OWNER_URL')
  if (databaseOwnerUrl && (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseOwnerUrl))) {
    throw new ConfigError('DATABASE_OWNER_URL needs DATABASE_URL and must start with postgres:// or postgresql://')
  }
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 3000, 0, 65535),
    logLevel: env.LOG_LEVEL || 'info',
    databaseUrl,
    databaseOwnerUrl,
    dataDir: path.resolve(root, env.DATA_DIR || 'data'),
    demoData: demo as DemoMode,
    matchToleranceM2: int(env, 'MATCH_TOLERANCE_M2', 10, 0, 1e9),
    sliverToleranceM2: int(env, 'SLIVER_TOLERANCE_M2', 1, 0, 1e9),
    expiringSoonDays: int(env, 'EXPIRING_SOON_DAYS', 60, 0, 3650),
    adminPassword: optional(env, 'ADMIN_PASSWORD'),
    publicMap: bool(env, 'PUBLIC_MAP', false),
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 0.01, 24 * 365),
    cookieSecure: bool(env, 'COOKIE_SECURE', true),
    signinRatePerMinute: int(env, 'SIGNIN_RATE_PER_MINUTE', 20, 1, 100000),
    signinMaxFailures: int(env, 'SIGNIN_MAX_FAILURES', 5, 1, 1000),
    signinLockSeconds: int(env, 'SIGNIN_LOCK_SECONDS', 60, 0, 86400),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 1_073_741_824),
    requestBodyTimeoutSeconds: int(env, 'REQUEST_BODY_TIMEOUT_SECONDS', 120, 0, 86400),
    corsOrigin: optional(env, 'CORS_ORIGIN'),
    basemapUrl: optional(env, 'BASEMAP_URL'),
    notifyWebhookUrl: httpUrl(env, 'NOTIFY_WEBHOOK_URL'),
    webDist: path.resolve(root, env.WEB_DIST || 'web/dist'),
    serviceTimeZone: timeZone(env, 'SERVICE_TIME_ZONE', 'Asia/Shanghai'),
    workingHours: workingHours(env, 'WORKING_HOURS', '08:30-12:00,14:00-18:00'),
    workingDays: weekdays(env, 'WORKING_DAYS', '1,2,3,4,5'),
    flagDuplicateDistanceM: int(env, 'FLAG_DUPLICATE_DISTANCE_M', 50, 0, 100000),
    flagDuplicateWindowHours: int(env, 'FLAG_DUPLICATE_WINDOW_HOURS', 24, 0, 24 * 365),
    flagPhotoMaxBytes: int(env, 'FLAG_PHOTO_MAX_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    flagPhotoMaxCount: int(env, 'FLAG_PHOTO_MAX_COUNT', 4, 0, 50),
    flagReportsPerHour: int(env, 'FLAG_REPORTS_PER_HOUR', 60, 1, 100000),
    flagEscalationIntervalMinutes: int(env, 'FLAG_ESCALATION_INTERVAL_MINUTES', 5, 0, 24 * 60),
    ledgerDueWorkingDay: int(env, 'LEDGER_DUE_WORKING_DAY', 5, 1, 20),
    ledgerEvidenceMaxBytes: int(env, 'LEDGER_EVIDENCE_MAX_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    ledgerEvidenceMaxCount: int(env, 'LEDGER_EVIDENCE_MAX_COUNT', 6, 0, 50),
    letterScanMaxBytes: int(env, 'LETTER_SCAN_MAX_BYTES', 20 * 1024 * 1024, 1024, 200 * 1024 * 1024),
    databaseWaitSeconds: int(env, 'DATABASE_WAIT_SECONDS', 60, 0, 86400),
    shutdownGraceSeconds: int(env, 'SHUTDOWN_GRACE_SECONDS', 10, 0, 3600),
  }
}
