// Builds the Fastify app: shared plugins first, then one route plugin per resource. Used by tests
// (app.inject, no port) and by server.ts.
import { existsSync } from 'node:fs'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fastifyStatic from '@fastify/static'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import type { Config } from './config.js'
import type { Capabilities, Database } from './db/database.js'
import type { DB } from './db/schema.js'
import errorHandler, { frameworkErrors, MAX_PARAM_LENGTH } from './plugins/error-handler.js'
import accessControl from './plugins/access.js'
import inputGuard from './plugins/input-guard.js'
import idempotency from './plugins/idempotency.js'
import { supervisorCellIds } from './services/cells.service.js'
import { unitsOfPerson } from './features/units/service.js'
import { isoDay } from './services/dates.js'
import routes from './routes/index.js'
import tiles from './routes/tiles/index.js'
import dataVersion from './plugins/data-version.js'
import requestTimeout from './plugins/request-timeout.js'

export interface AppContext {
  db: Kysely<DB>
  database: Database
  config: Config
  capabilities: Capabilities
  /** The clock every rule reads (session expiry, "as of now"); tests substitute their own. */
  now: () => Date
  /** Today's date (YYYY-MM-DD) in the service's time zone: the one "today" every rule and the web app use. */
  today: () => string
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext
  }
}

export interface BuildAppOptions {
  config: Config
  database: Database
  capabilities: Capabilities
  now?: () => Date
  logger?: FastifyServerOptions['logger']
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    // strictNumbers off: with it on, Ajv skips minimum/maximum for Infinity, which a query string's
    // "Infinity" or "1e400" is coerced to; off, every bounded number refuses it (contract/common.ts).
    // discriminator: a union tagged by one property is checked on the branch it names (contract/edits.ts)
    ajv: {
      customOptions: {
        coerceTypes: true,
        removeAdditional: false,
        allErrors: false,
        strictNumbers: false,
        discriminator: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  const ctx: AppContext = {
    db: options.database.db,
    database: options.database,
    config,
    capabilities: options.capabilities,
    now: options.now ?? (() => new Date()),
    today: () => isoDay(ctx.now(), config.serviceTimeZone),
  }
  app.decorate('ctx', ctx)

  await app.register(errorHandler)
  await app.register(requestTimeout, { seconds: config.requestBodyTimeoutSeconds })
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // MapLibre runs its worker from a blob/self URL and styles the canvas inline
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        imgSrc: [
          "'self'",
          'data:',
          'blob:',
          ...(config.basemapUrl ? [new URL(config.basemapUrl.replace(/[{}]/g, '')).origin] : []),
        ],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", ...(config.basemapUrl ? [new URL(config.basemapUrl.replace(/[{}]/g, '')).origin] : [])],
        upgradeInsecureRequests: null,
      },
    },
    // the app is served over plain http on localhost by default
    strictTransportSecurity: false,
  })
  await app.register(cookie)
  if (config.corsOrigin) {
    const cors = (await import('@fastify/cors')).default
    await app.register(cors, { origin: config.corsOrigin, credentials: true })
  }
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'everyinch API',
        version: '0.1.0',
        description: 'Grid-based accountability: who is accountable for every inch of land.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'everyinch_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  await app.register(accessControl, {
    publicMap: config.publicMap,
    now: ctx.now,
    supervisorCells: (personId) => supervisorCellIds(ctx.db, personId, ctx.today()),
    unitsOfPerson: (personId) => unitsOfPerson(ctx.db, personId),
  })

  await app.register(inputGuard)
  // after access control and the input guard: a refused request claims no Idempotency-Key
  await app.register(idempotency)
  await app.register(dataVersion)
  await app.register(routes, { prefix: '/api' })
  await app.register(tiles, { prefix: '/tiles' })

  if (existsSync(config.webDist)) {
    await app.register(fastifyStatic, { root: config.webDist, prefix: '/', index: 'index.html' })
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain').send('The web app is not built; run `npm run build` (npm start does it for you).\n'),
    )
  }
  return app
}
