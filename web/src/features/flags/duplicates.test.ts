import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/client.js'
import { duplicateCandidates } from './duplicates.js'

describe('duplicateCandidates', () => {
  it('reads the candidates of a 409 possible_duplicate only', () => {
    const c = [
      {
        id: 7,
        category: 'dumping',
        state: 'dispatched',
        description: 'x',
        createdAt: '2026-01-01T00:00:00Z',
        point: [113, 35],
        distanceM: 12.5,
      },
    ]
    expect(duplicateCandidates(new ApiError(409, 'possible_duplicate', 'near', { candidates: c }))).toEqual(c)
    expect(duplicateCandidates(new ApiError(409, 'possible_duplicate', 'near'))).toEqual([])
    expect(duplicateCandidates(new ApiError(409, 'stale_version', 'old'))).toBeNull()
    expect(duplicateCandidates(new Error('x'))).toBeNull()
  })
})
