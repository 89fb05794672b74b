// Target responsibility letters, their signed scans and the progress against their targets. The scan
// is uploaded as an application/pdf body or as a form with one file field `scan`; either way it is
// judged by its bytes (checkScan) before anything is stored.
import multipart from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import { unitsRoutes } from '../../contract/units.js'
import { AppError, badRequest } from '../../errors.js'
import { actorOf } from '../../routes/actor.js'
import { ADMIN, READ, type UnitsApp } from './routes-common.js'
import { letterOf, letters, putLetter, putScan, scanOf } from './service-letters.js'
import { progress } from './service-progress.js'
import type { UnitsSettings } from './settings.js'

/** A form's one `scan` file, read up to the limit (a larger one is refused with 413 as it streams in). */
async function formScan(request: FastifyRequest, maxBytes: number): Promise<{ data: Buffer; filename: string | null }> {
  let scan: { data: Buffer; filename: string | null } | null = null
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue
      if (part.fieldname !== 'scan')
        throw badRequest(
          'invalid_request',
          `multipart file field "${part.fieldname}" is not expected; send the PDF in "scan"`,
        )
      if (scan) throw badRequest('invalid_request', 'send one scan file only')
      scan = { data: await part.toBuffer(), filename: part.filename || null }
    }
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError(413, 'scan_too_large', `the scan is larger than ${maxBytes} bytes`, { maxBytes })
    if (code === 'FST_FILES_LIMIT') throw badRequest('invalid_request', 'send one scan file only')
    throw error
  }
  if (!scan) throw badRequest('invalid_request', 'the form has no file field "scan"')
  return scan
}

export default async function registerLetterRoutes(app: UnitsApp, settings: UnitsSettings) {
  const ctx = app.ctx
  const tags = ['letters']
  const maxBytes = settings.letterScanMaxBytes
  // multipart and the raw PDF body only for this plugin's routes (encapsulated)
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } })
  app.addContentTypeParser(
    'application/pdf',
    // one byte over the limit is enough to know it is too large (checkScan says so, with the limit)
    { parseAs: 'buffer', bodyLimit: maxBytes + 1 },
    (_request, body, done) => done(null, body),
  )

  app.get(
    '/letters',
    { config: READ, schema: { tags, summary: "Every unit's letter of a year", ...unitsRoutes['GET /api/letters'] } },
    async (request) => letters(ctx.db, request.query.year),
  )
  app.get(
    '/units/:code/letters/:year',
    {
      config: READ,
      schema: { tags, summary: "A unit's letter of a year", ...unitsRoutes['GET /api/units/:code/letters/:year'] },
    },
    async (request) => letterOf(ctx.db, request.params.code, request.params.year),
  )
  app.put(
    '/units/:code/letters/:year',
    {
      config: ADMIN,
      schema: {
        tags,
        summary: "Write a unit's letter of a year: targets, signatories, signing date",
        ...unitsRoutes['PUT /api/units/:code/letters/:year'],
      },
    },
    async (request) =>
      putLetter(ctx.db, actorOf(request), request.params.code, request.params.year, request.body, ctx.now()),
  )
  app.put(
    '/units/:code/letters/:year/scan',
    {
      config: ADMIN,
      bodyLimit: maxBytes + 1,
      schema: {
        tags,
        summary: 'Upload the signed scan (PDF body, or a form with the file in "scan"); the newest is the letter\'s',
        ...unitsRoutes['PUT /api/units/:code/letters/:year/scan'],
      },
    },
    async (request) => {
      const upload = request.isMultipart()
        ? await formScan(request, maxBytes)
        : { data: request.body as Buffer, filename: null }
      if (!Buffer.isBuffer(upload.data))
        throw new AppError(415, 'unsupported_scan_type', 'send the scan as application/pdf or multipart/form-data')
      return putScan(ctx.db, actorOf(request), request.params.code, request.params.year, upload, maxBytes, ctx.now())
    },
  )
  app.get(
    '/units/:code/letters/:year/scan',
    {
      config: READ,
      schema: { tags, summary: 'The signed scan (PDF)', ...unitsRoutes['GET /api/units/:code/letters/:year/scan'] },
    },
    async (request, reply) => {
      const scan = await scanOf(ctx.db, request.params.code, request.params.year)
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-cache')
        .header('content-disposition', `inline; filename="${scan.filename.replace(/[^\w.-]/g, '_')}"`)
        .send(scan.data)
    },
  )
  app.get(
    '/units/:code/progress',
    {
      config: READ,
      schema: {
        tags,
        summary: "Progress against the unit's letter targets, month by month",
        ...unitsRoutes['GET /api/units/:code/progress'],
      },
    },
    async (request) => {
      const today = ctx.today()
      return progress(ctx.db, request.params.code, request.query.year ?? Number(today.slice(0, 4)), today)
    },
  )
}
