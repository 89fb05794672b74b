// When a month's ledger entries are due: by default the end of working time on the 5th working day of
// the next month (LEDGER_DUE_WORKING_DAY), counted on the same working calendar as flag deadlines, so a
// holiday or a make-up working day (调休) moves it exactly as it moves a flag's limit.
import { addDays } from '../../services/dates.js'
import { addWorkingDays, zonedInstant, type WorkingCalendar } from '../../services/working-time.js'

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

/** "YYYY-MM" → the first day of the next month, "YYYY-MM-DD". */
export function nextMonthStart(month: string): string {
  const m = MONTH.exec(month)
  if (!m) throw new RangeError(`month must be YYYY-MM, got ${month}`)
  const [y, mm] = [Number(m[1]), Number(m[2])]
  return mm === 12 ? `${y + 1}-01-01` : `${y}-${String(mm + 1).padStart(2, '0')}-01`
}

/** The deadline of the ledger entries of `month` ("YYYY-MM"). */
export function ledgerDueAt(month: string, workingDay: number, cal: WorkingCalendar): Date {
  // "N working days after a day" does not count that day: count from the month's last day.
  const lastDay = addDays(nextMonthStart(month), -1)
  return addWorkingDays(zonedInstant(lastDay, 0, cal.timeZone), workingDay, cal)
}
