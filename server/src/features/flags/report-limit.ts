// The per-user limit on flag reports (FLAG_REPORTS_PER_HOUR): a stuck client or a script cannot bury
// the county's inbox. Checked inside the report's transaction, under a per-user lock, so it holds for
// parallel requests and across server processes.
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { AppError } from '../../errors.js'
import { lockReporter, nthLatestReportSince } from './repository-reports.js'

const HOUR_MS = 3_600_000

/** Throws 429 `flag_report_rate_limited` (details.retryAfter, seconds) when the user is at the limit. */
export async function assertReportAllowed(
  tx: Transaction<DB>,
  userId: number,
  reportsPerHour: number,
  now: Date,
): Promise<void> {
  const limit = Math.max(1, Math.floor(reportsPerHour))
  await lockReporter(tx, userId)
  // the limit-th latest report in the last hour: while it is in the window, the user is at the limit
  const boundary = await nthLatestReportSince(tx, userId, new Date(now.getTime() - HOUR_MS), limit)
  if (!boundary) return
  const retryAfter = Math.max(1, Math.ceil((boundary.getTime() + HOUR_MS - now.getTime()) / 1000))
  throw new AppError(
    429,
    'flag_report_rate_limited',
    `at most ${limit} flag reports an hour; try again in ${retryAfter} s`,
    {
      limitPerHour: limit,
      retryAfter,
    },
  )
}
