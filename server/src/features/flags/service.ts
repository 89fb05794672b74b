// Inspector flags: reporting (with duplicate protection and photos) and routing to the accountable cell
// by the same rule as "who is accountable here" (accountability.service). Every report runs in one
// transaction and is written to the flag's timeline and the audit log.
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { DuplicateCandidate } from '../../contract/flags.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import { accountabilityAtPoint } from '../../services/accountability.service.js'
import { assertValidPolygonal } from '../../services/allowed-gaps.service.js'
import { dropElevation } from '../../services/geojson-checks.js'
import { isoDay } from '../../services/dates.js'
import * as repo from './repository.js'
import { findCategory, listCategories } from './repository-categories.js'
import { insertPhotos } from './repository-photos.js'
import { checkPhotos, type CheckedPhoto, type PhotoUpload } from './photos.js'
import { assertReportAllowed } from './report-limit.js'
import type { FlagSettings, FlagUser } from './settings.js'
import { OPEN_STATES } from './workflow.js'

type Executor = Kysely<DB> | Transaction<DB>
export const actorOf = (u: FlagUser): Actor => ({ id: u.id, login: u.login })

// ---------------------------------------------------------------- routing

export interface Routing extends repo.RoutingColumns {
  people: { personId: number; role: string }[]
}

/**
 * Where a flag at (lon, lat) goes on `day`: accountability.service's answer for the point. `day` is the
 * app's "today" (isoDay, as GET /api/accountability and the supervisor scope use), so a flag goes to
 * exactly whom the accountability query names at that moment. The finest
 * covering cell is where it lies; the effective cell (after the fallback rule for gaps and vacant
 * cells) is where it is dispatched, to the people responsible for that cell on that day.
 */
export async function routeAt(
  db: Kysely<DB>,
  lon: number,
  lat: number,
  day: string,
  sliverM2: number,
): Promise<Routing> {
  const a = await accountabilityAtPoint(db, lon, lat, day, false, day, sliverM2)
  const located = a.chain[0]?.cell ?? null
  const accountable = a.effective?.cellCode ? a.chain.find((l) => l.cell.code === a.effective!.cellCode) : undefined
  const rule = accountable && a.effective ? (a.effective.rule as repo.RoutingColumns['routing_rule']) : 'nobody'
  return {
    cell_id: located?.id ?? null,
    accountable_cell_id: accountable?.cell.id ?? null,
    township_cell_id: a.chain.find((l) => l.level === 2)?.cell.id ?? null,
    missing_level: a.missingLevel,
    gap_parent_cell_id: a.missingLevel !== null && located ? located.id : null,
    routing_rule: rule,
    routed_on: day,
    unowned: rule !== 'direct',
    people: (accountable?.people ?? []).map((p) => ({ personId: p.personId, role: p.role })),
  }
}

// ---------------------------------------------------------------- reporting

