import { describe, expect, it } from 'vitest'
import { useServiceDay } from '../../util/service-day.js'
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
  it("writes the instant in the service's time zone once the app knows it, whatever the browser's zone", () => {
    useServiceDay({ timeZone: 'Asia/Shanghai' })
    // a ledger deadline: 18:00 in Shanghai (UTC+8, no summer time) is 10:00 UTC
    expect(formatDateTime('2027-01-07T10:00:00.000Z')).toBe('2027-01-07 18:00')
    // across midnight: 20:30 UTC is 04:30 the next day in Shanghai
    expect(formatDateTime('2026-12-31T20:30:00.000Z')).toBe('2027-01-01 04:30')
    useServiceDay({})
  })
})

describe('urgency', () => {
  it('escalated beats overdue', () => {
    expect(urgency({ escalationLevel: 1, overdue: { ack: true, completion: false, any: true } })).toBe('escalated')
    expect(urgency({ escalationLevel: 0, overdue: { ack: true, completion: false, any: true } })).toBe('overdue')
    expect(urgency({ escalationLevel: 0, overdue: { ack: false, completion: false, any: false } })).toBeNull()
  })
})
