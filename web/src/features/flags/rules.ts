// The flag rules the web app checks before it asks the server: which actions need a comment, which
// states count as "open", and the photo limits (photos.ts). They are the server's own values, served by
// GET /api/map-config as flagRules and handed over once at boot (main.ts), like the service day; the
// buttons a user gets are the flag's allowedActions, worked out by the server for that user. The server
// stays the judge: its 403/409/413/415 messages are shown as they come.
import type { FlagAction, FlagState, MapConfig } from '../../api/types.js'

/** The rules as GET /api/map-config serves them. */
export type FlagRules = MapConfig['flagRules']

let served: FlagRules | null = null

/** Called once at boot with map-config's flagRules. */
export function useFlagRules(rules: FlagRules): void {
  served = rules
}

/** The rules the server sent at boot; the panels take them once, when they are made. */
export function flagRules(): FlagRules {
  if (!served) throw new Error('the flag rules are not loaded (GET /api/map-config flagRules)')
  return served
}

/** Must the action carry text (the reason of a rejection, the handler's note, why it goes back)? */
export function needsComment(rules: Pick<FlagRules, 'commentRequired'>, action: FlagAction): boolean {
  return rules.commentRequired.includes(action)
}

/** Is a state filter the "open" choice, i.e. exactly the states the server counts as open? */
export function isOpenFilter(rules: Pick<FlagRules, 'openStates'>, states: readonly FlagState[] | undefined): boolean {
  if (!states || states.length !== rules.openStates.length) return false
  return rules.openStates.every((s) => states.includes(s))
}
