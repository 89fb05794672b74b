// The supervision inventory (监管清单): filing, editing and the review above the filer (填报 → 审核),
// each write matched at once by the parcel rules and audited in the same transaction.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { rematchObjects } from '../../db/repositories/matching.repository.js'
import { checkValidity } from '../../db/repositories/geometry.repository.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import { checkPoint, checkPolygonal, dropElevation } from '../../services/geojson-checks.js'
import { chainFrom, effectiveOf } from '../../services/accountability.service.js'
import { cellAndDescendantIds } from '../../services/parcels.service.js'
import type { ObjectDetail, ObjectProperties } from '../../contract/objects.js'
import * as repo from './repository.js'

export const REVIEW_STATUSES = ['filed', 'accepted', 'returned', 'retired'] as const
export const MATCH_STATUSES = ['matched', 'straddling', 'unowned', 'inherited']
export const RISK_LEVELS = ['high', 'medium', 'low']

/** A geometry as the object's type allows it, checked before the database sees it; its GeoJSON text. */
export interface GeometryCheck {
  geojson: string
  polygonal: boolean
}

/** Structural check of an object's geometry (Point, Polygon or MultiPolygon) against its type's kind. */
export function checkObjectGeometry(geometry: unknown, kind: string, where: string): GeometryCheck {
  const type = (geometry as { type?: unknown } | null)?.type
  const polygonal = type === 'Polygon' || type === 'MultiPolygon'
  if (type !== 'Point' && !polygonal)
    throw badRequest(
      'invalid_geometry',
      `${where}: geometry type ${JSON.stringify(type ?? null)} is not Point, Polygon or MultiPolygon`,
    )
  const problem = polygonal ? checkPolygonal(geometry) : checkPoint(geometry)
  if (problem)
    throw badRequest('invalid_geometry', `${where}: ${problem.reason}`, { location: problem.location ?? null })
  if (kind === 'point' && polygonal)
    throw badRequest(
      'geometry_kind_mismatch',
      `${where}: objects of this type are filed as a point, not a ${String(type)}`,
    )
  if (kind === 'polygon' && !polygonal)
    throw badRequest('geometry_kind_mismatch', `${where}: objects of this type are filed as a polygon, not a point`)
  return { geojson: JSON.stringify(dropElevation(geometry)), polygonal }
}

/** Validity (self-intersections…) by PostGIS, for the polygonal ones, in one round trip. */
export async function assertValidGeometries(db: Kysely<DB>, items: (GeometryCheck & { where: string })[]) {
  const polygons = items.filter((i) => i.polygonal)
  const validity = await checkValidity(
    db,
    polygons.map((p) => p.geojson),
  )
  const bad = polygons.map((p, i) => ({ p, v: validity[i]! })).filter((x) => !x.v.valid)
  if (bad.length)
    throw badRequest(
      'invalid_geometry',
      bad
        .slice(0, 20)
        .map((x) => `${x.p.where}: not a valid polygon: ${x.v.reason}`)
        .join('; '),
      { location: bad[0]!.v.location },
    )
}

async function typeKind(db: Kysely<DB>, code: string, where: string): Promise<string> {
  const type = (await repo.objectTypes(db)).find((t) => t.code === code)
  if (!type)
    throw badRequest('unknown_object_type', `${where}: unknown object type "${code}" (see GET /api/object-types)`)
  return type.geometry_kind
}

async function regionOf(db: Kysely<DB>, geojson: string, where: string): Promise<number> {
  const id = await repo.regionOfGeometry(db, geojson)
  if (id === undefined) throw badRequest('outside_regions', `${where}: the object lies outside every region`)
  return id
}

export type Flat = string | number | boolean | null

/** Attributes kept flat (nested values are refused, empty strings dropped); problems are pushed, named. */
export function flatAttributes(attributes: Record<string, unknown>, problems: string[]): Record<string, Flat> {
  const out: Record<string, Flat> = {}
  const keys = Object.keys(attributes)
  if (keys.length > 50) problems.push(`${keys.length} attributes; at most 50`)
  for (const k of keys) {
    const v = attributes[k]
    if (k.length > 64) problems.push(`attribute name "${k.slice(0, 20)}…" longer than 64 characters`)
    else if (v !== null && typeof v === 'object')
      problems.push(`attribute "${k}" is an ${Array.isArray(v) ? 'array' : 'object'}; only flat values are kept`)
    else if (typeof v === 'string' && v.length > 2000) problems.push(`attribute "${k}" longer than 2000 characters`)
    else if (typeof v === 'number' && !Number.isFinite(v)) problems.push(`attribute "${k}" is not a finite number`)
    else if (v !== undefined && v !== '') out[k] = v as Flat
  }
  return out
}

