// Inspector flags: reporting (JSON or multipart/form-data, so a phone web form can post photos),
// the workflow, a supervisor's inbox, lists, the map layer, photos, exports and the monthly figures.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { FlagState, UserRole } from '../../db/schema.js'
import { flagScopeCells } from '../../db/repositories/flags.repository.js'
import { AppError, badRequest, unauthorized } from '../../errors.js'
import { supervisorCellIds } from '../../services/cells.service.js'
import { escalateOverdue } from '../../services/flags-escalation.service.js'
import { decodeBase64Photo, type PhotoUpload } from '../../services/flags-photos.js'
import {
  assessment,
  exportFlags,
  flagDetail,
  flagMap,
  flagPhoto,
  inbox,
  listFlags,
  type ListQuery,
} from '../../services/flags-query.service.js'
import { ACTION_ROLES, FLAG_STATES, type FlagAction } from '../../services/flags-workflow.js'
import {
  categories,
  createFlag,
  flagSettings,
  holidays,
  putCategory,
  putHoliday,
  removeHoliday,
  transition,
  type FlagUser,
} from '../../services/flags.service.js'
import { actorOf } from '../actor.js'
import { Code, errorResponses, FeatureCollection } from '../common.schemas.js'
import { parseBbox, parseDay, sendJsonText } from '../query.js'
import { FLAG_MAP_ACCESS } from './access.js'
import * as S from './schemas.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** photo files of a multipart/form-data flag report or feedback */
    flagUploads: PhotoUpload[] | null
  }
}

const READERS: UserRole[] = ['admin', 'viewer', 'inspector']
const OFFICERS: UserRole[] = ['admin', 'viewer']

function flagUser(request: FastifyRequest): FlagUser {
  const u = request.user
  if (!u) throw unauthorized()
  return { id: u.id, login: u.login, role: u.role, personId: u.personId }
}

/** Supervisor scope of a flag route: the cell the flag is dispatched to (unknown flag: none, so 404 follows). */
async function flagCellScope(request: FastifyRequest): Promise<number[]> {
  const { id } = request.params as { id: number }
  const flag = await flagScopeCells(request.server.ctx.db, id)
  if (!flag) return []
  // a flag nobody is accountable for is outside every supervisor's cells
  return [flag.accountable_cell_id ?? 0]
}

function parseStates(raw: string | undefined): FlagState[] | undefined {
  if (raw === undefined) return undefined
  const states = raw.split(',')
  const unknown = states.filter((s) => !FLAG_STATES.includes(s as FlagState))
  if (unknown.length)
    throw badRequest(
      'invalid_request',
      `querystring parameter "state": ${unknown.join(', ')} is not a state; use ${FLAG_STATES.join(', ')}`,
    )
  return states as FlagState[]
}

interface FilterQuery {
  state?: string
  category?: string
  township?: string
  overdue?: boolean
  bbox?: string
  from?: string
  to?: string
}
function listQuery(q: FilterQuery): ListQuery {
  parseDay('from', q.from)
  parseDay('to', q.to)
  return {
    state: parseStates(q.state),
    category: q.category,
    township: q.township,
    overdue: q.overdue,
    bbox: parseBbox(q.bbox),
    from: q.from,
    to: q.to,
  }
}

type JsonPhoto = { data: string; contentType?: string; filename?: string }
function uploadsOf(request: FastifyRequest, jsonPhotos: JsonPhoto[] | undefined): PhotoUpload[] {
  if (request.flagUploads) return request.flagUploads
  return (jsonPhotos ?? []).map((p, i) => {
    const decoded = decodeBase64Photo(p.data, i, p.filename)
    return { data: decoded.data, declaredType: p.contentType ?? decoded.declaredType, filename: p.filename ?? null }
  })
}

