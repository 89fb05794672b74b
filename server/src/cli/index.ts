// Operator commands: `npm run cli -- <command> …` (or `npx everyinch <command> …`).
import { parseArgs } from 'node:util'
import { loadConfig, type Config } from '../config.js'
import { openDatabase, type Database } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { openMigrated } from '../db/app-role.js'
import { cliActor } from './actor.js'
import { AUDIT_USAGE, auditCommand } from './audit.js'
import { prepareDatabase } from '../services/startup.service.js'
import { loadDemo } from '../services/demo.service.js'
import { readFeatureFile, type ByteProgress } from '../services/feature-source.js'
import { progressReporter } from './progress.js'
import { DEFAULT_PROPERTIES, importFeatures, type ImportKind, type InvalidMode } from '../services/import.service.js'
import { coverageReport, resolveScope } from '../services/coverage.service.js'
import { rematchRegion } from '../services/matching.service.js'
import { createUser, resetPassword, ROLES } from '../services/auth.service.js'
import { generatePassword } from '../services/passwords.js'
import { isoDay } from '../services/dates.js'
import { AppError } from '../errors.js'
import { DatabaseUnreachableError } from '../db/connection-errors.js'
import type { UserRole } from '../db/schema.js'
import { formatCoverage, formatImportReport } from './format.js'
import { escalateOverdue } from '../features/flags/escalation.js'
import { escalateOverdueLedgers } from '../features/ledgers/escalation.js'
import { flagSettings } from '../features/flags/settings.js'
import { acquireDataFolderLock, DataFolderInUseError } from '../db/data-folder-lock.js'
import { backupCommand, CliRefusal, restoreCommand } from './backup.js'
import { exitWhenFlushed } from './exit.js'

const USAGE = `everyinch — operator commands

  migrate                         apply pending migrations
  seed-demo                       load the Boai County demo into an empty database
  import regions|cells|parcels FILE [options]
        --code-prop P  --name-prop P  --parent-prop P  --level-prop P  --id-prop P
        --land-use-prop P  --owner-prop P     property names (defaults: code, name,
                                              parentCode, level, externalId, landUse, ownerName)
        --region CODE                         region for top-level cells and parcels
        --invalid reject|skip|repair          all-or-nothing (default), import the rest,
                                              or repair with ST_MakeValid
        --batch N                             features per insert (default 1000)
        FILE: GeoJSON FeatureCollection or GeoJSON-seq, streamed (any size)
  coverage --region CODE | --cell CODE [--json] [--min-area M2]
  rematch --region CODE           full rematch; counts by status and time taken
  users create LOGIN --role ROLE [--name NAME] [--person ID] [--password PW]
  users reset-password LOGIN [--password PW]
${AUDIT_USAGE}
  flags escalate                  escalate overdue flags one level up (the server also does it
                                  every FLAG_ESCALATION_INTERVAL_MINUTES)
  ledgers escalate                escalate overdue ledger entries (level 1 at the deadline, level 2
                                  five working days later; the server does it on the same interval)
  backup FILE                     pg_dump custom format (DATABASE_URL) or the embedded data folder
                                  (asked of the running server when one has it open)
  restore FILE [--force]          into an empty database/folder; --force replaces a non-empty one

An embedded data folder has one user at a time: commands refuse while a server (or another command)
has it open.

Settings come from the environment (see .env.example): DATABASE_URL or DATA_DIR, …`

/** Opens the database for one command; an embedded folder is locked first (never two writers). */
async function openLocked<T>(
  config: Config,
  command: string,
  open: () => Promise<Database>,
  run: (database: Database) => Promise<T>,
): Promise<T> {
  const lock = config.databaseUrl ? null : await acquireDataFolderLock(config.dataDir, { role: 'cli', command })
  try {
    const database = await open()
    try {
      return await run(database)
    } finally {
      await database.close()
    }
  } finally {
    await lock?.release()
  }
}

