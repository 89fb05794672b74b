// The settings the units feature reads from the configuration: when a month's ledger entries are due
// (on the flags' working calendar) and how large a letter's signed scan may be.
import type { Config } from '../../config.js'
import { flagSettings, type FlagSettings } from '../flags/settings.js'

export interface UnitsSettings {
  /** a month's entries are due at the end of this working day of the next month */
  ledgerDueWorkingDay: number
  letterScanMaxBytes: number
  /** the working calendar's hours, days and time zone */
  calendar: FlagSettings
}

export function unitsSettings(config: Config): UnitsSettings {
  return {
    ledgerDueWorkingDay: config.ledgerDueWorkingDay,
    letterScanMaxBytes: config.letterScanMaxBytes,
    calendar: flagSettings(config),
  }
}
