import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/client.js'
import { actionsFor, checkPhotoFiles, duplicateCandidates, formatBytes, urgency } from './rules.js'

describe('actionsFor', () => {
  it('offers what the state allows and the role may do', () => {
    const reported = { allowedActions: ['register', 'reject'] }
    expect(actionsFor('admin', reported)).toEqual(['register', 'reject'])
    expect(actionsFor('inspector', reported)).toEqual([])
    const dispatched = { allowedActions: ['acknowledge'] }
    expect(actionsFor('supervisor', dispatched)).toEqual(['acknowledge'])
    expect(actionsFor('viewer', dispatched)).toEqual([])
    const feedback = { allowedActions: ['verify', 'return'] }
    expect(actionsFor('inspector', feedback)).toEqual(['verify', 'return'])
    expect(actionsFor('supervisor', feedback)).toEqual([])
    expect(actionsFor(null, feedback)).toEqual([])
  })

  it('ignores actions it does not know (dispatch is the system’s)', () => {
    expect(actionsFor('admin', { allowedActions: ['dispatch'] })).toEqual([])
  })
})

describe('checkPhotoFiles', () => {
  const f = (name: string, type: string, size: number) => ({ name, type, size })
  const limits = { maxBytes: 1000, maxCount: 2, types: ['image/jpeg', 'image/png', 'image/webp'] }

  it('accepts JPEG, PNG and WebP within the size and count, in order', () => {
    const r = checkPhotoFiles(
      [f('a.jpg', 'image/jpeg', 10), f('b.png', 'image/png', 1000), f('c.webp', 'image/webp', 5)],
      limits,
    )
    expect(r.accepted.map((x) => x.name)).toEqual(['a.jpg', 'b.png'])
    expect(r.problems).toEqual([{ name: 'c.webp', reason: 'count' }])
  })

  it('says which file is refused and why', () => {
    const r = checkPhotoFiles(
      [f('x.heic', 'image/heic', 10), f('big.jpg', 'image/jpeg', 1001), f('y.gif', 'image/gif', 1)],
      limits,
    )
    expect(r.accepted).toEqual([])
    expect(r.problems).toEqual([
      { name: 'x.heic', reason: 'type' },
      { name: 'big.jpg', reason: 'size' },
      { name: 'y.gif', reason: 'type' },
    ])
  })

  it('formats sizes', () => {
    expect(formatBytes(500)).toBe('500 B')
    expect(formatBytes(2048)).toBe('2 KB')
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB')
  })
})

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
    expect(duplicateCandidates(new ApiError(409, 'stale_version', 'old'))).toBeNull()
    expect(duplicateCandidates(new Error('x'))).toBeNull()
  })
})

describe('urgency', () => {
  it('escalated beats overdue', () => {
    expect(urgency({ escalationLevel: 1, overdue: { ack: true, completion: false, any: true } })).toBe('escalated')
    expect(urgency({ escalationLevel: 0, overdue: { ack: true, completion: false, any: true } })).toBe('overdue')
    expect(urgency({ escalationLevel: 0, overdue: { ack: false, completion: false, any: false } })).toBeNull()
  })
})
