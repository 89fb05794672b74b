import { inject } from 'vitest'
import type { Database } from '../../server/src/db/database.js'
import { openCopy, type TemplateName } from './templates.js'

/** A fresh copy of a migrated template database for one test file. */
export async function testDatabase(template: TemplateName = 'empty'): Promise<{ database: Database; close: () => Promise<void> }> {
  const t = inject('templates')
  const copy =
    t.kind === 'embedded'
      ? await openCopy({ kind: 'embedded', file: t[template] })
      : await openCopy({ kind: 'server', url: t.url, dbName: t[template] })
  return {
    database: copy.database,
    close: async () => {
      await copy.database.close()
      await copy.drop()
    },
  }
}
