// Inspector flags: reporting (with duplicate protection and photos), routing to the accountable cell by
// the same rule as "who is accountable here" (accountability.service), and the workflow transitions.
// Every change runs in one transaction and is written to the flag's timeline and the audit log.
import type { Kysely, Transaction } from 'kysely'
import type { Config } from '../config.js'
import type { DB, FlagState, LimitUnit, UserRole } from '../db/schema.js'
import * as repo from '../db/repositories/flags.repository.js'
import { insertPhotos } from '../db/repositories/flag-photos.repository.js'
import { insertAudit, type Actor } from '../db/repositories/audit.repository.js'
import { badRequest, conflict, notFound } from '../errors.js'
import { accountabilityAtPoint } from './accountability.service.js'
import { assertValidPolygonal } from './allowed-gaps.service.js'
import { dropElevation } from './geojson-checks.js'
import { checkPhotos, type CheckedPhoto, type PhotoUpload } from './flags-photos.js'
import { assertReportAllowed } from './flags-report-limit.js'
import { checkTransition, OPEN_STATES, type FlagAction } from './flags-workflow.js'
import { isoDay } from './dates.js'
import { addLimit, type WorkingCalendar, type WorkingPeriod } from './working-time.js'

export interface FlagSettings {
  timeZone: string
  workingHours: WorkingPeriod[]
  workingDays: number[]
  duplicateDistanceM: number
  duplicateWindowHours: number
  photoMaxBytes: number
  photoMaxCount: number
  /** most reports (new flags and "same as" reports) per user in any hour */
  reportsPerHour: number
  /** gaps up to this area count as covered: a flag in one goes where GET /api/accountability says */
  sliverToleranceM2: number
}

export function flagSettings(config: Config): FlagSettings {
  return {
    timeZone: config.serviceTimeZone,
    workingHours: config.workingHours,
    workingDays: config.workingDays,
    duplicateDistanceM: config.flagDuplicateDistanceM,
    duplicateWindowHours: config.flagDuplicateWindowHours,
    photoMaxBytes: config.flagPhotoMaxBytes,
    photoMaxCount: config.flagPhotoMaxCount,
    reportsPerHour: config.flagReportsPerHour,
    sliverToleranceM2: config.sliverToleranceM2,
  }
}

/** The acting user as the workflow needs it. */
export interface FlagUser {
  id: number
  login: string
  role: UserRole
  personId: number | null
}

type Executor = Kysely<DB> | Transaction<DB>
const actorOf = (u: FlagUser): Actor => ({ id: u.id, login: u.login })

export async function loadCalendar(db: Executor, s: FlagSettings): Promise<WorkingCalendar> {
  const holidays = await repo.listHolidays(db)
  return {
    timeZone: s.timeZone,
    periods: s.workingHours,
    weekdays: new Set(s.workingDays),
    exceptions: new Map(holidays.map((h) => [h.day, h.working])),
  }
}

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
  const category = await repo.findCategory(db, code)
  if (!category || !category.active) {
    const known = (await repo.listCategories(db)).filter((c) => c.active).map((c) => c.code)
    throw badRequest(
      'unknown_category',
      `body parameter "category": "${code}" is not a flag category; use one of ${known.join(', ')}`,
      { known },
    )
  }
  return category
}