function checkedAttributes(attributes: Record<string, unknown> | undefined) {
  if (attributes === undefined) return undefined
  const problems: string[] = []
  const flat = flatAttributes(attributes, problems)
  if (problems.length) throw badRequest('invalid_attributes', `body parameter "attributes": ${problems.join('; ')}`)
  return flat
}

export async function objectTypesWithFrequencies(db: Kysely<DB>) {
  const [types, freq] = await Promise.all([repo.objectTypes(db), repo.patrolFrequencies(db)])
  const order = ['high', 'medium', 'low']
  return {
    types: types.map((t) => ({
      code: t.code,
      nameZh: t.name_zh,
      nameEn: t.name_en,
      geometryKind: t.geometry_kind as 'point' | 'polygon' | 'any',
      checklist: t.checklist as { code: string; labelZh: string; labelEn: string }[],
    })),
    frequencies: freq
      .sort((a, b) => order.indexOf(a.risk_level) - order.indexOf(b.risk_level))
      .map((f) => ({ riskLevel: f.risk_level as 'high' | 'medium' | 'low', visitsPerMonth: f.visits_per_month })),
  }
}

function listParam(name: string, raw: string | undefined, allowed?: readonly string[]): string[] | undefined {
  if (raw === undefined) return undefined
  const values = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = allowed ? values.filter((v) => !allowed.includes(v)) : []
  if (unknown.length || values.length === 0)
    throw badRequest(
      `invalid_${name}`,
      `querystring parameter "${name}" has unknown value(s) ${unknown.join(', ') || '(none)'}` +
        (allowed ? `; use ${allowed.join(', ')}` : ''),
    )
  return values
}

export interface ObjectListRequest {
  bbox?: readonly [number, number, number, number]
  type?: string
  status?: string
  match?: string
  risk?: string
  cell?: string
  q?: string
  at: string
  limit: number
  offset: number
}

export async function objectFeatureCollection(db: Kysely<DB>, q: ObjectListRequest) {
  const types = (await repo.objectTypes(db)).map((t) => t.code)
  return repo.objectFeatures(db, {
    bbox: q.bbox,
    typeCodes: listParam('type', q.type, types),
    statuses: listParam('status', q.status, REVIEW_STATUSES) ?? ['filed', 'accepted', 'returned'],
    matchStatuses: listParam('match', q.match, MATCH_STATUSES),
    riskLevels: listParam('risk', q.risk, RISK_LEVELS),
    cellIds: q.cell === undefined ? undefined : await cellAndDescendantIds(db, q.cell),
    q: q.q,
    at: q.at,
    limit: q.limit,
    offset: q.offset,
  })
}

/** One object as a feature with its match, and who answers for it on a date (the parcel reasons). */
export async function objectDetail(db: Kysely<DB>, id: number, at: string, contacts: boolean): Promise<ObjectDetail> {
  const [{ geojson }, row] = await Promise.all([
    repo.objectFeatures(db, { ids: [id], statuses: [...REVIEW_STATUSES], at, limit: 1, offset: 0 }),
    repo.objectDetailRow(db, id, at),
  ])
  const feature = (JSON.parse(geojson) as { features: { geometry: never; properties: ObjectProperties }[] }).features[0]
  if (!feature || !row) throw notFound('object', id)
  const object = {
    type: 'Feature' as const,
    id,
    geometry: feature.geometry,
    properties: {
      ...feature.properties,
      regionCode: row.region_code,
      areaM2: row.object_area_m2 === null ? null : Math.round(row.object_area_m2 * 10) / 10,
      uncoveredAreaM2: row.uncovered_area_m2 === null ? null : Math.round(row.uncovered_area_m2 * 10) / 10,
      shares: row.shares ?? [],
      retiredReason: row.retired_reason,
      filedBy: row.filed_by_login,
      reviewedBy: row.reviewed_by_login,
      reviewedAt: row.reviewed_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    },
  }
  if (row.cell_id === null)
    return { object, at, chain: [], effective: null, reason: 'uncovered', message: 'no grid cell covers this object' }
  const { chain, byId } = await chainFrom(db, row.cell_id, at, contacts)
  const status = row.match_status
  const uncoveredPart =
    status === 'unowned' ? `${Math.round(row.uncovered_area_m2 ?? 0)} m² of this object is covered by no cell` : null
  return {
    object,
    at,
    chain,
    effective: effectiveOf(chain, byId, false),
    reason: (status === 'unowned' ? 'uncovered' : (status ?? 'uncovered')) as ObjectDetail['reason'],
    message:
      uncoveredPart ??
      (status === 'inherited'
        ? `its cell ${row.cell_code} is vacant; accountability passes up by the territorial fallback rule`
        : null),
  }
}

