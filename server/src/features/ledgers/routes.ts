// The monthly ledgers (/api/ledgers…): lists, an entry, the review queue, the summary, the entry's
// lifecycle (save, submit, accept, return), evidence upload and download, and escalation on demand.
// Schemas come from the contract (contract/ledgers.ts). Every signed-in role reads (anonymous never,
// even with the public map: these are internal figures); finer rules are the services'.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import multipart from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import { ledgersRoutes } from '../../contract/ledgers.js'
import type { UserRole } from '../../db/schema.js'
import { unauthorized } from '../../errors.js'
import { actorOf } from '../../routes/actor.js'
import { flagSettings } from '../flags/settings.js'
import { escalateOverdueLedgers } from './escalation.js'
import type { EvidenceLimits } from './evidence.js'
import { evidenceBodyLimit, evidenceMultipartBody, evidenceMultipartLimits, evidenceOf } from './routes-upload.js'
import { notifySettings } from '../notifications/senders.js'
import { acceptEntry, addEvidence, returnEntry, saveEntry, submitEntry } from './service.js'
import {
  ledgerEntryDetail,
  ledgerEvidenceFile,
  ledgerSummary,
  entryUnitScope,
  ledgerViewer,
  listLedgerEntries,
  reviewQueue,
} from './service-read.js'

const READERS: UserRole[] = ['admin', 'viewer', 'inspector', 'supervisor', 'unit_officer']
const OFFICERS: UserRole[] = ['unit_officer']
const REVIEWERS: UserRole[] = ['admin', 'unit_officer']

