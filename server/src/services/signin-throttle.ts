// Per-address rate limit on sign-in attempts (a sliding one-minute window), on top of the per-account
// lock-out stored with the user. In memory: it protects one process; behind several, put the limit
// in the proxy too.
import { AppError } from '../errors.js'

export function signinThrottle(options: { perMinute: number; now: () => Date }) {
  const attempts = new Map<string, number[]>()
  return {
    check(address: string) {
      const now = options.now().getTime()
      const recent = (attempts.get(address) ?? []).filter((t) => now - t < 60_000)
      if (recent.length >= options.perMinute) {
        const retryAfter = Math.ceil((60_000 - (now - recent[0]!)) / 1000)
        throw new AppError(
          429,
          'signin_rate_limited',
          `too many sign-in attempts from this address; wait ${retryAfter} s`,
          { retryAfter },
        )
      }
      recent.push(now)
      attempts.set(address, recent)
      if (attempts.size > 10_000) attempts.delete(attempts.keys().next().value!)
    },
  }
}
