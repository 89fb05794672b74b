import { inject } from 'vitest'
import type { Database } from '../../server/src/db/database.js'
import { APP_ROLE } from '../../server/src/db/app-role.js'
import { openCopy, type TemplateName } from './templates.js'

/**
 * A fresh copy of a migrated template database for one test file. On a server it runs as the app's
 * restricted role, as the app does in production (`as: 'owner'` for tests that need the owner, e.g.
 * migrations); `owner()` gives an owner connection for set-up that needs owner rights.
 */
export async function testDatabase(
  template: TemplateName = 'empty',
  options: { as?: 'app' | 'owner' } = {},
): Promise<{ database: Database; owner: () => Database; close: () => Promise<void> }> {
  const t = inject('templates')
  const copy =
    t.kind === 'embedded'
      ? await openCopy({ kind: 'embedded', file: t[template] })
      : await openCopy(
          { kind: 'server', url: t.url, dbName: t[template] },
          options.as === 'owner' ? undefined : APP_ROLE,
        )
  return {
    database: copy.database,
    owner: copy.owner,
    close: async () => {
      await copy.database.close()
      await copy.drop()
    },
  }
}
