// A time limit on receiving a request body, per route. Node's `server.requestTimeout` does this for the
// whole server, import uploads included, and cut large or slow GeoJSON uploads at 120 s. It cannot be
// set per route, so it is switched off here and the same guard is applied per request instead: every
// request with a body must have received it within REQUEST_BODY_TIMEOUT_SECONDS (a slow-upload guard
// for the JSON and multipart routes), except on routes that declare `config: { unboundedUpload: true }`
// (the streamed imports, which read their body as they import it and are for admins only).
//
// Chosen over "upload first, import as a job": the import already streams, so a job would only move the
// same wait elsewhere and add a job store; keeping the request open keeps all-or-nothing simple (the
// answer is the report). Headers still have Node's own headersTimeout.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route reads its body as a stream for as long as it takes (no body timeout) */
    unboundedUpload?: boolean
  }
}

/** A request has a body when it says so (RFC 9112 §6.3): a non-zero Content-Length or a Transfer-Encoding. */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length']
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

function cutOff(request: FastifyRequest, reply: FastifyReply, seconds: number) {
  const error = new AppError(
    408,
    'request_timeout',
    `the request body did not arrive within ${seconds} s (REQUEST_BODY_TIMEOUT_SECONDS)`,
  )
  // the rest of the body is never read: the connection is closed after the answer
  reply.header('connection', 'close')
  const raw = request.raw
  // a body parser waiting on the stream fails with the error (and the error handler answers 408)
  if (raw.listenerCount('error') > 0) raw.emit('error', error)
  setImmediate(() => {
    if (!reply.sent) void reply.send(error)
  })
}

export default fp(async function requestTimeout(app: FastifyInstance, options: { seconds: number }) {
  app.server.requestTimeout = 0
  if (!(options.seconds > 0)) return
  const ms = options.seconds * 1000
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config?.unboundedUpload || !hasBody(request) || request.raw.complete) return done()
    let settled = false
    const settle = () => {
      settled = true
      clearTimeout(timer)
    }
    const timer = setTimeout(() => {
      if (!settled && !request.raw.complete && !reply.sent) cutOff(request, reply, options.seconds)
    }, ms)
    timer.unref()
    request.raw.once('end', settle)
    reply.raw.once('close', settle)
    done()
  })
})
