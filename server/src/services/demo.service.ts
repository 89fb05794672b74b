// Loads the Boai County demo (fixtures/boai, built by fixtures/boai/build.ts) into an empty database,
// with one demo account per role. Demo accounts exist only in demo mode and are marked is_demo.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import type { DB, Role, UserRole } from '../db/schema.js'
import { SYSTEM_ACTOR } from '../db/repositories/audit.repository.js'
import { findCellsByCodes } from '../db/repositories/cells.repository.js'
import { insertPerson, insertResponsibilities } from '../db/repositories/people.repository.js'
import { hasAnyRegion } from '../db/repositories/regions.repository.js'
import { loadAssessmentDemo } from '../features/assessment/demo.js'
import { fillDemoLedgers } from '../features/ledgers/demo.js'
import { loadObjectsDemo } from '../features/objects/demo.js'
import { loadLoopDemo } from '../features/units/demo.js'
import { loadInspectionsDemo } from '../features/inspections/demo.js'
import { createUser } from './auth.service.js'
import { featuresOf } from './feature-source.js'
import { DEFAULT_PROPERTIES, importFeatures, type ImportKind, type ImportReport } from './import.service.js'

export const DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/boai')
export const DEMO_PASSWORD = 'everyinch-demo'
export const DEMO_HISTORY_STARTS = '2024-01-01'
/** `loopPerson`: the unit officer acts for this person of fixtures/boai/loop/people.json */
export const DEMO_USERS: { login: string; role: UserRole; displayName: string; loopPerson?: string }[] = [
  { login: 'demo-admin', role: 'admin', displayName: 'Demo admin' },
  { login: 'demo-supervisor', role: 'supervisor', displayName: 'Demo supervisor' },
  { login: 'demo-inspector', role: 'inspector', displayName: 'Demo inspector' },
  { login: 'demo-viewer', role: 'viewer', displayName: 'Demo viewer' },
  // the liaison of 许良镇 (fills in its ledgers) and of 生态环境局 (lead unit of the air line: reviews)
  { login: 'demo-unit', role: 'unit_officer', displayName: 'Demo unit officer', loopPerson: 'L-410822103-liaison' },
  { login: 'demo-reviewer', role: 'unit_officer', displayName: 'Demo reviewer', loopPerson: 'L-sthj-liaison' },
]

interface DemoPerson {
  key: string
  name: string
  nameEn?: string
  phone?: string
  organisation?: string
}
interface DemoResponsibility {
  personKey: string
  cellCode: string
  role: Role
  startsOn: string
  endsOn: string | null
}

export interface DemoReport {
  loaded: boolean
  imports: Partial<Record<ImportKind, ImportReport>>
  people: number
  responsibilities: number
  users: string[]
}

const readJson = async <T>(file: string): Promise<T> =>
  JSON.parse(await readFile(path.join(DEMO_DIR, file), 'utf8')) as T

export async function loadDemo(
  db: Kysely<DB>,
  options: { matchToleranceM2: number; log?: (line: string) => void },
): Promise<DemoReport> {
  const log = options.log ?? (() => {})
  if (await hasAnyRegion(db)) return { loaded: false, imports: {}, people: 0, responsibilities: 0, users: [] }
  const report: DemoReport = { loaded: true, imports: {}, people: 0, responsibilities: 0, users: [] }
  const load = async (kind: ImportKind, file: string) => {
    const started = performance.now()
    const result = await importFeatures(db, featuresOf(await readFile(path.join(DEMO_DIR, file), 'utf8')), {
      kind,
      invalid: 'reject',
      properties: DEFAULT_PROPERTIES,
      batchSize: 500,
      matchToleranceM2: options.matchToleranceM2,
      actor: SYSTEM_ACTOR,
      source: `fixtures/boai/${file}`,
      // the demo's grid has existed since its people took up their duties, not since the day it was loaded
      versionsValidFrom: DEMO_HISTORY_STARTS,
    })
    if (!result.committed) {
      throw new Error(
        `demo ${file} did not import: ${result.rejected
          .slice(0, 3)
          .map((r) => `#${r.index} ${r.reason}`)
          .join('; ')}`,
      )
    }
    report.imports[kind] = result
    log(`demo: ${result.imported} ${kind} from ${file} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
  await load('regions', 'region.geojson')
  await load('context', 'neighbours.geojson')
  await load('cells', 'cells.geojson')

  const people = await readJson<DemoPerson[]>('people.json')
  const duties = await readJson<DemoResponsibility[]>('responsibilities.json')
  const personIds = new Map<string, number>()
  await db.transaction().execute(async (tx) => {
    for (const p of people) {
      const row = await insertPerson(tx, {
        name: p.name,
        nameEn: p.nameEn,
        phone: p.phone,
        organisation: p.organisation,
      })
      personIds.set(p.key, row.id)
    }
    const cells = new Map(
      (await findCellsByCodes(tx, [...new Set(duties.map((d) => d.cellCode))])).map((c) => [c.code, c.id]),
    )
    await insertResponsibilities(
      tx,
      duties.map((d) => {
        const personId = personIds.get(d.personKey)
        const cellId = cells.get(d.cellCode)
        if (!personId || !cellId)
          throw new Error(
            `demo responsibility refers to unknown ${personId ? 'cell ' + d.cellCode : 'person ' + d.personKey}`,
          )
        return { personId, cellId, role: d.role, startsOn: d.startsOn, endsOn: d.endsOn }
      }),
    )
  })
  report.people = people.length
  report.responsibilities = duties.length
  log(`demo: ${people.length} people, ${duties.length} responsibilities`)

  await load('parcels', 'parcels.geojson')
  const objects = await loadObjectsDemo(db, { matchToleranceM2: options.matchToleranceM2, now: new Date() })
  log(`demo: ${objects} supervised objects from the enterprise and construction-site parcels`)
  const loop = await loadLoopDemo(db, { log })
  log(`demo: inspection campaign ${await loadInspectionsDemo(db, new Date())}`)

  // The demo supervisor acts for the grid chief of the fixture's sample staffed village.
  const expected = await readJson<{ staffedPoint: { cellCode: string } }>('expected.json')
  const chief = duties.find(
    (d) => d.cellCode === expected.staffedPoint.cellCode && d.role === 'grid_chief' && d.endsOn === null,
  )
  for (const u of DEMO_USERS) {
    await createUser(db, SYSTEM_ACTOR, {
      login: u.login,
      displayName: u.displayName,
      role: u.role,
      personId: u.loopPerson
        ? loop.personIds.get(u.loopPerson)!
        : u.role === 'supervisor'
          ? personIds.get(chief!.personKey)!
          : null,
      password: DEMO_PASSWORD,
      isDemo: true,
    })
    report.users.push(u.login)
  }
  // the ledgers of the months so far (after the plans' entries exist): accepted, late, returned, overdue
  await fillDemoLedgers(db, new Date())
  // the 2026 assessment scheme and monthly PM figures per township (after the units and letters exist)
  await loadAssessmentDemo(db, new Date())
  return report
}
