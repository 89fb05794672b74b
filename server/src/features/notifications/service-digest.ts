// The daily digest for supervisors and admins: the day before's events (flags dispatched or escalated,
// ledger entries returned) in their cells, what falls due on the day (open flag limits, unsubmitted
// ledger entries), and the objects whose patrols are behind in the day's month. An admin's scope is
// everything; a supervisor's the cells their person is responsible for on the day, with every cell below.
import type { Kysely } from 'kysely'
import type { Digest, NotificationPayload } from '../../contract/notifications.js'
import type { DB } from '../../db/schema.js'
import { addDays } from '../../services/dates.js'
import { supervisorCellIds } from '../../services/cells.service.js'
import { zonedInstant } from '../../services/working-time.js'
import { objectsBehindInCells } from '../patrols/completion.js'
import { dueBetween, eventsBetween, personCells, topCells } from './repository-reminders.js'
import type { Recipient } from './service-read.js'

export async function digest(db: Kysely<DB>, timeZone: string, user: Recipient, date: string): Promise<Digest> {
  const own = user.role === 'admin' || user.personId === null ? null : user.personId
  const scope = own === null ? null : [...(await supervisorCellIds(db, own, date))]
  const start = (day: string) => zonedInstant(day, 0, timeZone)
  const [events, due, patrolCells] = await Promise.all([
    eventsBetween(db, start(addDays(date, -1)), start(date), scope),
    dueBetween(db, start(date), start(addDays(date, 1)), scope),
    own === null ? topCells(db) : personCells(db, own, date),
  ])
  return {
    date,
    scope: own === null ? 'all' : 'own_cells',
    events: events.map((e) => ({
      kind: e.kind as Digest['events'][number]['kind'],
      subject: { type: e.subject_type as Digest['events'][number]['subject']['type'], id: e.subject_id },
      payload: (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as NotificationPayload,
      at: new Date(e.at).toISOString(),
      recipients: e.recipients,
    })),
    due: due.map((d) => ({
      kind: d.limit === 'ledger' ? ('ledger_entry' as const) : ('flag' as const),
      id: d.id,
      limit: d.limit,
      dueAt: new Date(d.due_at).toISOString(),
      label: d.label,
      cellCode: d.cell_code,
    })),
    patrolsBehind: await objectsBehindInCells(db, patrolCells, date.slice(0, 7), timeZone),
  }
}
