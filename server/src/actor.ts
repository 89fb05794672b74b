// Who did something, as the audit log records it. Shared by routes (the signed-in user), the CLI
// (the operating-system user), services and the audit repository, so none of them imports another's layer.

export interface Actor {
  id: number | null
  login: string
}

/** The system itself (start-up, demo loading, CLI without a user). */
export const SYSTEM_ACTOR: Actor = { id: null, login: 'system' }
