// Process entry: config, database, migrations, first-run set-up, listen, graceful close.
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { detectCapabilities } from './db/database.js'
import { openMigrated } from './db/app-role.js'
import { prepareDatabase } from './services/startup.service.js'
import { startEscalationTimer } from './features/flags/escalation.js'
import { startLedgerEscalationTimer } from './features/ledgers/escalation.js'
import { flagSettings } from './features/flags/settings.js'
import { startWebhookDelivery } from './features/notifications/delivery.js'
import { SYSTEM_ACTOR } from './db/repositories/audit.repository.js'
import { DatabaseUnreachableError } from './db/connection-errors.js'
import { installGracefulShutdown } from './shutdown.js'
import { acquireDataFolderLock, DataFolderInUseError } from './db/data-folder-lock.js'
import { dumpEmbedded } from './db/backup.js'
import type { AddressInfo } from 'node:net'

async function main() {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`everyinch: bad setting: ${error.message}`)
      process.exit(2)
    }
    throw error
  }
  const say = (line: string) => console.log(`everyinch: ${line}`)
  const started = performance.now()
  say(
    config.databaseUrl
      ? 'using the PostgreSQL server in DATABASE_URL'
      : `using the embedded database in ${config.dataDir}`,
  )
  // one process per embedded folder: a second one would silently lose the first one's writes
  const lock = config.databaseUrl ? null : await acquireDataFolderLock(config.dataDir, { role: 'server' })
  // migrations as the owner; in server mode the app then runs as the restricted role (db/app-role.ts)
  const { database, migrated } = await openMigrated(config, say)
  if (lock && database.pglite) lock.serveBackups(() => dumpEmbedded(database.pglite!))
  if (migrated.applied.length) say(`applied ${migrated.applied.length} migration(s), now at ${migrated.level}`)
  const capabilities = await detectCapabilities(database.db)
  if (!capabilities.mvt) say('this PostGIS has no ST_AsMVT; vector tiles are encoded in Node')
  await prepareDatabase(database, config, say)

  const app = await buildApp({
    config,
    database,
    capabilities,
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
    },
  })
  // no server-wide requestTimeout: plugins/request-timeout.ts limits request bodies per route (imports exempt)
  // overdue flags escalate in the background (FLAG_ESCALATION_INTERVAL_MINUTES; 0 = off)
  const escalationTimer = {
    db: database.db,
    settings: flagSettings(config),
    now: app.ctx.now,
    minutes: config.flagEscalationIntervalMinutes,
    actor: SYSTEM_ACTOR,
    log: app.log,
  }
  // overdue ledger entries escalate on the same interval
  const stops = [startEscalationTimer(escalationTimer), startLedgerEscalationTimer(escalationTimer)]
  // notifications posted to NOTIFY_WEBHOOK_URL, from the outbox written with each event
  const delivery = config.notifyWebhookUrl
    ? startWebhookDelivery({ db: database.db, url: config.notifyWebhookUrl, now: app.ctx.now, log: app.log })
    : null
  const stopBackground = async () => {
    stops.forEach((stop) => stop())
    await delivery?.stop()
  }
  installGracefulShutdown({
    app,
    database,
    graceSeconds: config.shutdownGraceSeconds,
    stopBackground,
    release: () => lock?.release(),
    say,
  })
  await app.listen({ host: config.host, port: config.port })
  // the bound port, so that PORT=0 (any free port) prints where it really listens
  const { port } = app.server.address() as AddressInfo
  const url = `http://${config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`
  lock?.setServerUrl(url)
  say(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${url}/ (API docs at /docs)`)
}

main().catch((error) => {
  if (error instanceof DataFolderInUseError) {
    console.error(`everyinch: ${error.message}`)
    process.exitCode = 1
    return
  }
  if (error instanceof DatabaseUnreachableError) {
    console.error(`everyinch: ${error.message}`)
    process.exit(3)
  }
  console.error('everyinch: failed to start:', error)
  process.exit(1)
})
