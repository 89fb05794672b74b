// Process entry: config, database, migrations, first-run set-up, listen, graceful close.
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { openDatabase, detectCapabilities } from './db/database.js'
import { migrate } from './db/migrate.js'
import { prepareDatabase } from './services/startup.service.js'
import { startEscalationTimer } from './services/flags-escalation.service.js'
import { flagSettings } from './services/flags.service.js'
import { SYSTEM_ACTOR } from './db/repositories/audit.repository.js'

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
  say(config.databaseUrl ? 'using the PostgreSQL server in DATABASE_URL' : `using the embedded database in ${config.dataDir}`)
  const database = await openDatabase(config)
  const migrated = await migrate(database)
  if (migrated.applied.length) say(`applied ${migrated.applied.length} migration(s), now at ${migrated.level}`)
  const capabilities = await detectCapabilities(database.db)
  if (!capabilities.mvt) say('this PostGIS has no ST_AsMVT; vector tiles are encoded in Node')
  await prepareDatabase(database, config, say)

  const app = await buildApp({
    config,
    database,
    capabilities,
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] },
  })
  // no server-wide requestTimeout: plugins/request-timeout.ts limits request bodies per route (imports exempt)
  // overdue flags escalate in the background (FLAG_ESCALATION_INTERVAL_MINUTES; 0 = off)
  const stopEscalation = startEscalationTimer({
    db: database.db,
    settings: flagSettings(config),
    now: app.ctx.now,
    minutes: config.flagEscalationIntervalMinutes,
    actor: SYSTEM_ACTOR,
    log: app.log,
  })
  const close = async (signal: string) => {
    say(`${signal}: closing`)
    stopEscalation()
    await app.close()
    await database.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void close('SIGINT'))
  process.once('SIGTERM', () => void close('SIGTERM'))
  await app.listen({ host: config.host, port: config.port })
  say(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s at http://${config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}/ (API docs at /docs)`)
}

main().catch((error) => {
  console.error('everyinch: failed to start:', error)
  process.exit(1)
})
