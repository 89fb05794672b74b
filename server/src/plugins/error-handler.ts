import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError, type ErrorBody } from '../errors.js'
import { isDatabaseUnavailable } from '../db/connection-errors.js'

/** Seconds a client should wait before retrying a request that met a lost database connection. */
export const DATABASE_RETRY_AFTER_SECONDS = 5
import { VALIDATION_MESSAGES } from '../contract/common.js'

interface ValidationIssue {
  instancePath?: string
  keyword?: string
  params?: Record<string, unknown>
  message?: string
}

/**
 * A body schema that is a union discriminated by one property (contract/edits.ts): Ajv checks only the
 * branch the property names, and the message says which one ("… for reshape").
 */
interface DiscriminatedSchema {
  discriminator?: { propertyName?: string }
  oneOf?: { properties?: Record<string, { const?: unknown }> }[]
}

function discriminatorOf(request: FastifyRequest | undefined) {
  const schema = request?.routeOptions?.schema?.body as DiscriminatedSchema | undefined
  const tag = schema?.discriminator?.propertyName
  if (!tag) return undefined
  const values = (schema.oneOf ?? []).map((branch) => branch.properties?.[tag]?.const).filter((v) => v !== undefined)
  const value = (request?.body as Record<string, unknown> | undefined)?.[tag]
  return { tag, values, value: typeof value === 'string' && values.includes(value) ? value : undefined }
}

// Turns "querystring/lon must be <= 180" style validation output into a message naming the parameter.
function describeValidation(error: FastifyError, request?: FastifyRequest): { message: string; details: unknown } {
  const issues = (error.validation ?? []) as ValidationIssue[]
  // Fastify calls the path "params"; the messages say "path parameter", as the route checks do
  const where = error.validationContext === 'params' ? 'path' : (error.validationContext ?? 'request')
  const union = where === 'body' ? discriminatorOf(request) : undefined
  const parts = issues.map((issue) => {
    if (issue.keyword === 'discriminator' && union) {
      // the tag is missing, not a string, or names no branch
      return { parameter: union.tag, message: `must be one of ${union.values.join(', ')}` }
    }
    const missing = issue.params?.missingProperty
    const extra = issue.params?.additionalProperty
    const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
    const field = missing
      ? [path, String(missing)].filter(Boolean).join('.')
      : extra !== undefined
        ? [path, String(extra)].filter(Boolean).join('.')
        : path
    // a pattern or format in words, not the regular expression
    let known =
      issue.keyword === 'pattern'
        ? VALIDATION_MESSAGES.pattern[String(issue.params?.pattern)]
        : issue.keyword === 'format'
          ? VALIDATION_MESSAGES.format[String(issue.params?.format)]
          : issue.keyword === 'required'
            ? 'is required'
            : undefined
    if (extra !== undefined)
      known = union?.value
        ? `is not a parameter of ${union.value} (no additional properties are accepted)`
        : 'is not a parameter of this route (no additional properties are accepted)'
    else if (union?.value) known = `${known ?? issue.message ?? 'is invalid'} for ${union.value}`
    return { parameter: field || where, message: known ?? issue.message ?? 'is invalid' }
  })
  const message = parts.length
    ? parts.map((p) => `${where} parameter "${p.parameter}" ${p.message}`).join('; ')
    : error.message
  return { message, details: { in: where, problems: parts, ...(union?.value ? { [union.tag]: union.value } : {}) } }
}

/**
 * The errors Fastify's router raises before any hook runs (a path parameter over maxParamLength, a
 * malformed %-escape in the path), in the one error shape; pass as the `frameworkErrors` option.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
  const status = tooLong
    ? 414
    : error.statusCode && error.statusCode >= 400 && error.statusCode < 500
      ? error.statusCode
      : 400
  const message = tooLong
    ? `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`
    : error.code === 'FST_ERR_BAD_URL'
      ? 'the path is not a valid URL: a malformed %-escape'
      : 'the request could not be routed'
  void reply
    .status(status)
    .send({ error: { code: tooLong ? 'path_too_long' : 'invalid_url', message, details: { in: 'path' } } })
}

/** Fastify's default maxParamLength */
export const MAX_PARAM_LENGTH = 100

export default fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler<FastifyError | AppError>((error, request, reply) => {
    let status: number
    let body: ErrorBody
    if (isDatabaseUnavailable(error)) {
      // a dropped or refused database connection (restart, failover, terminated backend): the request
      // may be retried as is; the pool reconnects for the next one
      request.log.warn({ err: error }, 'database unavailable')
      void reply
        .status(503)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .send({
          error: {
            code: 'database_unavailable',
            message: `the database is unavailable right now; try again in ${DATABASE_RETRY_AFTER_SECONDS} s`,
          },
        })
      return
    }
    if (error instanceof AppError) {
      status = error.status
      body = { error: { code: error.code, message: error.message, details: error.details } }
    } else if ((error as FastifyError).validation) {
      const { message, details } = describeValidation(error as FastifyError, request)
      status = 400
      body = { error: { code: 'invalid_request', message, details } }
    } else {
      const fe = error as FastifyError
      status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 600 ? fe.statusCode : 500
      const code =
        status === 413
          ? 'body_too_large'
          : status === 415
            ? 'unsupported_media_type'
            : (fe.code ?? 'error').toLowerCase()
      body = { error: { code, message: fe.message } }
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed')
      // never leak stack traces, SQL or driver messages
      body = { error: { code: 'internal_error', message: 'internal error; the server log has the details' } }
    }
    // a 429 says when to come back, in the header as well as in details.retryAfter
    const retryAfter = (body.error.details as { retryAfter?: unknown } | undefined)?.retryAfter
    if (status === 429 && typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter))
    void reply.status(status).send(body)
  })
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } })
  })
})