const flags: FastifyPluginAsyncTypebox = async (app) => {
  const settings = flagSettings(app.ctx.config)
  const ctx = app.ctx
  // JSON bodies may carry the photos as base64 (a third larger than the files)
  const photoBodyLimit = Math.ceil((settings.photoMaxBytes * Math.max(1, settings.photoMaxCount) * 4) / 3) + 1_048_576

  // multipart only for the routes of this plugin (encapsulated)
  await app.register(multipart, {
    limits: {
      fileSize: settings.photoMaxBytes,
      files: settings.photoMaxCount,
      fields: 20,
      fieldSize: 1_048_576,
      parts: settings.photoMaxCount + 20,
    },
  })
  app.decorateRequest('flagUploads', null)

  /** multipart/form-data → the same body as JSON (fields), files → request.flagUploads; before validation. */
  async function multipartBody(request: FastifyRequest) {
    if (!request.isMultipart()) return
    // do not read uploads for anonymous callers (the route policy would refuse them anyway)
    if (!request.user) throw unauthorized()
    const fields: Record<string, unknown> = {}
    const uploads: PhotoUpload[] = []
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'photos')
            throw badRequest(
              'invalid_request',
              `multipart file field "${part.fieldname}" is not expected; send photos in "photos"`,
            )
          const label = `photo ${uploads.length + 1}${part.filename ? ` (${part.filename})` : ''}`
          try {
            uploads.push({ data: await part.toBuffer(), declaredType: part.mimetype, filename: part.filename || null })
          } catch (error) {
            if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
              throw new AppError(413, 'photo_too_large', `${label} is larger than ${settings.photoMaxBytes} bytes`, {
                index: uploads.length,
                maxBytes: settings.photoMaxBytes,
              })
            }
            throw error
          }
        } else {
          fields[part.fieldname] = part.value
        }
      }
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'FST_FILES_LIMIT')
        throw badRequest(
          'too_many_photos',
          `more than ${settings.photoMaxCount} photos sent; at most ${settings.photoMaxCount} are allowed`,
          { maxCount: settings.photoMaxCount },
        )
      if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
        throw badRequest('invalid_request', 'the form has too many fields')
      throw error
    }
    if (typeof fields.geometry === 'string') {
      try {
        fields.geometry = JSON.parse(fields.geometry) as unknown
      } catch {
        throw badRequest('invalid_geometry', 'form field "geometry" is not GeoJSON text')
      }
    }
    request.body = fields
    request.flagUploads = uploads
  }

  // ------------------------------------------------------------ categories and the working calendar

  app.get(
    '/flags/categories',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['flags'],
        summary: 'Flag categories with their acknowledgement and completion limits',
        response: { 200: Type.Array(S.Category), ...errorResponses },
      },
    },
    async () => categories(ctx.db),
  )

  app.put(
    '/flags/categories/:code',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['flags'],
        summary: 'Add or change a flag category; new limits apply to flags dispatched from now on',
        params: Type.Object({ code: Code('category code') }),
        body: S.CategoryBody,
        response: { 200: S.Category, ...errorResponses },
      },
    },
    async (request) => putCategory(ctx.db, actorOf(request), request.params.code, request.body),
  )

  app.get(
    '/flags/holidays',
    {
      config: { access: { read: true } },
      schema: {
        tags: ['flags'],
        summary: 'Exceptions to the working week: holidays and make-up working days',
        response: { 200: Type.Array(S.Holiday), ...errorResponses },
      },
    },
    async () => holidays(ctx.db),
  )

  app.put(
    '/flags/holidays/:day',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['flags'],
        summary:
          'Mark a day as a holiday (or, with working: true, a make-up working day); applies to flags dispatched from now on',
        params: S.HolidayParams,
        body: S.HolidayBody,
        response: { 200: S.Holiday, ...errorResponses },
      },
    },
    async (request) => {
      parseDay('day', request.params.day, 'path')
      return putHoliday(ctx.db, actorOf(request), request.params.day, request.body)
    },
  )

  app.delete(
    '/flags/holidays/:day',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['flags'],
        summary: 'Remove a holiday or make-up working day',
        params: S.HolidayParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await removeHoliday(ctx.db, actorOf(request), request.params.day)
      return reply.status(204).send(null)
    },
  )

  // ------------------------------------------------------------ reporting

  app.post(
    '/flags',
    {
      config: { access: { roles: ['inspector', 'admin'] } },
      bodyLimit: photoBodyLimit,
      preValidation: multipartBody,
      schema: {
        tags: ['flags'],
        summary:
          'Report a flag at a point or over an area, with optional photos. Refused with 409 possible_duplicate when an open flag of the ' +
          'category is near and recent, unless confirmNotDuplicate; with sameAs the report is added to that flag instead (200).',
        consumes: ['application/json', 'multipart/form-data'],
        body: S.CreateFlagBody,
        response: {
          201: S.FlagDetail,
          200: S.SameAsResult,
          413: errorResponses[400],
          415: errorResponses[400],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = request.body
      const now = ctx.now()
      const result = await createFlag(ctx.db, settings, now, flagUser(request), {
        ...body,
        photos: uploadsOf(request, body.photos),
      })
      const flag = await flagDetail(ctx.db, result.id, now, request.canSeeContacts)
      if (result.kind === 'same_as')
        return reply.status(200).send({ sameAs: true as const, eventId: result.eventId, flag })
      return reply.status(201).send(flag)
    },
  )

  // ------------------------------------------------------------ reading

  app.get(
    '/flags',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['flags'],
        summary:
          "Flags with filters, newest first. County officers see all; inspectors too (they verify others' flags), mine=true for their own",
        querystring: S.FlagListQuery,
        response: { 200: S.FlagList, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query
      return listFlags(
        ctx.db,
        { ...listQuery(q), reportedBy: q.mine ? request.user!.id : undefined, limit: q.limit, offset: q.offset },
        ctx.now(),
        settings.timeZone,
      )
    },
  )

  app.get(
    '/flags/inbox',
    {
      config: { access: { roles: ['supervisor'] } },
      schema: {
        tags: ['flags'],
        summary:
          "A supervisor's flags: dispatched or escalated to their cells and the cells below (open ones unless state is given), with counts by state",
        querystring: S.InboxQuery,
        response: { 200: S.Inbox, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query
      const cells = [...(await supervisorCellIds(ctx.db, request.user!.personId!, ctx.today()))]
      return inbox(
        ctx.db,
        cells,
        { state: parseStates(q.state), category: q.category, overdue: q.overdue, limit: q.limit, offset: q.offset },
        ctx.now(),
        settings.timeZone,
      )
    },
  )

  app.get(
    '/flags.geojson',
    {
      config: { access: FLAG_MAP_ACCESS },
      schema: {
        tags: ['flags'],
        summary:
          'Map layer: flags as a GeoJSON FeatureCollection with state and its colour (supervisors: their cells only)',
        querystring: S.MapQuery,
        response: { 200: FeatureCollection, ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query
      const cellIds =
        request.user!.role === 'supervisor'
          ? [...(await supervisorCellIds(ctx.db, request.user!.personId!, ctx.today()))]
          : undefined
      const { geojson, total } = await flagMap(
        ctx.db,
        { ...listQuery(q), cellIds, limit: q.limit },
        ctx.now(),
        settings.timeZone,
      )
      return sendJsonText(reply, geojson, { 'x-total-count': String(total) })
    },
  )

  app.get(
    '/flags/export',
    {
      config: { access: { roles: OFFICERS } },
      schema: {
        tags: ['flags'],
        summary: 'The filtered list as CSV (UTF-8 with BOM) or GeoJSON, as a download',
        querystring: S.ExportQuery,
        produces: ['text/csv', 'application/geo+json'],
        response: { 200: Type.String({ description: 'CSV text or a GeoJSON FeatureCollection' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query
      const out = await exportFlags(
        ctx.db,
        q.format,
        { ...listQuery(q), reportedBy: q.mine ? request.user!.id : undefined },
        ctx.now(),
        settings.timeZone,
      )
      return reply
        .type(out.contentType)
        .header('content-disposition', `attachment; filename="${out.filename}"`)
        .send(out.body)
    },
  )

  app.get(
    '/flags/assessment',
    {
      config: { access: { roles: OFFICERS } },
      schema: {
        tags: ['flags'],
        summary:
          'Monthly figures per cell, township or person: received, registered, due, closure and on-time closure rates, mean time to close, reopen rate; township ranking',
        querystring: S.AssessmentQuery,
        response: { 200: S.Assessment, ...errorResponses },
      },
    },
    async (request) =>
      assessment(ctx.db, request.query.month, request.query.by ?? 'cell', ctx.now(), settings.timeZone),
  )

  app.post(
    '/flags/escalate',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['flags'],
        summary: 'Escalate overdue flags now (the server also does it periodically)',
        response: { 200: S.EscalationReport, ...errorResponses },
      },
    },
    async (request) => escalateOverdue(ctx.db, settings, ctx.now(), actorOf(request)),
  )

  app.get(
    '/flags/:id',
    {
      config: { access: { roles: [...READERS, 'supervisor'], supervisorScope: flagCellScope } },
      schema: {
        tags: ['flags'],
        summary: 'A flag with its timeline, photos and the people it was dispatched (and escalated) to',
        params: S.FlagIdParams,
        response: { 200: S.FlagDetail, ...errorResponses },
      },
    },
    async (request) => flagDetail(ctx.db, request.params.id, ctx.now(), request.canSeeContacts),
  )

  app.get(
    '/flags/:id/photos/:photoId',
    {
      config: { access: { roles: [...READERS, 'supervisor'], supervisorScope: flagCellScope } },
      schema: {
        tags: ['flags'],
        summary: "A flag's photo, served with its content type",
        params: S.PhotoParams,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const photo = await flagPhoto(ctx.db, request.params.id, request.params.photoId)
      return reply
        .type(photo.contentType)
        .header('cache-control', 'private, max-age=86400')
        .header('content-disposition', 'inline')
        .send(photo.data)
    },
  )

  // ------------------------------------------------------------ workflow

  const act = async (
    request: FastifyRequest,
    action: Exclude<FlagAction, 'dispatch'>,
    input: { version: number; comment?: string | null; photos?: PhotoUpload[] },
  ) => {
    const now = ctx.now()
    await transition(ctx.db, settings, now, flagUser(request), (request.params as { id: number }).id, action, input)
    return flagDetail(ctx.db, (request.params as { id: number }).id, now, request.canSeeContacts)
  }
  const transitionRoute = { params: S.FlagIdParams, response: { 200: S.FlagDetail, ...errorResponses } }
  const scoped = (action: FlagAction) => ({ access: { roles: ACTION_ROLES[action], supervisorScope: flagCellScope } })
  const plain = (action: FlagAction) => ({ access: { roles: ACTION_ROLES[action] } })

  app.post(
    '/flags/:id/register',
    {
      config: plain('register'),
      schema: {
        tags: ['flags'],
        summary: 'Register a reported flag (county officer); it is routed and dispatched at once',
        body: S.TransitionBody,
        ...transitionRoute,
      },
    },
    async (request) => act(request, 'register', request.body),
  )
  app.post(
    '/flags/:id/reject',
    {
      config: plain('reject'),
      schema: {
        tags: ['flags'],
        summary: 'Reject a reported flag, with a reason (county officer)',
        body: S.RejectBody,
        ...transitionRoute,
      },
    },
    async (request) => act(request, 'reject', { version: request.body.version, comment: request.body.reason }),
  )
  app.post(
    '/flags/:id/acknowledge',
    {
      config: scoped('acknowledge'),
      schema: {
        tags: ['flags'],
        summary: 'Acknowledge a dispatched flag: work starts (a supervisor of its cell, or an admin)',
        body: S.TransitionBody,
        ...transitionRoute,
      },
    },
    async (request) => act(request, 'acknowledge', request.body),
  )
  app.post(
    '/flags/:id/feedback',
    {
      config: scoped('feedback'),
      bodyLimit: photoBodyLimit,
      preValidation: multipartBody,
      schema: {
        tags: ['flags'],
        summary: "The handler's feedback: a note and optional photos (JSON or multipart/form-data)",
        consumes: ['application/json', 'multipart/form-data'],
        body: S.FeedbackBody,
        params: S.FlagIdParams,
        response: { 200: S.FlagDetail, 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
      },
    },
    async (request) =>
      act(request, 'feedback', {
        version: request.body.version,
        comment: request.body.note,
        photos: uploadsOf(request, request.body.photos),
      }),
  )
  app.post(
    '/flags/:id/verify',
    {
      config: plain('verify'),
      schema: {
        tags: ['flags'],
        summary: 'Verify the feedback and close the flag (an inspector or officer other than the handler)',
        body: S.TransitionBody,
        ...transitionRoute,
      },
    },
    async (request) => act(request, 'verify', request.body),
  )
  app.post(
    '/flags/:id/return',
    {
      config: plain('return'),
      schema: {
        tags: ['flags'],
        summary: 'Return the feedback as not done, with a comment',
        body: S.CommentRequiredBody,
        ...transitionRoute,
      },
    },
    async (request) => act(request, 'return', request.body),
  )
  app.post(
    '/flags/:id/reopen',
    {
      config: plain('reopen'),
      schema: {
        tags: ['flags'],
        summary: 'Reopen a closed flag, with a comment',
        body: S.CommentRequiredBody,
        ...transitionRoute,
      },
    },
    async (request) => act(request, 'reopen', request.body),
  )
}
export default flags
