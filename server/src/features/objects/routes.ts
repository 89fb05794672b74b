// /api/object-types and /api/objects: the supervision inventory. Every signed-in role reads it (it is
// not on the anonymous public map: attributes hold contacts and permit numbers); admins and grid
// supervisors file within their own cells; the cell above reviews; admins retire and import.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { objectsRoutes } from '../../contract/objects.js'
import type { UserRole } from '../../db/schema.js'
import { actorOf } from '../../routes/actor.js'
import { parseAt, parseBbox, sendJsonText } from '../../routes/query.js'
import { importObjects } from './import.js'
import {
  cellsActedOn,
  fileObject,
  objectDetail,
  objectFeatureCollection,
  objectTypesWithFrequencies,
  reviewObject,
  reviewScope,
  updateObject,
  type ReviewAction,
} from './service.js'

const READERS: readonly UserRole[] = ['admin', 'supervisor', 'inspector', 'viewer', 'unit_officer']
const WRITERS: readonly UserRole[] = ['admin', 'supervisor']

type WithId = FastifyRequest<{ Params: { id: number } }>
type WithGeometry = FastifyRequest<{ Params: { id?: number }; Body: { geometry?: unknown } }>

const objects: FastifyPluginAsyncTypebox = async (app) => {
  const clock = () => ({ now: app.ctx.now(), at: app.ctx.today(), toleranceM2: app.ctx.config.matchToleranceM2 })
  const writer = (request: FastifyRequest) => ({ ...actorOf(request), admin: request.user!.role === 'admin' })
  const actedOn = (request: FastifyRequest) =>
    cellsActedOn(app.ctx.db, (request as WithGeometry).params.id, (request as WithGeometry).body?.geometry)

  app.get(
    '/object-types',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['objects'],
        summary: 'Object types with their check-in checklists, and the patrol visits each risk level needs a month',
        ...objectsRoutes['GET /api/object-types'],
      },
    },
    async () => objectTypesWithFrequencies(app.ctx.db),
  )

  app.get(
    '/objects',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['objects'],
        summary: 'Supervised objects as GeoJSON by bbox, type, review status, match status, risk, cell or text',
        ...objectsRoutes['GET /api/objects'],
      },
    },
    async (request, reply) => {
      const q = request.query
      const { geojson, total } = await objectFeatureCollection(app.ctx.db, {
        ...q,
        bbox: parseBbox(q.bbox),
        at: parseAt(request, q.at),
        limit: q.limit ?? 5000,
        offset: q.offset ?? 0,
      })
      return sendJsonText(reply, geojson, { 'x-total-count': String(total) })
    },
  )

  app.get(
    '/objects/:id',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['objects'],
        summary: 'An object, its match (every cell share) and who is accountable for it on a date',
        ...objectsRoutes['GET /api/objects/:id'],
      },
    },
    async (request) =>
      objectDetail(app.ctx.db, request.params.id, parseAt(request, request.query.at), request.canSeeContacts),
  )

  app.post(
    '/objects',
    {
      config: { access: { roles: WRITERS, supervisorScope: actedOn }, idempotency: true },
      schema: {
        tags: ['objects'],
        summary: "File an object (填报): a grid member's filing waits for review, an admin's is accepted",
        ...objectsRoutes['POST /api/objects'],
      },
    },
    async (request, reply) =>
      reply.status(201).send(await fileObject(app.ctx.db, writer(request), request.body, clock())),
  )

  app.patch(
    '/objects/:id',
    {
      config: { access: { roles: WRITERS, supervisorScope: actedOn } },
      schema: {
        tags: ['objects'],
        summary: "Change an object; a grid member's change is filed again for review",
        ...objectsRoutes['PATCH /api/objects/:id'],
      },
    },
    async (request) => updateObject(app.ctx.db, writer(request), request.params.id, request.body, clock()),
  )

  const review = (action: ReviewAction, summary: string) =>
    app.post(
      `/objects/:id/${action}`,
      {
        config: {
          access:
            action === 'retire'
              ? { roles: ['admin'] as const }
              : {
                  roles: WRITERS,
                  supervisorScope: (r: FastifyRequest) => reviewScope(app.ctx.db, (r as WithId).params.id),
                },
        },
        schema: { tags: ['objects'], summary, ...objectsRoutes[`POST /api/objects/:id/${action}`] },
      },
      async (request) => reviewObject(app.ctx.db, actorOf(request), request.params.id, action, request.body, clock()),
    )
  review('accept', 'Accept a filed object (审核): by the cell above the filer or an admin, never the filer')
  review('return', 'Return a filed object with a reason, for the filer to correct')
  review('retire', 'Retire an object that is gone (closed, demolished), with a reason; it stays answerable')

  app.post(
    '/objects/import',
    {
      config: { access: { roles: ['admin'] as const } },
      bodyLimit: 6 * 1024 * 1024,
      schema: {
        tags: ['objects'],
        summary:
          'Import objects from CSV (lon/lat columns) or GeoJSON: all or nothing; dryRun reports and writes nothing',
        ...objectsRoutes['POST /api/objects/import'],
      },
    },
    async (request) => importObjects(app.ctx.db, actorOf(request), request.body, clock()),
  )
}
export default objects
