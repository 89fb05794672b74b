import { describe, expect, it } from 'vitest'
import { yearChoices } from './units-panel.js'

describe('the letters’ year choice', () => {
  it('offers this year and the one before; in January also last year, whose December is due now', () => {
    expect(yearChoices('2026-12-01')).toEqual([2026, 2025])
    expect(yearChoices('2027-01-08')).toEqual([2027, 2026, 2025])
  })
})
