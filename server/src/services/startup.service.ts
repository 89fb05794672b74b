// First-run set-up shared by the server and the CLI: an admin account, and the demo when asked.
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import { ensureAdmin } from './auth.service.js'
import { DEMO_PASSWORD, DEMO_USERS, loadDemo } from './demo.service.js'
import { hasAnyRegion } from '../db/repositories/regions.repository.js'

export async function prepareDatabase(database: Database, config: Config, say: (line: string) => void) {
  const admin = await ensureAdmin(database.db, config.adminPassword)
  if (admin?.generatedPassword) {
    say(`created the first admin account: login "${admin.login}", password "${admin.generatedPassword}"`)
    say('this password is shown only once; change it with `npm run cli -- users reset-password admin`')
  } else if (admin) {
    say(`created the first admin account "${admin.login}" with the password from ADMIN_PASSWORD`)
  }
  const empty = !(await hasAnyRegion(database.db))
  const wantDemo = config.demoData === 'on' || (config.demoData === 'auto' && database.kind === 'embedded')
  if (empty && wantDemo) {
    say('loading the Boai County demo (first start only)…')
    const started = performance.now()
    await loadDemo(database.db, { matchToleranceM2: config.matchToleranceM2, log: say })
    say(`demo loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    say(`DEMO accounts (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => `${u.login} (${u.role})`).join(', ')}`)
  } else if (empty) {
    say('the database has no region yet: import one with `npm run cli -- import regions FILE` (or set DEMO_DATA=on)')
  }
}
