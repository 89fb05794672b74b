// The data a run uses: generated sets (fixtures/generate.ts), imported through the service, and staffed.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import { SYSTEM_ACTOR } from '../server/src/db/repositories/audit.repository.js'
import type { DB } from '../server/src/db/schema.js'
import { readFeatureFile } from '../server/src/services/feature-source.js'
import { DEFAULT_PROPERTIES, importFeatures, type ImportKind } from '../server/src/services/import.service.js'
import { log } from './report.js'
import { ROOT, TOLERANCE } from './settings.js'

// ---------------------------------------------------------------------------------------------------
export function dataset(cells: number, parcels: number): string {
  const dir = path.join(ROOT, 'fixtures/generated', `${cells}-${parcels}-1`)
  if (!existsSync(path.join(dir, 'expected.json'))) {
    log(`generating ${cells} cells, ${parcels} parcels …`)
    execFileSync(
      'npx',
      ['tsx', 'fixtures/generate.ts', '--cells', String(cells), '--parcels', String(parcels), '--seed', '1'],
      { cwd: ROOT, stdio: 'inherit' },
    )
  }
  return dir
}

export async function importFile(db: Kysely<DB>, kind: ImportKind, file: string) {
  const report = await importFeatures(db, readFeatureFile(file), {
    kind,
    invalid: 'reject',
    properties: DEFAULT_PROPERTIES,
    batchSize: 1000,
    matchToleranceM2: TOLERANCE,
    actor: SYSTEM_ACTOR,
    source: file,
  })
  if (!report.committed) throw new Error(`import of ${file} failed: ${JSON.stringify(report.rejected.slice(0, 3))}`)
  return report
}

/** People: a chief and a member for every cell, except every 20th village (vacant). */
export async function staff(db: Kysely<DB>) {
  await sql`
    WITH c AS (SELECT id, level, row_number() OVER (ORDER BY id) AS n FROM grid_cells),
    ins AS (INSERT INTO people (name, phone) SELECT 'P' || c.id || '-' || r, '139' || lpad((c.id * 2 + r)::text, 8, '0')
            FROM c, generate_series(0, 1) r WHERE NOT (c.level = 3 AND c.n % 20 = 0) RETURNING id, name)
    INSERT INTO responsibilities (person_id, cell_id, role, starts_on)
    SELECT ins.id, split_part(substr(ins.name, 2), '-', 1)::int, CASE WHEN split_part(ins.name, '-', 2) = '0' THEN 'grid_chief' ELSE 'grid_member' END, '2020-01-01'
    FROM ins`.execute(db)
  await sql`ANALYZE`.execute(db)
}
