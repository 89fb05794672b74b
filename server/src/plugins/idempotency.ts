// The Idempotency-Key header (README, "Idempotency-Key"): a phone that queued requests offline sends them
// again when it is back online, and each must be applied once. A route opts in with
// `config: { idempotency: true }` (or `{ files }` when it takes uploads, so their bytes are part of the
// request's hash). For such a route, a request with the header:
// - claims (signed-in user, key) before its handler runs (preHandler: after access control, the
//   multipart reading and validation, so a refused or malformed request claims nothing);
// - on a 2xx answer, the answer (status, body, content type) is kept under the key (onSend);
//   on any other answer the claim is released, so the client may fix the request and retry the key;
// - a repeat of the same request gets the kept answer, with `Idempotent-Replayed: true`, and its
//   handler does not run; the key used for another request: 422; the first still running: 409.
// Without the header nothing changes. The header needs a signed-in user (keys are per user): on a route
// that anonymous callers may use, an anonymous request with the header is refused (400) rather than
// silently not protected. Every route that opts in today requires a role anyway.
//
// Limit: the answer is stored after the handler's transaction has committed. Should the process stop
// between the two, the key stays claimed without an answer; after ABANDONED_MINUTES it is given up and
// a retry runs the request again.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { badRequest } from '../errors.js'
import {
  beginIdempotent,
  checkKey,
  finishIdempotent,
  IDEMPOTENCY_HEADER,
  purgeOldKeys,
  REPLAYED_HEADER,
  requestHash,
  type HashedFile,
  type IdempotencyMethod,
} from '../services/idempotency.service.js'

export interface IdempotencyOptions {
  /** the files a request uploaded (multipart files read before validation), hashed by their bytes */
  files: (request: FastifyRequest) => readonly HashedFile[] | null | undefined
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** honour the Idempotency-Key header on this route (plugins/idempotency.ts) */
    idempotency?: boolean | IdempotencyOptions
  }
  interface FastifyRequest {
    /** the key this request claimed (null: none, or the answer was replayed) */
    idempotencyClaim: { userId: number; key: string } | null
  }
}

const METHODS = new Set<string>(['POST', 'PUT', 'PATCH', 'DELETE'])

export default fp(async function idempotency(app: FastifyInstance) {
  app.decorateRequest('idempotencyClaim', null)

  app.addHook('onRoute', (route) => {
    if (!route.config?.idempotency) return
    for (const method of [route.method].flat())
      if (!METHODS.has(String(method)))
        throw new Error(`route ${String(method)} ${route.url}: idempotency is for state-changing methods only`)
  })

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const option = request.routeOptions.config.idempotency
    if (!option) return
    const key = checkKey(request.headers[IDEMPOTENCY_HEADER.toLowerCase()])
    if (key === undefined) return
    const user = request.user
    if (!user)
      throw badRequest(
        'invalid_idempotency_key',
        `header "${IDEMPOTENCY_HEADER}" needs a signed-in user (keys are kept per user); sign in or leave it out`,
        { header: IDEMPOTENCY_HEADER },
      )
    const db = app.ctx.db
    const now = app.ctx.now()
    try {
      await purgeOldKeys(db, now)
    } catch (error) {
      // the purge is housekeeping: a failure must not fail the request
      request.log.error({ err: error }, 'purging old idempotency keys failed')
    }
    const files = typeof option === 'object' ? (option.files(request) ?? []) : []
    const begun = await beginIdempotent(db, {
      userId: user.id,
      key,
      method: request.method as IdempotencyMethod,
      route: request.routeOptions.url ?? request.url,
      requestHash: requestHash({ params: request.params, query: request.query, body: request.body, files }),
      at: now,
    })
    if (begun.kind === 'replay') {
      reply.code(begun.statusCode).header(REPLAYED_HEADER, 'true')
      if (begun.contentType) reply.header('content-type', begun.contentType)
      return reply.send(begun.body)
    }
    request.idempotencyClaim = { userId: user.id, key }
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim
    if (!claim) return payload
    request.idempotencyClaim = null
    const success = reply.statusCode >= 200 && reply.statusCode < 300
    // JSON answers are strings here; anything else (a stream) is not kept, and the key released
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null
    const contentType = reply.getHeader('content-type')
    try {
      await finishIdempotent(
        app.ctx.db,
        claim.userId,
        claim.key,
        success && body !== null
          ? { statusCode: reply.statusCode, body, contentType: contentType === undefined ? null : String(contentType) }
          : null,
      )
    } catch (error) {
      // the request itself has been handled: answer it; the key stays claimed until it is given up
      request.log.error({ err: error }, 'keeping the idempotent answer failed')
    }
    return payload
  })
})