export interface CreateFlagInput {
  category: string
  description?: string
  geometry?: unknown
  lon?: number
  lat?: number
  photos: PhotoUpload[]
  confirmNotDuplicate?: boolean
  sameAs?: number
  /** Runs in the report's transaction once the new flag exists (a patrol links its problem so). */
  onCreated?: (tx: Kysely<DB>, flagId: number) => Promise<void>
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** The flag's location as GeoJSON text: a Point or a valid Polygon, each problem named. */
async function checkedLocation(db: Kysely<DB>, input: CreateFlagInput): Promise<string> {
  const hasLonLat = input.lon !== undefined || input.lat !== undefined
  if (input.geometry !== undefined && hasLonLat) {
    throw badRequest('invalid_geometry', 'give either body parameter "geometry" or "lon" and "lat", not both')
  }
  if (hasLonLat) {
    if (!isNum(input.lon) || !isNum(input.lat))
      throw badRequest('invalid_geometry', 'body parameters "lon" and "lat" must both be given')
    return JSON.stringify({ type: 'Point', coordinates: [input.lon, input.lat] })
  }
  if (input.geometry === undefined)
    throw badRequest(
      'location_required',
      'body parameter "geometry" (a GeoJSON Point or Polygon) or "lon" and "lat" is required',
    )
  const g = input.geometry as { type?: unknown; coordinates?: unknown }
  if (g === null || typeof g !== 'object')
    throw badRequest('invalid_geometry', 'body parameter "geometry" must be a GeoJSON object')
  if (g.type === 'Point') {
    const c = g.coordinates
    if (!Array.isArray(c) || c.length < 2 || c.length > 3 || !c.every(isNum)) {
      throw badRequest('invalid_geometry', 'body parameter "geometry": point coordinates must be [lon, lat] numbers')
    }
    const [lon, lat] = c as number[]
    if (lon! < -180 || lon! > 180 || lat! < -90 || lat! > 90) {
      throw badRequest(
        'invalid_geometry',
        `body parameter "geometry": point is out of range (lon ${lon}, lat ${lat}); coordinates must be WGS84 degrees`,
        {
          location: [lon, lat],
        },
      )
    }
    return JSON.stringify({ type: 'Point', coordinates: [lon, lat] })
  }
  if (g.type === 'Polygon') {
    await assertValidPolygonal(db, g, 'geometry')
    // like a point's, a polygon's elevations are dropped (the location column is 2D: a third number was a 500)
    return JSON.stringify({ type: 'Polygon', coordinates: dropElevation(g).coordinates })
  }
  throw badRequest(
    'invalid_geometry',
    `body parameter "geometry": type ${JSON.stringify(g.type ?? null)} is not Point or Polygon`,
  )
}

async function activeCategory(db: Executor, code: string) {
  const category = await findCategory(db, code)
  if (!category || !category.active) {
    const known = (await listCategories(db)).filter((c) => c.active).map((c) => c.code)
    throw badRequest(
      'unknown_category',
      `body parameter "category": "${code}" is not a flag category; use one of ${known.join(', ')}`,
      { known },
    )
  }
  return category
}

export function photoRows(photos: CheckedPhoto[], flagId: number, eventId: number, user: FlagUser, at: Date) {
  return photos.map((p) => ({
    flagId,
    eventId,
    contentType: p.contentType,
    sizeBytes: p.sizeBytes,
    sha256: p.sha256,
    filename: p.filename,
    data: p.data,
    uploadedBy: user.id,
    at,
  }))
}

export type CreateFlagResult = { kind: 'created'; id: number } | { kind: 'same_as'; id: number; eventId: number }

export async function createFlag(
  db: Kysely<DB>,
  s: FlagSettings,
  now: Date,
  user: FlagUser,
  input: CreateFlagInput,
): Promise<CreateFlagResult> {
  // every check before anything is written
  const category = await activeCategory(db, input.category)
  const geojson = await checkedLocation(db, input)
  const photos = checkPhotos(input.photos, { maxBytes: s.photoMaxBytes, maxCount: s.photoMaxCount })
  const anchor = await repo.anchorOf(db, geojson)
  if (!anchor.in_region) {
    throw badRequest(
      'outside_jurisdiction',
      `the flag's location (lon ${anchor.lon}, lat ${anchor.lat}) is outside every region`,
      {
        location: [anchor.lon, anchor.lat],
      },
    )
  }
  const description = (input.description ?? '').trim()

  return db.transaction().execute(async (tx) => {
    await assertReportAllowed(tx, user.id, s.reportsPerHour, now)
    if (input.sameAs !== undefined) {
      const target = await repo.lockFlag(tx, input.sameAs)
      if (!target) throw notFound('flag', input.sameAs)
      if (!OPEN_STATES.includes(target.state)) {
        throw conflict(
          'not_open',
          `flag ${target.id} is ${target.state}; report a new flag instead (or ask an inspector to reopen it)`,
          {
            id: target.id,
            state: target.state,
          },
        )
      }
      const eventId = await repo.insertEvent(tx, {
        flagId: target.id,
        at: now,
        actor: actorOf(user),
        action: 'same_as_report',
        fromState: target.state,
        toState: target.state,
        comment: description || null,
        details: { category: category.code, geometry: JSON.parse(geojson) as unknown, point: [anchor.lon, anchor.lat] },
      })
      await insertPhotos(tx, photoRows(photos, target.id, eventId, user, now))
      await insertAudit(tx, {
        actor: actorOf(user),
        action: 'same_as_report',
        entityType: 'flag',
        entityId: target.id,
        after: { eventId, category: category.code, point: [anchor.lon, anchor.lat], photos: photos.length },
      })
      return { kind: 'same_as' as const, id: target.id, eventId }
    }

    if (!input.confirmNotDuplicate) {
      const candidates = await repo.findDuplicates(tx, {
        geojson,
        category: category.code,
        openStates: OPEN_STATES,
        since: new Date(now.getTime() - s.duplicateWindowHours * 3_600_000),
        until: now,
        distanceM: s.duplicateDistanceM,
      })
      if (candidates.length > 0) {
        throw conflict(
          'possible_duplicate',
          `${candidates.length} open ${category.code} flag(s) were reported within ${s.duplicateDistanceM} m in the last ${s.duplicateWindowHours} h; ` +
            'send again with "confirmNotDuplicate": true, or with "sameAs": <id> to add this report to one of them',
          {
            candidates: candidates.map((c): DuplicateCandidate => ({
              id: c.id,
              category: c.category,
              state: c.state,
              description: c.description,
              createdAt: c.created_at.toISOString(),
              point: [c.lon, c.lat],
              distanceM: Math.round(c.distance_m * 10) / 10,
            })),
          },
        )
      }
    }

    const { people: _people, ...routing } = await routeAt(
      tx,
      anchor.lon,
      anchor.lat,
      isoDay(now, s.timeZone),
      s.sliverToleranceM2,
    )
    const id = await repo.insertFlag(tx, {
      category: category.code,
      description,
      geojson,
      reportedBy: user.id,
      at: now,
      routing,
    })
    const eventId = await repo.insertEvent(tx, {
      flagId: id,
      at: now,
      actor: actorOf(user),
      action: 'report',
      fromState: null,
      toState: 'reported',
      comment: description || null,
      details: { confirmedNotDuplicate: input.confirmNotDuplicate === true, routing },
    })
    await insertPhotos(tx, photoRows(photos, id, eventId, user, now))
    await input.onCreated?.(tx, id)
    await insertAudit(tx, {
      actor: actorOf(user),
      action: 'create',
      entityType: 'flag',
      entityId: id,
      after: {
        category: category.code,
        description,
        geometry: JSON.parse(geojson) as unknown,
        routing,
        photos: photos.length,
      },
    })
    return { kind: 'created' as const, id }
  })
}