/** Migrations as the owner, then the command as the app (server mode: the restricted role; db/app-role.ts). */
async function withDatabase<T>(config: Config, command: string, run: (database: Database) => Promise<T>): Promise<T> {
  // progress and warnings go to standard error, so --json output stays clean
  const open = async () => (await openMigrated(config, (line) => console.error(`everyinch: ${line}`))).database
  return openLocked(config, command, open, run)
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const config = loadConfig()
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      'code-prop': { type: 'string' },
      'name-prop': { type: 'string' },
      'parent-prop': { type: 'string' },
      'level-prop': { type: 'string' },
      'id-prop': { type: 'string' },
      'land-use-prop': { type: 'string' },
      'owner-prop': { type: 'string' },
      region: { type: 'string' },
      cell: { type: 'string' },
      invalid: { type: 'string', default: 'reject' },
      batch: { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
      'min-area': { type: 'string', default: '0' },
      role: { type: 'string' },
      name: { type: 'string' },
      person: { type: 'string' },
      password: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const out = (line: string) => console.log(line)

  switch (command) {
    case 'migrate':
      // as the tables' owner (DATABASE_OWNER_URL when the app has its own login)
      return openLocked(
        config,
        'migrate',
        () => openDatabase({ ...config, databaseUrl: config.databaseOwnerUrl ?? config.databaseUrl }),
        async (database) => {
          const result = await migrate(database)
          out(result.applied.length ? `applied ${result.applied.join(', ')}` : 'nothing to apply')
          out(`migration level: ${result.level}`)
          return 0
        },
      )
    case 'backup':
      return backupCommand(config, positionals[0], out)
    case 'restore':
      return restoreCommand(config, positionals[0], values.force!, out)
    case 'seed-demo':
      return withDatabase(config, 'seed-demo', async (database) => {
        const report = await loadDemo(database.db, { matchToleranceM2: config.matchToleranceM2, log: out })
        if (!report.loaded) {
          out('the database already holds a region; the demo loads only into an empty database')
          return 1
        }
        await prepareDatabase(database, config, out)
        out(`demo accounts: ${report.users.join(', ')} (password "everyinch-demo")`)
        return 0
      })
    case 'import': {
      const [kind, file] = positionals
      if (!['regions', 'cells', 'parcels'].includes(kind ?? '') || !file) {
        console.error('usage: import regions|cells|parcels FILE [options]')
        return 2
      }
      if (!['reject', 'skip', 'repair'].includes(values.invalid!)) {
        console.error('--invalid must be reject, skip or repair')
        return 2
      }
      return withDatabase(config, `import ${kind}`, async (database) => {
        const started = performance.now()
        const bytes: ByteProgress = { bytesRead: 0, totalBytes: null }
        const progress = progressReporter(bytes)
        let counts = { read: 0, imported: 0, rejected: 0 }
        const report = await importFeatures(database.db, readFeatureFile(file, bytes), {
          kind: kind as ImportKind,
          invalid: values.invalid as InvalidMode,
          region: values.region,
          batchSize: Math.max(1, Number(values.batch)),
          matchToleranceM2: config.matchToleranceM2,
          actor: cliActor(),
          source: file,
          properties: {
            code: values['code-prop'] ?? DEFAULT_PROPERTIES.code,
            name: values['name-prop'] ?? DEFAULT_PROPERTIES.name,
            nameEn: DEFAULT_PROPERTIES.nameEn,
            parent: values['parent-prop'] ?? DEFAULT_PROPERTIES.parent,
            level: values['level-prop'] ?? DEFAULT_PROPERTIES.level,
            id: values['id-prop'] ?? DEFAULT_PROPERTIES.id,
            landUse: values['land-use-prop'] ?? DEFAULT_PROPERTIES.landUse,
            owner: values['owner-prop'] ?? DEFAULT_PROPERTIES.owner,
          },
          onProgress: (c) => {
            counts = c
            progress.update(c)
          },
        })
        progress.done({ ...counts, read: report.read })
        out(formatImportReport(report, (performance.now() - started) / 1000))
        return report.committed ? 0 : 1
      })
    }
    case 'coverage':
      return withDatabase(config, 'coverage', async (database) => {
        const scope = await resolveScope(database.db, { region: values.region, cell: values.cell })
        const report = await coverageReport(database.db, scope, {
          at: isoDay(new Date(), config.serviceTimeZone),
          sliverM2: config.sliverToleranceM2,
          minGapM2: Number(values['min-area']),
          expiringSoonDays: config.expiringSoonDays,
          parcelLimit: 500,
        })
        out(values.json ? JSON.stringify(report, null, 2) : formatCoverage(report))
        return 0
      })
    case 'rematch':
      return withDatabase(config, 'rematch', async (database) => {
        if (!values.region) {
          console.error('usage: rematch --region CODE')
          return 2
        }
        const r = await rematchRegion(
          database.db,
          cliActor(),
          values.region,
          config.matchToleranceM2,
          isoDay(new Date(), config.serviceTimeZone),
        )
        out(`rematched ${r.parcels} parcels of region ${r.region} in ${r.seconds.toFixed(2)} s`)
        for (const [status, n] of Object.entries(r.counts).sort()) out(`  ${status.padEnd(11)} ${n}`)
        return 0
      })
    case 'users':
      return withDatabase(config, `users ${positionals[0] ?? ''}`.trim(), async (database) => {
        const [action, login] = positionals
        if (action === 'create' && login) {
          if (!ROLES.includes(values.role as UserRole)) {
            console.error(`--role must be one of ${ROLES.join(', ')}`)
            return 2
          }
          const password = values.password ?? generatePassword()
          await createUser(database.db, cliActor(), {
            login,
            displayName: values.name ?? login,
            role: values.role as UserRole,
            personId: values.person ? Number(values.person) : null,
            password,
          })
          out(`created ${values.role} "${login}"${values.password ? '' : ` with password "${password}" (shown once)`}`)
          return 0
        }
        if (action === 'reset-password' && login) {
          const password = values.password ?? generatePassword()
          await resetPassword(database.db, cliActor(), login, password)
          out(
            `password of "${login}" reset${values.password ? '' : ` to "${password}" (shown once)`}; their sessions are ended`,
          )
          return 0
        }
        console.error('usage: users create LOGIN --role ROLE … | users reset-password LOGIN')
        return 2
      })
    case 'audit':
      return withDatabase(config, 'audit', (database) => auditCommand(database, positionals, out))
    case 'flags':
      return withDatabase(config, 'flags', async (database) => {
        if (positionals[0] !== 'escalate') {
          console.error('usage: flags escalate')
          return 2
        }
        const r = await escalateOverdue(database.db, flagSettings(config), new Date(), cliActor())
        out(`${r.escalated.length} overdue flag(s) escalated at ${r.at}`)
        for (const e of r.escalated) {
          out(
            `  #${e.flagId} ${e.limit === 'ack' ? 'acknowledgement' : 'completion'} limit missed: ${e.fromCellCode} → ${e.toCellCode} (level ${e.escalationLevel}${e.atTop ? ', nobody higher' : ''})`,
          )
        }
        return 0
      })
    case 'ledgers':
      return withDatabase(config, 'ledgers', async (database) => {
        if (positionals[0] !== 'escalate') {
          console.error('usage: ledgers escalate')
          return 2
        }
        const r = await escalateOverdueLedgers(database.db, new Date(), flagSettings(config), cliActor())
        out(`${r.escalated.length} overdue ledger escalation(s) at ${r.at}`)
        for (const e of r.escalated) {
          out(
            `  entry #${e.entryId} ${e.month} ${e.unitCode} ${e.measureCode} → level ${e.escalationLevel} (${e.toUnitCode})`,
          )
        }
        return 0
      })
    default:
      out(USAGE)
      return command === undefined || values.help || command === 'help' ? 0 : 2
  }
}

main(process.argv.slice(2))
  .then((code) => exitWhenFlushed(code))
  .catch((error) => {
    if (error instanceof DataFolderInUseError) console.error(`everyinch: ${error.message}`)
    else if (error instanceof DatabaseUnreachableError) {
      console.error(`everyinch: ${error.message}`)
      return exitWhenFlushed(3)
    } else if (error instanceof AppError || error instanceof CliRefusal) console.error(`error: ${error.message}`)
    else console.error(error)
    return exitWhenFlushed(1)
  })
