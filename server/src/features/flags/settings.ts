// The flag settings read from the configuration, and the rules a client is told (GET /api/map-config)
// so the web app never repeats them.
import type { Config } from '../../config.js'
import type { FlagRules } from '../../contract/flags.js'
import type { UserRole } from '../../db/schema.js'
import type { WorkingPeriod } from '../../services/working-time.js'
import { notifySettings, type NotifySettings } from '../notifications/senders.js'
import { PHOTO_TYPES } from './photos.js'
import { COMMENT_REQUIRED, FLAG_ACTIONS, OPEN_STATES } from './workflow.js'

export interface FlagSettings {
  timeZone: string
  workingHours: WorkingPeriod[]
  workingDays: number[]
  duplicateDistanceM: number
  duplicateWindowHours: number
  photoMaxBytes: number
  photoMaxCount: number
  /** most reports (new flags and "same as" reports) per user in any hour */
  reportsPerHour: number
  /** gaps up to this area count as covered: a flag in one goes where GET /api/accountability says */
  sliverToleranceM2: number
  /** where dispatch and escalation notifications go besides the bell */
  notify: NotifySettings
}

export function flagSettings(config: Config): FlagSettings {
  return {
    timeZone: config.serviceTimeZone,
    workingHours: config.workingHours,
    workingDays: config.workingDays,
    duplicateDistanceM: config.flagDuplicateDistanceM,
    duplicateWindowHours: config.flagDuplicateWindowHours,
    photoMaxBytes: config.flagPhotoMaxBytes,
    photoMaxCount: config.flagPhotoMaxCount,
    reportsPerHour: config.flagReportsPerHour,
    sliverToleranceM2: config.sliverToleranceM2,
    notify: notifySettings(config),
  }
}

/** The acting user as the workflow needs it. */
export interface FlagUser {
  id: number
  login: string
  role: UserRole
  personId: number | null
}

/** The rules of GET /api/map-config's flagRules, from the real settings. */
export function flagRules(config: Config): FlagRules {
  return {
    photos: { maxBytes: config.flagPhotoMaxBytes, maxCount: config.flagPhotoMaxCount, types: [...PHOTO_TYPES] },
    commentRequired: FLAG_ACTIONS.filter((a) => COMMENT_REQUIRED.has(a)),
    openStates: [...OPEN_STATES],
  }
}
