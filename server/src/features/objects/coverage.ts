// The coverage report's "objects" section: supervised objects in force that lie outside every cell
// (unowned), across cells (straddling) or in a vacant cell (inherited) — the inventory's coverage defects.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { CoverageScope } from '../../db/repositories/coverage.repository.js'
import { objectIssues } from './repository.js'

export async function objectIssuesSection(db: Kysely<DB>, scope: CoverageScope, at: string, limit: number) {
  const rows = await objectIssues(db, scope, at, limit)
  const of = (status: string) =>
    rows
      .filter((r) => r.status === status)
      .map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        typeCode: r.type_code,
        cellCode: r.cell_code,
        accountableCode: r.accountable_code,
        point: r.point,
      }))
  return { unowned: of('unowned'), straddling: of('straddling'), inherited: of('inherited') }
}