function photoRows(photos: CheckedPhoto[], flagId: number, eventId: number, user: FlagUser, at: Date) {
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
            candidates: candidates.map((c) => ({
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

// ---------------------------------------------------------------- workflow

export interface TransitionInput {
  version: number
  comment?: string | null
  photos?: PhotoUpload[]
}

function deadlines(dispatchedAt: Date, c: repo.CategoryRow, cal: WorkingCalendar) {
  return {
    ack_due_at: addLimit(dispatchedAt, { amount: c.ack_limit, unit: c.ack_unit as LimitUnit }, cal),
    complete_due_at: addLimit(dispatchedAt, { amount: c.complete_limit, unit: c.complete_unit as LimitUnit }, cal),
  }
}

/**
 * Takes a workflow action on a flag. Checks, in order: the flag exists (404), the caller's version is
 * current (409 stale_version with the current state), the transition is legal (409
 * illegal_transition), the role, the comment, four-eyes. Registration also routes and dispatches.
 */
export async function transition(
  db: Kysely<DB>,
  s: FlagSettings,
  now: Date,
  user: FlagUser,
  id: number,
  action: Exclude<FlagAction, 'dispatch'>,
  input: TransitionInput,
): Promise<void> {
  const photos = checkPhotos(input.photos ?? [], { maxBytes: s.photoMaxBytes, maxCount: s.photoMaxCount })
  if (photos.length > 0 && action !== 'feedback')
    throw badRequest('photos_not_allowed', `photos can be sent with feedback, not with ${action}`)
  const comment = input.comment?.trim() || null
  await db.transaction().execute(async (tx) => {
    const flag = await repo.lockFlag(tx, id)
    if (!flag) throw notFound('flag', id)
    if (flag.version !== input.version) {
      throw conflict(
        'stale_version',
        `flag ${id} has changed since version ${input.version}: it is now version ${flag.version}, state "${flag.state}"; reload it and try again`,
        {
          version: flag.version,
          state: flag.state,
        },
      )
    }
    const to = checkTransition({
      state: flag.state,
      action,
      role: user.role,
      userId: user.id,
      comment,
      feedbackBy: flag.feedback_by,
    })
    const actor = actorOf(user)
    const event = (a: string, from: FlagState, toState: FlagState, details?: unknown) =>
      repo.insertEvent(tx, { flagId: id, at: now, actor, action: a, fromState: from, toState, comment, details })
    const audit = (a: string, before: unknown, after: unknown) =>
      insertAudit(tx, { actor, action: a, entityType: 'flag', entityId: id, reason: comment, before, after })

    let patch: repo.FlagPatch = { state: to }
    if (action === 'register') {
      patch = { ...patch, registered_at: now }
    } else if (action === 'reject') {
      patch = { ...patch, rejected_at: now }
    } else if (action === 'acknowledge') {
      patch = { ...patch, acknowledged_at: now }
    } else if (action === 'feedback') {
      patch = { ...patch, feedback_at: now, feedback_by: user.id }
    } else if (action === 'verify') {
      patch = { ...patch, closed_at: now, completed_at: flag.feedback_at }
    } else if (action === 'reopen') {
      patch = { ...patch, closed_at: null, completed_at: null }
    }
    if (!(await repo.updateFlag(tx, id, flag.version, now, patch)))
      throw conflict('stale_version', `flag ${id} changed while this request ran; reload it`)
    const eventId = await event(action, flag.state, to)
    await insertPhotos(tx, photoRows(photos, id, eventId, user, now))
    await audit(
      action,
      { state: flag.state, version: flag.version },
      { state: to, version: flag.version + 1, photos: photos.length || undefined },
    )

    if (action === 'register') await dispatch(tx, s, now, user, id, flag)
  })
}

/** registered → dispatched: route the flag as of today, fix its deadlines, record who it went to. */
async function dispatch(
  tx: Transaction<DB>,
  s: FlagSettings,
  now: Date,
  user: FlagUser,
  id: number,
  flag: repo.LockedFlag,
) {
  const to = checkTransition({
    state: 'registered',
    action: 'dispatch',
    role: 'system',
    userId: null,
    feedbackBy: null,
  })
  const { people, ...routing } = await routeAt(tx, flag.lon, flag.lat, isoDay(now, s.timeZone), s.sliverToleranceM2)
  if (routing.accountable_cell_id === null) {
    throw conflict(
      'no_accountable_cell',
      "nobody is accountable for this flag's location (no grid cell covers it, or every cell above it is vacant); fix the grid or its staffing, or reject the flag",
      { routing },
    )
  }
  const category = (await repo.findCategory(tx, flag.category))!
  const due = deadlines(now, category, await loadCalendar(tx, s))
  // the same request both registers and dispatches: the version goes up once more for the second step
  await repo.updateFlag(tx, id, flag.version + 1, now, { ...routing, state: to, dispatched_at: now, ...due })
  const details = {
    automatic: true,
    routing,
    people,
    ackDueAt: due.ack_due_at.toISOString(),
    completeDueAt: due.complete_due_at.toISOString(),
  }
  await repo.insertEvent(tx, {
    flagId: id,
    at: now,
    actor: actorOf(user),
    action: 'dispatch',
    fromState: 'registered',
    toState: to,
    details,
  })
  await repo.insertAssignees(
    tx,
    people.map((p) => ({
      flagId: id,
      personId: p.personId,
      cellId: routing.accountable_cell_id!,
      role: p.role,
      reason: 'dispatch' as const,
      at: now,
    })),
  )
  await insertAudit(tx, {
    actor: actorOf(user),
    action: 'dispatch',
    entityType: 'flag',
    entityId: id,
    before: { state: 'registered' },
    after: { state: to, ...details },
  })
}

// ---------------------------------------------------------------- categories and holidays

export function categoryToApi(c: repo.CategoryRow) {
  return {
    code: c.code,
    name: { zh: c.name_zh, en: c.name_en },
    ackLimit: { amount: c.ack_limit, unit: c.ack_unit },
    completeLimit: { amount: c.complete_limit, unit: c.complete_unit },
    sortOrder: c.sort_order,
    active: c.active,
  }
}

export async function categories(db: Kysely<DB>) {
  return (await repo.listCategories(db)).map(categoryToApi)
}

export interface CategoryInput {
  nameZh: string
  nameEn: string
  ackLimit: { amount: number; unit: LimitUnit }
  completeLimit: { amount: number; unit: LimitUnit }
  sortOrder?: number
  active?: boolean
}

/** Adds or changes a category; new limits apply to flags dispatched from now on. */
export async function putCategory(db: Kysely<DB>, actor: Actor, code: string, input: CategoryInput) {
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(code))
    throw badRequest(
      'invalid_category_code',
      'a category code is lower-case letters, digits and "_", starting with a letter',
    )
  return db.transaction().execute(async (tx) => {
    const before = await repo.findCategory(tx, code)
    const row = await repo.upsertCategory(tx, {
      code,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      ack_limit: input.ackLimit.amount,
      ack_unit: input.ackLimit.unit,
      complete_limit: input.completeLimit.amount,
      complete_unit: input.completeLimit.unit,
      sort_order: input.sortOrder ?? before?.sort_order,
      active: input.active ?? true,
    })
    await insertAudit(tx, {
      actor,
      action: before ? 'update' : 'create',
      entityType: 'flag_category',
      entityId: code,
      before: before ?? undefined,
      after: row,
    })
    return categoryToApi(row)
  })
}

export async function holidays(db: Kysely<DB>) {
  return repo.listHolidays(db)
}

export async function putHoliday(
  db: Kysely<DB>,
  actor: Actor,
  day: string,
  input: { name?: string; working?: boolean },
) {
  const value = { day, name: input.name ?? '', working: input.working ?? false }
  await db.transaction().execute(async (tx) => {
    await repo.upsertHoliday(tx, value)
    await insertAudit(tx, { actor, action: 'put', entityType: 'holiday', entityId: day, after: value })
  })
  return value
}

export async function removeHoliday(db: Kysely<DB>, actor: Actor, day: string) {
  await db.transaction().execute(async (tx) => {
    const before = await repo.deleteHoliday(tx, day)
    if (!before) throw notFound('holiday', day)
    await insertAudit(tx, { actor, action: 'delete', entityType: 'holiday', entityId: day, before })
  })
}
