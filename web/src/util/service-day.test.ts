import { afterEach, describe, expect, it } from 'vitest'
import { dayIn, serviceToday, useServiceDay } from './service-day.js'

afterEach(() => useServiceDay({}))

describe('serviceToday', () => {
  // 17:00 UTC on 30 November is 01:00 on 1 December in Shanghai
  const evening = new Date('2026-11-30T17:00:00Z')

  it('is the day in the service time zone, whatever the browser zone', () => {
    expect(dayIn(evening, 'UTC')).toBe('2026-11-30')
    useServiceDay({ timeZone: 'Asia/Shanghai', today: '2026-12-01' }, evening)
    expect(serviceToday(evening)).toBe('2026-12-01')
    // still right after midnight there, with the page left open
    expect(serviceToday(new Date('2026-12-01T16:30:00Z'))).toBe('2026-12-02')
  })

  it("follows the server's day when the browser clock is a day off", () => {
    useServiceDay({ timeZone: 'Asia/Shanghai', today: '2026-12-02' }, evening)
    expect(serviceToday(evening)).toBe('2026-12-02')
  })
})
