import { describe, expect, it } from 'vitest'
import { formatBytes, formatDateTime, urgency } from './format.js'

describe('formatBytes', () => {
  it('formats sizes', () => {
    expect(formatBytes(500)).toBe('500 B')
    expect(formatBytes(2048)).toBe('2 KB')
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB')
  })
})

describe('formatDateTime', () => {
  it('writes a local date and minute, a dash for none, the text itself when unreadable', () => {
    const d = new Date(2026, 0, 2, 3, 4)
    expect(formatDateTime(d.toISOString())).toBe('2026-01-02 03:04')
    expect(formatDateTime(null)).toBe('—')
    expect(formatDateTime('not a date')).toBe('not a date')
  })
})

describe('urgency', () => {
  it('escalated beats overdue', () => {
    expect(urgency({ escalationLevel: 1, overdue: { ack: true, completion: false, any: true } })).toBe('escalated')
    expect(urgency({ escalationLevel: 0, overdue: { ack: true, completion: false, any: true } })).toBe('overdue')
    expect(urgency({ escalationLevel: 0, overdue: { ack: false, completion: false, any: false } })).toBeNull()
  })
})
