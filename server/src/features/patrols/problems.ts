// Problems found on a patrol (巡查发现问题). Each becomes a flag through the flags service — routed to the
// accountable cell like any report, with its duplicate check and rate limit — and the flag is linked to
// the patrol in the same transaction, so a problem is never a flag without its patrol or the reverse.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { ProblemBody, ProblemSummary } from '../../contract/patrols.js'
import { insertAudit } from '../../db/repositories/audit.repository.js'
import { badRequest } from '../../errors.js'
import { jsonPhotoUploads } from '../flags/photos.js'
import { createFlag } from '../flags/service.js'
import type { FlagSettings, FlagUser } from '../flags/settings.js'
import * as repo from './repository.js'
import { instant, ownActive } from './service.js'

const SKEW_MS = 5 * 60 * 1000

export async function reportProblem(
  db: Kysely<DB>,
  settings: FlagSettings,
  walker: FlagUser,
  patrolId: number,
  input: ProblemBody,
  now: Date,
): Promise<ProblemSummary> {
  const observedAt = instant(input.observedAt, 'observedAt')
  if (observedAt > now.getTime() + SKEW_MS)
    throw badRequest('future_time', 'body parameter "observedAt" lies in the future')
  // who may report on this patrol is decided before the flag's own checks (a duplicate warning to a
  // stranger would say too much); the transaction below checks it again under the lock
  await ownActive(db, walker, patrolId)
  const photos = jsonPhotoUploads(input.photos)
  const result = await createFlag(db, settings, now, walker, {
    category: input.category,
    description: input.description,
    lon: input.lon,
    lat: input.lat,
    photos,
    confirmNotDuplicate: input.confirmNotDuplicate,
    onCreated: async (tx, flagId) => {
      const patrol = await ownActive(tx, walker, patrolId)
      if (observedAt < patrol.started_at.getTime() - SKEW_MS)
        throw badRequest('invalid_time', 'body parameter "observedAt" lies before the patrol started')
      await repo.insertProblem(tx, { patrolId, flagId, observedAt: new Date(observedAt) })
      await insertAudit(tx, {
        actor: walker,
        action: 'problem',
        entityType: 'patrol',
        entityId: patrolId,
        after: { flagId, category: input.category, observedAt: input.observedAt, point: [input.lon, input.lat] },
      })
    },
  })
  return (await repo.problemsOf(db, patrolId, [result.id]))[0]!
}
