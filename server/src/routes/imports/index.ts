// POST /api/imports/{regions|cells|parcels}: the CLI's import over HTTP, streamed. The request body is
// read as a stream (a FeatureCollection or GeoJSON-seq, any size) and never buffered: this plugin
// replaces the app's JSON parser (1 MB body limit) with a pass-through for its own routes only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { readFeatureStream } from '../../services/feature-source.js'
import { DEFAULT_PROPERTIES, importFeatures } from '../../services/import.service.js'
import { AppError, badRequest } from '../../errors.js'
import { actorOf } from '../actor.js'
import { importsRoutes } from '../../contract/imports.js'

/** Media types accepted (all parsed by content, so any of them may carry either form). */
export const IMPORT_TYPES = [
  'application/json',
  'application/geo+json',
  'application/geo+json-seq',
  'application/json-seq',
  'application/x-ndjson',
  'application/x-geojsonseq',
  'text/plain',
  'application/octet-stream',
]

const imports: FastifyPluginAsyncTypebox = async (app) => {
  // encapsulated: only the routes of this plugin see the pass-through parser
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(IMPORT_TYPES, (_request, payload, done) => done(null, payload))

  app.post(
    '/imports/:kind',
    {
      // an upload may take as long as it takes (no body timeout): it is imported as it arrives
      config: { access: { roles: ['admin'] }, unboundedUpload: true },
      // the body is a stream the import reads as it goes; the app-wide JSON limit does not apply
      bodyLimit: Number.MAX_SAFE_INTEGER,
      schema: {
        tags: ['imports'],
        summary:
          'Import regions, grid cells or parcels from a streamed GeoJSON FeatureCollection or GeoJSON-seq body (any size), all or nothing by default',
        description: `Body: ${IMPORT_TYPES.join(', ')}. 200 with the report when committed; 422 with the report in error.details when nothing was written.`,
        ...importsRoutes['POST /api/imports/:kind'],
      },
    },
    async (request) => {
      const { kind } = request.params
      const q = request.query
      // no body at all (no content type): nothing to stream
      if (!request.body)
        throw badRequest(
          'empty_body',
          `the request has no body: send the features as ${IMPORT_TYPES.slice(0, 3).join(', ')} …`,
          { in: 'body' },
        )
      const report = await importFeatures(
        app.ctx.db,
        readFeatureStream(request.body as NodeJS.ReadableStream & AsyncIterable<Buffer>),
        {
          kind,
          invalid: q.invalid ?? 'reject',
          region: q.region,
          batchSize: q.batch ?? 1000,
          matchToleranceM2: app.ctx.config.matchToleranceM2,
          actor: actorOf(request),
          source: `POST /api/imports/${kind}`,
          properties: DEFAULT_PROPERTIES,
        },
      )
      if (!report.committed) {
        const listed =
          report.rejectedTotal > report.rejected.length ? ` (the first ${report.rejected.length} are listed)` : ''
        const message =
          report.read === 0
            ? 'the body held no features'
            : `${report.rejectedTotal} of ${report.read} features rejected${listed}; nothing was imported`
        throw new AppError(422, 'import_rejected', message, report)
      }
      return report
    },
  )
}
export default imports
