// The flags routes (/api/flags…): each route's request and response schemas, keyed 'METHOD /path' as
// served. Reporting and feedback take JSON or multipart/form-data (photos as files); a photo and an
// export are not JSON and are given by media type, as the tile is (contract/tiles.ts).
import { Type } from '@sinclair/typebox'
import { Code, errorResponses, IdempotencyHeaders, type MediaResponse, type RouteContract } from './common.js'
import { Assessment, AssessmentQuery } from './flags-assessment.js'
import {
  Category,
  CategoryBody,
  CommentRequiredBody,
  CreateFlagBody,
  EscalationReport,
  ExportQuery,
  FeedbackBody,
  FlagDetail,
  FlagFeatureCollection,
  FlagIdParams,
  FlagList,
  FlagListQuery,
  Holiday,
  HolidayBody,
  HolidayParams,
  Inbox,
  InboxQuery,
  MapQuery,
  PhotoParams,
  RejectBody,
  SameAsResult,
  TransitionBody,
} from './flags.js'

/** JSON, or a form with photo files (the route parses the form into the body before validation). */
const JSON_OR_FORM = ['application/json', 'multipart/form-data']

/** Refusals of an upload: the body or a photo too large (413), a media type not taken (415). */
const uploadErrors = { 413: errorResponses[400], 415: errorResponses[400] }

const Binary = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' })

/** A flag's photo, sent with the content type it was stored with. */
export const FlagPhotoBody: MediaResponse = {
  description: 'Default Response',
  content: { 'image/jpeg': { schema: Binary }, 'image/png': { schema: Binary }, 'image/webp': { schema: Binary } },
}

// CSV is streamed, GeoJSON is text; fastify serialises neither
const ExportText = Type.Unsafe<string>({ type: 'string', description: 'CSV text or a GeoJSON FeatureCollection' })

/** GET /api/flags/export: the filtered list as a download. */
export const FlagExportBody: MediaResponse = {
  description: 'CSV text or a GeoJSON FeatureCollection',
  content: { 'text/csv': { schema: ExportText }, 'application/geo+json': { schema: ExportText } },
}

/** The workflow actions that take a plain body: params, body, the flag as it now is. */
const transition = <B extends typeof TransitionBody | typeof RejectBody | typeof CommentRequiredBody>(body: B) => ({
  params: FlagIdParams,
  body,
  response: { 200: FlagDetail, ...errorResponses },
})

export const flagsRoutes = {
  // categories and the working calendar
  'GET /api/flags/categories': { response: { 200: Type.Array(Category), ...errorResponses } },
  'PUT /api/flags/categories/:code': {
    params: Type.Object({ code: Code('category code') }),
    body: CategoryBody,
    response: { 200: Category, ...errorResponses },
  },
  'GET /api/flags/holidays': { response: { 200: Type.Array(Holiday), ...errorResponses } },
  'PUT /api/flags/holidays/:day': {
    params: HolidayParams,
    body: HolidayBody,
    response: { 200: Holiday, ...errorResponses },
  },
  'DELETE /api/flags/holidays/:day': {
    params: HolidayParams,
    response: { 204: Type.Null(), ...errorResponses },
  },
  // reporting
  'POST /api/flags': {
    consumes: JSON_OR_FORM,
    headers: IdempotencyHeaders,
    body: CreateFlagBody,
    response: { 201: FlagDetail, 200: SameAsResult, ...uploadErrors, ...errorResponses },
  },
  // reading
  'GET /api/flags': { querystring: FlagListQuery, response: { 200: FlagList, ...errorResponses } },
  'GET /api/flags/inbox': { querystring: InboxQuery, response: { 200: Inbox, ...errorResponses } },
  'GET /api/flags.geojson': { querystring: MapQuery, response: { 200: FlagFeatureCollection, ...errorResponses } },
  'GET /api/flags/export': { querystring: ExportQuery, response: { 200: FlagExportBody, ...errorResponses } },
  'GET /api/flags/assessment': { querystring: AssessmentQuery, response: { 200: Assessment, ...errorResponses } },
  'POST /api/flags/escalate': { response: { 200: EscalationReport, ...errorResponses } },
  'GET /api/flags/:id': { params: FlagIdParams, response: { 200: FlagDetail, ...errorResponses } },
  'GET /api/flags/:id/photos/:photoId': { params: PhotoParams, response: { 200: FlagPhotoBody, ...errorResponses } },
  // the workflow
  'POST /api/flags/:id/register': transition(TransitionBody),
  'POST /api/flags/:id/reject': transition(RejectBody),
  'POST /api/flags/:id/acknowledge': transition(TransitionBody),
  'POST /api/flags/:id/feedback': {
    consumes: JSON_OR_FORM,
    params: FlagIdParams,
    body: FeedbackBody,
    response: { 200: FlagDetail, ...uploadErrors, ...errorResponses },
  },
  'POST /api/flags/:id/verify': transition(TransitionBody),
  'POST /api/flags/:id/return': transition(CommentRequiredBody),
  'POST /api/flags/:id/reopen': transition(CommentRequiredBody),
} satisfies Record<string, RouteContract>
