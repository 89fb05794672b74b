import { userInfo } from 'node:os'
import type { Actor } from '../actor.js'

/** CLI actions are recorded with the operating-system user who ran them, e.g. "cli:root". */
export function cliActor(): Actor {
  let name: string
  try {
    name = userInfo().username
  } catch {
    name = process.env.USER ?? process.env.USERNAME ?? 'unknown' // no passwd entry (some containers)
  }
  return { id: null, login: `cli:${name}` }
}
