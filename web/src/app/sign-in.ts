// Signing in (the overlay, when the map is not public or the user asks), signing out, and a session
// that ended under us (a 401).
import { forgetAccountData } from '../offline/service-worker.js'
import { signInOverlay } from '../panels/signin.js'
import type { AppContext } from './context.js'

export class SignIn {
  private overlay: HTMLElement | null = null

  constructor(
    private readonly app: AppContext,
    private readonly root: HTMLElement,
    /** someone signed in: the app starts (or, when it already runs, reloads for the new role) */
    private readonly signedIn: () => void,
  ) {}

  show() {
    if (this.overlay) return
    this.overlay = signInOverlay(this.app.api, this.app.config, (s) => {
      this.app.session = s
      this.overlay?.remove()
      this.overlay = null
      this.app.topbar.render()
      this.signedIn()
    })
    this.root.append(this.overlay)
  }

  /** The session ended under us (a 401): ask to sign in again. */
  expired() {
    if (this.app.config.publicMap && !this.app.session) return
    this.app.session = null
    this.app.topbar.render()
    this.show()
  }

  async signOut() {
    try {
      await this.app.api.signOut()
    } catch (e) {
      this.app.toasts.show(e)
    }
    // whatever the server said (even nothing, offline): this account's kept answers leave the phone
    await forgetAccountData()
    location.reload()
  }
}
