// The access matrix's shared parts: the requesters, the outcome of a request, and the world every
// feature's rows act on (a region with two township cells, each a unit with its own unit officer).
// Each feature adds one file under test/routes/access-matrix/ exporting `matrix` (defineMatrix): its
// own world set-up (optional) and its rows. access-matrix.test.ts loads every file of that folder.
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { detectCapabilities } from '../../server/src/db/database.js'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { patchUnit, syncTownshipUnits } from '../../server/src/features/units/service.js'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

/**
 * Requesters, in the order of every row: anonymous, anonymous with PUBLIC_MAP=true, viewer (county
 * officer), inspector, supervisor acting in their own cell, supervisor acting in another's cell,
 * unit officer of the unit acted on, unit officer of another unit, admin.
 */
export const REQUESTERS = [
  'anonymous',
  'publicMap',
  'viewer',
  'inspector',
  'supervisorOwn',
  'supervisorOther',
  'unitOfficerOwn',
  'unitOfficerOther',
  'admin',
] as const
export type Requester = (typeof REQUESTERS)[number]
export type SignedInRequester = Exclude<Requester, 'anonymous' | 'publicMap'>

/** allowed: any answer but 401 unauthorized or 403 forbidden (a 404, 409 or 400 is the route at work) */
export const A = 'allowed' as const
export type Outcome = typeof A | 401 | 403
export type Outcomes = [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]

export interface Case {
  url: string
  payload?: unknown
  /** request headers besides the requester's (e.g. a content type for a raw body) */
  headers?: Record<string, string>
  /** one outcome per requester, in the order of REQUESTERS */
  expect: Outcomes
}

/** Common outcomes: the loop's reads (every signed-in role, anonymous 401 even with the public map). */
export const SIGNED_IN_READ: Outcomes = [401, 401, A, A, A, A, A, A, A]
/** Writes only an admin may make. */
export const ADMIN_ONLY: Outcomes = [401, 401, 403, 403, 403, 403, 403, 403, A]

export interface MatrixWorld {
  t: TestApp
  /** the same database served with the public map on, for anonymous visitors of it */
  publicMapApp: FastifyInstance
  headers: Record<SignedInRequester, Record<string, string>>
  /** level-1 cell R1 with two level-2 cells (townships), each a unit */
  ownCell: string
  otherCell: string
  ownCellId: number
  otherCellId: number
  /** the own cell's chief (the supervisorOwn's person) */
  personId: number
  parcelId: number
  /** a duty in the other cell */
  responsibilityId: number
  /** township units of the two cells; unitOfficerOwn liaises for ownUnit, unitOfficerOther for otherUnit */
  ownUnit: { id: number; code: string }
  otherUnit: { id: number; code: string }
  ownOfficerPersonId: number
  otherOfficerPersonId: number
  /** headers of a fresh session for this requester (signing out must not end the shared sessions) */
  freshHeaders: (who: SignedInRequester) => Promise<Record<string, string>>
}

/** A feature's rows: its world set-up (run once, after the shared world) and its table. */
export interface MatrixFeature<W> {
  setUp?: (world: MatrixWorld) => Promise<W>
  /** rebuilt for each request: `n` changes each time, so payloads that create something get a fresh name */
  rows: (world: MatrixWorld, own: W, n: number) => Record<string, Case[]>
}
export const defineMatrix = <W = undefined>(feature: MatrixFeature<W>) => feature

export async function buildMatrixWorld(): Promise<MatrixWorld> {
  const t = await testApp({ env: { SIGNIN_RATE_PER_MINUTE: '100000' } })
  const db = t.database.db
  const f = factories(db)
  const region = await f.region('R1', box(113, 35, 113.02, 35.01))
  await f.cell({ regionId: region.id, code: 'R1', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  const own = await f.cell({
    regionId: region.id,
    code: 'R1001',
    level: 2,
    parentCode: 'R1',
    geometry: box(113, 35, 113.01, 35.01),
  })
  const other = await f.cell({
    regionId: region.id,
    code: 'R1002',
    level: 2,
    parentCode: 'R1',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  const { chief } = await f.staff(own.id)
  const otherStaff = await f.staff(other.id, ['Other chief', 'Other member'])
  const parcelId = await f.parcel({
    regionId: region.id,
    externalId: 'P1',
    geometry: box(113.002, 35.002, 113.004, 35.004),
  })
  await f.rematchAll(region.id)
  const duty = await f.duty({ personId: otherStaff.member.id, cellId: other.id, role: 'specialist' })

  // the two township units, each with a liaison who signs in as a unit officer
  await syncTownshipUnits(db, SYSTEM_ACTOR, t.clock.now)
  const ownOfficer = await f.person('Own unit liaison')
  const otherOfficer = await f.person('Other unit liaison')
  await patchUnit(db, SYSTEM_ACTOR, own.code, { liaisonPersonIds: [ownOfficer.id] })
  await patchUnit(db, SYSTEM_ACTOR, other.code, { liaisonPersonIds: [otherOfficer.id] })
  const unitIds = await db.selectFrom('units').select(['id', 'code']).execute()
  const unitOf = (code: string) => ({ id: unitIds.find((u) => u.code === code)!.id, code })

  const personOf: Record<SignedInRequester, number | null> = {
    viewer: null,
    inspector: null,
    supervisorOwn: chief.id,
    supervisorOther: otherStaff.chief.id,
    unitOfficerOwn: ownOfficer.id,
    unitOfficerOther: otherOfficer.id,
    admin: null,
  }
  const roleOf = (who: SignedInRequester) =>
    who.startsWith('supervisor') ? 'supervisor' : who.startsWith('unitOfficer') ? 'unit_officer' : (who as 'viewer')
  const freshHeaders = async (who: SignedInRequester) => (await signedIn(t, roleOf(who), personOf[who])).headers
  const headers = {} as Record<SignedInRequester, Record<string, string>>
  for (const who of REQUESTERS) if (who !== 'anonymous' && who !== 'publicMap') headers[who] = await freshHeaders(who)

  const publicMapApp = await buildApp({
    config: loadConfig({ WEB_DIST: '/nonexistent', SIGNIN_RATE_PER_MINUTE: '100000', PUBLIC_MAP: 'true' }),
    database: t.database,
    capabilities: await detectCapabilities(t.database.db),
    now: () => t.clock.now,
    logger: { level: 'error' },
  })
  await publicMapApp.ready()
  return {
    t,
    publicMapApp,
    headers,
    ownCell: own.code,
    otherCell: other.code,
    ownCellId: own.id,
    otherCellId: other.id,
    personId: chief.id,
    parcelId,
    responsibilityId: duty.id,
    ownUnit: unitOf(own.code),
    otherUnit: unitOf(other.code),
    ownOfficerPersonId: ownOfficer.id,
    otherOfficerPersonId: otherOfficer.id,
    freshHeaders,
  }
}
