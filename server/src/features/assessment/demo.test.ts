// The demo's scheme and figures: weights that add up, figures that are the same every time and lie
// around the target (above it in the heating season, below it in summer).
import { describe, expect, it } from 'vitest'
import { demoFigure, demoScheme } from './demo.js'

describe('demoScheme', () => {
  it('weighs a township out of 100 and a department on its ledger only', () => {
    const s = demoScheme({ pm10: 'pm10', pm25: 'pm25' })
    const sum = (group: string) =>
      s.indicators.filter((i) => i.appliesTo === 'all' || i.appliesTo === group).reduce((a, i) => a + i.weight, 0)
    expect(sum('township')).toBe(100)
    expect(s.indicators.filter((i) => i.appliesTo === 'all').map((i) => i.kind)).toEqual([
      'ledger_timeliness',
      'ledger_completion',
    ])
  })

  it('leaves out an environment part whose indicator does not exist', () => {
    expect(demoScheme({}).indicators.some((i) => i.kind === 'environment')).toBe(false)
  })
})

describe('demoFigure', () => {
  it('is deterministic and lies within target × season × [0.85, 1.15]', () => {
    expect(demoFigure('410822100', '2026-01', 'pm25', 48)).toBe(demoFigure('410822100', '2026-01', 'pm25', 48))
    const january = demoFigure('410822100', '2026-01', 'pm25', 48)
    expect(january).toBeGreaterThanOrEqual(Math.floor(48 * 1.45 * 0.85 * 10) / 10)
    expect(january).toBeLessThanOrEqual(Math.ceil(48 * 1.45 * 1.15 * 10) / 10)
    const july = demoFigure('410822100', '2026-07', 'pm25', 48)
    expect(july).toBeLessThan(48)
  })
})
