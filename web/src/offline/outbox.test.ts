import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client.js'
import { retryable } from './outbox.js'

describe('which failed sends the outbox tries again', () => {
  it('again: no answer, a server error, a timeout, too many requests, a session to renew, a busy key', () => {
    for (const e of [
      new ApiError(0, 'network_error', 'cannot reach the server'),
      new ApiError(500, 'internal', 'boom'),
      new ApiError(503, 'database_unavailable', 'down'),
      new ApiError(408, 'http_408', 'timeout'),
      new ApiError(429, 'rate_limited', 'slow down'),
      new ApiError(401, 'unauthorized', 'sign in'),
      new ApiError(409, 'idempotency_key_in_flight', 'still running'),
      new TypeError('Failed to fetch'),
    ])
      expect(retryable(e), String(e)).toBe(true)
  })

  it('never: what the server decided about the record itself', () => {
    for (const e of [
      new ApiError(400, 'too_far', 'you are 4365 m from it'),
      new ApiError(409, 'possible_duplicate', 'an open flag is near'),
      new ApiError(409, 'stale_version', 'changed meanwhile'),
      new ApiError(409, 'patrol_ended', 'ended'),
      new ApiError(403, 'forbidden', 'not yours'),
      new ApiError(415, 'unsupported_photo', 'a text file'),
      new ApiError(422, 'idempotency_key_reused', 'another request'),
    ])
      expect(retryable(e), e.code).toBe(false)
  })
})
