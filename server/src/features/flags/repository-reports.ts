// How many flag reports a user made recently: the per-user limit on reports (report-limit.ts).
// Counted from the flag timeline (one 'report' or 'same_as_report' event per accepted report), so the
// limit holds across processes and restarts.
import { sql, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

const REPORT_ACTIONS = ['report', 'same_as_report']
/** advisory-lock namespace for "this user's reports" (an arbitrary constant, unique in this code base) */
const REPORTER_LOCK_CLASS = 7_341_001

/**
 * Serialises the reports of one user until the transaction ends, so two parallel reports cannot both
 * see a count under the limit. Other users' reports are not held up.
 */
export async function lockReporter(tx: Transaction<DB>, userId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${REPORTER_LOCK_CLASS}::int, ${userId}::int)`.execute(tx)
}

/**
 * The time of the user's `nth` most recent report since `since` (1 = the latest), or null when they
 * made fewer than `nth` reports in that time.
 */
export async function nthLatestReportSince(
  tx: Transaction<DB>,
  userId: number,
  since: Date,
  nth: number,
): Promise<Date | null> {
  const row = await tx
    .selectFrom('flag_events')
    .select('at')
    .where('actor_id', '=', userId)
    .where('action', 'in', REPORT_ACTIONS)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .offset(nth - 1)
    .limit(1)
    .executeTakeFirst()
  return row ? new Date(row.at as unknown as string | Date) : null
}