const ledgers: FastifyPluginAsyncTypebox = async (app) => {
  const ctx = app.ctx
  const notify = notifySettings(ctx.config)
  const limits: EvidenceLimits = {
    maxBytes: ctx.config.ledgerEvidenceMaxBytes,
    maxCount: ctx.config.ledgerEvidenceMaxCount,
  }
  await app.register(multipart, { limits: evidenceMultipartLimits(limits) })
  app.decorateRequest('ledgerUploads', null)

  const viewer = (request: FastifyRequest) => {
    const u = request.user
    if (!u) throw unauthorized()
    return ledgerViewer(ctx.db, { id: u.id, login: u.login, role: u.role, personId: u.personId })
  }
  const detail = async (request: FastifyRequest, id: number, returnedAtVersion?: number) => {
    const v = await viewer(request)
    return ledgerEntryDetail(ctx.db, id, ctx.now(), v, returnedAtVersion)
  }
  const tags = ['ledgers']
  // a unit officer acts only for the entry's own unit (the service checks the rest)
  const officerOfEntry = {
    roles: OFFICERS,
    unitScope: (request: FastifyRequest) => entryUnitScope(ctx.db, (request.params as { id: number }).id),
  }

  app.get(
    '/ledgers',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags,
        summary:
          "Ledger entries with filters (month, unit, line, measure, state, overdue); a unit officer's list defaults to their units",
        ...ledgersRoutes['GET /api/ledgers'],
      },
    },
    async (request) => listLedgerEntries(ctx.db, request.query, ctx.now(), await viewer(request)),
  )

  app.get(
    '/ledgers/review-queue',
    {
      config: { access: { roles: REVIEWERS } },
      schema: {
        tags,
        summary: 'Submitted entries of the lines the requester reviews (admins: every line), oldest first',
        ...ledgersRoutes['GET /api/ledgers/review-queue'],
      },
    },
    async (request) => reviewQueue(ctx.db, request.query, ctx.now(), await viewer(request)),
  )

  app.get(
    '/ledgers/summary',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags,
        summary: "A month's entries per unit: handed in, on time, accepted, returned, overdue",
        ...ledgersRoutes['GET /api/ledgers/summary'],
      },
    },
    async (request) => ledgerSummary(ctx.db, request.query.month, ctx.now()),
  )

  app.post(
    '/ledgers/escalate',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags,
        summary: 'Escalate overdue entries now (level 1 at the deadline, level 2 five working days later)',
        ...ledgersRoutes['POST /api/ledgers/escalate'],
      },
    },
    async (request) => escalateOverdueLedgers(ctx.db, ctx.now(), flagSettings(ctx.config), actorOf(request)),
  )

  app.get(
    '/ledgers/:id',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags,
        summary: "An entry with its versions and evidence; another unit's draft is refused to unit officers",
        ...ledgersRoutes['GET /api/ledgers/:id'],
      },
    },
    async (request) => detail(request, request.params.id),
  )

  app.put(
    '/ledgers/:id',
    {
      config: { access: officerOfEntry, idempotency: true },
      schema: {
        tags,
        summary:
          "Fill in an entry (an officer of its unit; draft or returned; the value within the indicator's bounds)",
        ...ledgersRoutes['PUT /api/ledgers/:id'],
      },
    },
    async (request) => {
      await saveEntry(ctx.db, request.params.id, request.body, await viewer(request), ctx.now())
      return detail(request, request.params.id)
    },
  )

  app.post(
    '/ledgers/:id/submit',
    {
      config: { access: officerOfEntry, idempotency: true },
      schema: { tags, summary: 'Submit an entry for review', ...ledgersRoutes['POST /api/ledgers/:id/submit'] },
    },
    async (request) => {
      await submitEntry(ctx.db, request.params.id, request.body.version, await viewer(request), ctx.now())
      return detail(request, request.params.id)
    },
  )

  app.post(
    '/ledgers/:id/accept',
    {
      config: { access: { roles: REVIEWERS } },
      schema: {
        tags,
        summary: 'Accept a submitted entry (a reviewer of the line, not its submitter); final',
        ...ledgersRoutes['POST /api/ledgers/:id/accept'],
      },
    },
    async (request) => {
      const { version, comment } = request.body
      await acceptEntry(ctx.db, request.params.id, version, await viewer(request), ctx.now(), comment)
      return detail(request, request.params.id)
    },
  )

  app.post(
    '/ledgers/:id/return',
    {
      config: { access: { roles: REVIEWERS } },
      schema: {
        tags,
        summary: 'Return a submitted entry with a reason (a reviewer of the line, not its submitter)',
        ...ledgersRoutes['POST /api/ledgers/:id/return'],
      },
    },
    async (request) => {
      const { version, reason } = request.body
      const v = await returnEntry(ctx.db, request.params.id, version, reason, await viewer(request), ctx.now(), notify)
      // the returned entry is the other unit's work in progress again; its reviewer sees it as returned
      return detail(request, request.params.id, v)
    },
  )

  app.post(
    '/ledgers/:id/evidence',
    {
      // the uploaded files' bytes are part of the request the key names
      config: { access: officerOfEntry, idempotency: { files: (request) => request.ledgerUploads } },
      bodyLimit: evidenceBodyLimit(limits),
      preValidation: evidenceMultipartBody(limits),
      schema: {
        tags,
        summary: 'Add evidence (JPEG, PNG, WebP, PDF judged by content) to a draft or returned entry',
        ...ledgersRoutes['POST /api/ledgers/:id/evidence'],
      },
    },
    async (request) => {
      const files = evidenceOf(request, request.body.files)
      await addEvidence(
        ctx.db,
        request.params.id,
        request.body.version,
        files,
        limits,
        await viewer(request),
        ctx.now(),
      )
      return detail(request, request.params.id)
    },
  )

  app.get(
    '/ledgers/:id/evidence/:evidenceId',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags,
        summary: "An evidence file, served with its content type (not to other units' officers)",
        ...ledgersRoutes['GET /api/ledgers/:id/evidence/:evidenceId'],
      },
    },
    async (request, reply) => {
      const file = await ledgerEvidenceFile(ctx.db, request.params.id, request.params.evidenceId, await viewer(request))
      return reply
        .type(file.contentType)
        .header('cache-control', 'private, max-age=86400')
        .header('content-disposition', 'inline')
        .send(file.data)
    },
  )
}
export default ledgers
