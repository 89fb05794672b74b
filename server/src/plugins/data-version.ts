// Every successful state-changing /api request bumps the data version before its response is sent, so
// a client that saw a write succeed never gets a tile (or any cache keyed by the version) from before
// it. Handlers send their response only after their transaction has committed. Services that are also
// run outside HTTP (boundary edits, imports) bump for themselves as well; a second bump is harmless.
//
// A route that answers a POST without committing anything (the edit preview: it runs the edit and
// rolls it back) declares `config: { writes: false }`: bumping there would throw away every cached
// tile and coverage result on each preview although nothing changed.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { bump } from '../services/data-version.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route never commits a change, so a success leaves cached map data valid */
    writes?: boolean
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export default fp(async function dataVersion(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      WRITES.has(request.method) &&
      reply.statusCode < 400 &&
      request.routeOptions.config.writes !== false &&
      request.url.startsWith('/api/') &&
      !request.url.startsWith('/api/session')
    ) {
      bump()
    }
    return payload
  })
})
