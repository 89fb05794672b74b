// A NUL character (U+0000) anywhere in a request's URL or JSON body is refused with a 400 naming the
// parameter, before any handler runs: PostgreSQL cannot store it in text and raises on it as a query
// parameter, so letting it through would turn a typo or a probe into a 500. Registered after access
// control, so a caller still learns 401/403 before anything about the input.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { badRequest } from '../errors.js'

const NUL = '\u0000'

/** The first place (a dotted path) a NUL occurs in a parsed value: a string, an object key, nested. */
export function nulPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined
  if (
    value === null ||
    typeof value !== 'object' ||
    Buffer.isBuffer(value) ||
    typeof (value as { pipe?: unknown }).pipe === 'function'
  )
    return undefined
  for (const [key, item] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key
    if (key.includes(NUL)) return here
    const found = nulPath(item, here)
    if (found !== undefined) return found
  }
  return undefined
}

const refuse = (where: string, parameter: string) =>
  badRequest('invalid_character', `${where} parameter "${parameter}" must not contain a NUL character (U+0000, %00)`, {
    in: where,
    parameter,
  })

function checkUrl(request: FastifyRequest) {
  // the decoded URL is the only way a NUL gets into params and query (the HTTP parser refuses raw ones)
  if (!/%00/i.test(request.url)) return
  const inParams = nulPath(request.params)
  if (inParams !== undefined) throw refuse('path', inParams)
  const inQuery = nulPath(request.query)
  if (inQuery !== undefined) throw refuse('querystring', inQuery)
  throw refuse('path', 'url')
}

export default fp(async function inputGuard(app: FastifyInstance) {
  app.addHook('preHandler', async (request) => {
    checkUrl(request)
    const inBody = nulPath(request.body)
    if (inBody !== undefined) throw refuse('body', inBody || 'body')
  })
})