export interface Clock {
  now: Date
  at: string
  toleranceM2: number
}

export async function fileObject(
  db: Kysely<DB>,
  actor: Actor & { admin: boolean },
  input: {
    code: string
    name: string
    type: string
    riskLevel: string
    geometry: unknown
    attributes?: Record<string, unknown>
  },
  clock: Clock,
) {
  const attributes = checkedAttributes(input.attributes) ?? {}
  const kind = await typeKind(db, input.type, 'body parameter "type"')
  const geometry = checkObjectGeometry(input.geometry, kind, 'body parameter "geometry"')
  await assertValidGeometries(db, [{ ...geometry, where: 'body parameter "geometry"' }])
  const regionId = await regionOf(db, geometry.geojson, 'body parameter "geometry"')
  // the check names the common case; the unique index decides a race (two filings sent at once)
  const duplicate = () => conflict('duplicate_object', `object "${input.code}" already exists`)
  const id = await db
    .transaction()
    .execute(async (tx) => {
      if ((await repo.existingCodes(tx, [input.code])).length) throw duplicate()
      const [newId] = await repo.insertObjects(tx, [
        {
          regionId,
          code: input.code,
          name: input.name.trim(),
          typeCode: input.type,
          riskLevel: input.riskLevel,
          geojson: geometry.geojson,
          attributes,
          // an admin's entry is the county's own record; a grid member's waits for review above them
          status: actor.admin ? 'accepted' : 'filed',
          filedBy: actor.id,
          now: clock.now,
        },
      ])
      await rematchObjects(tx, { kind: 'objects', objectIds: [newId!] }, clock.toleranceM2)
      await insertAudit(tx, {
        actor,
        action: 'create',
        entityType: 'object',
        entityId: newId!,
        after: { ...input, attributes, status: actor.admin ? 'accepted' : 'filed' },
      })
      return newId!
    })
    .catch((e: unknown) => {
      throw repo.isDuplicateCode(e) ? duplicate() : e
    })
  return objectDetail(db, id, clock.at, true)
}

export async function updateObject(
  db: Kysely<DB>,
  actor: Actor & { admin: boolean },
  id: number,
  input: {
    version: number
    name?: string
    type?: string
    riskLevel?: string
    geometry?: unknown
    attributes?: Record<string, unknown>
  },
  clock: Clock,
) {
  const attributes = checkedAttributes(input.attributes)
  await db.transaction().execute(async (tx) => {
    const before = await current(tx, id, input.version)
    if (before.status === 'retired') throw conflict('object_retired', `object ${before.code} is retired`)
    const typeCode = input.type ?? before.type_code
    const kind = await typeKind(tx, typeCode, 'body parameter "type"')
    const geometry = checkObjectGeometry(
      input.geometry ?? JSON.parse(before.geometry),
      kind,
      input.geometry === undefined ? `the stored geometry for type "${typeCode}"` : 'body parameter "geometry"',
    )
    if (input.geometry !== undefined) {
      await assertValidGeometries(tx, [{ ...geometry, where: 'body parameter "geometry"' }])
      await regionOf(tx, geometry.geojson, 'body parameter "geometry"')
    }
    // a grid member's change is filed again for review; an admin's stands as it was
    const refile = !actor.admin && before.status !== 'filed'
    await repo.updateObject(tx, id, {
      name: input.name?.trim(),
      typeCode: input.type,
      riskLevel: input.riskLevel,
      geojson: input.geometry === undefined ? undefined : geometry.geojson,
      attributes,
      ...(refile ? { status: 'filed' as const, returnReason: null, reviewedBy: null, reviewedAt: null } : {}),
      now: clock.now,
    })
    if (input.geometry !== undefined) await rematchObjects(tx, { kind: 'objects', objectIds: [id] }, clock.toleranceM2)
    const { version: _v, ...changes } = input
    await insertAudit(tx, {
      actor,
      action: 'update',
      entityType: 'object',
      entityId: id,
      before: auditView(before),
      after: { ...changes, ...(refile ? { status: 'filed' } : {}) },
    })
  })
  return objectDetail(db, id, clock.at, true)
}

