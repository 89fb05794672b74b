import type { AppContext } from '../app.js'
import { postgisVersion } from '../db/database.js'
import { migrationLevel } from '../db/migrate.js'

export async function healthStatus(ctx: AppContext) {
  return {
    status: 'ok' as const,
    database: {
      kind: ctx.database.kind,
      postgis: await postgisVersion(ctx.db),
      migration: await migrationLevel(ctx.database),
      mvt: ctx.capabilities.mvt,
    },
  }
}