export type ReviewAction = 'accept' | 'return' | 'retire'

/**
 * 审核: accept or return (with a reason) a filed object — never one's own filing (four eyes); retire an
 * object that is gone, with a reason. Each is a versioned, audited transition.
 */
export async function reviewObject(
  db: Kysely<DB>,
  actor: Actor,
  id: number,
  action: ReviewAction,
  body: { version: number; reason?: string },
  clock: Clock,
) {
  await db.transaction().execute(async (tx) => {
    const before = await current(tx, id, body.version)
    if (action !== 'retire' && before.status !== 'filed')
      throw conflict(
        'invalid_transition',
        `object ${before.code} is ${before.status}; only a filed object can be reviewed`,
      )
    if (action === 'retire' && before.status === 'retired')
      throw conflict('invalid_transition', `object ${before.code} is already retired`)
    if (action !== 'retire' && before.filed_by === actor.id)
      throw conflict('own_filing', 'an object is reviewed by someone other than the person who filed it')
    const reason = body.reason?.trim()
    await repo.updateObject(tx, id, {
      ...(action === 'accept'
        ? { status: 'accepted' as const, reviewedBy: actor.id, reviewedAt: clock.now }
        : action === 'return'
          ? { status: 'returned' as const, returnReason: reason!, reviewedBy: actor.id, reviewedAt: clock.now }
          : { status: 'retired' as const, returnReason: null, retiredReason: reason! }),
      now: clock.now,
    })
    await insertAudit(tx, {
      actor,
      action,
      entityType: 'object',
      entityId: id,
      before: { status: before.status },
      after: { status: { accept: 'accepted', return: 'returned', retire: 'retired' }[action], reason: reason ?? null },
    })
  })
  return objectDetail(db, id, clock.at, true)
}

async function current(db: Kysely<DB>, id: number, version: number) {
  const row = await repo.lockObject(db, id)
  if (!row) throw notFound('object', id)
  if (row.version !== version)
    throw conflict(
      'version_conflict',
      `object ${row.code} was changed by someone else (version ${row.version}, you read ${version}); reload it`,
      { currentVersion: row.version },
    )
  return row
}

function auditView(row: NonNullable<Awaited<ReturnType<typeof repo.lockObject>>>) {
  return {
    name: row.name,
    type: row.type_code,
    riskLevel: row.risk_level,
    status: row.status,
    attributes: row.attributes,
    geometry: JSON.parse(row.geometry) as unknown,
  }
}

/** The cells a write acts on, for a supervisor's scope: where the object is now and where it goes. */
export async function cellsActedOn(db: Kysely<DB>, id: number | undefined, geometry: unknown): Promise<number[]> {
  const cells: number[] = []
  if (id !== undefined) {
    const row = await repo.lockObject(db, id)
    if (row) cells.push(row.cell_id ?? 0)
  }
  if (geometry !== undefined) {
    const g = checkObjectGeometry(geometry, 'any', 'body parameter "geometry"')
    await assertValidGeometries(db, [{ ...g, where: 'body parameter "geometry"' }])
    const touched = await repo.leafCellsTouching(db, g.geojson)
    // land no cell covers is nobody's own: only an admin files there (0 is no cell's id)
    cells.push(...(touched.length ? touched : [0]))
  }
  return cells
}

/** The cell a review acts on: the parent of the object's cell (the township above the grid member). */
export async function reviewScope(db: Kysely<DB>, id: number): Promise<number[]> {
  const row = await repo.lockObject(db, id)
  if (!row) return []
  return [row.cell_id === null ? 0 : await repo.reviewCellOf(db, row.cell_id)]
}
