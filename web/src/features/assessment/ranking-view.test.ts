import { describe, expect, it, vi } from 'vitest'
import { setLanguage } from '../../i18n/index.js'
import { changeArrow } from './ranking-view.js'
import { detailText } from './unit-view.js'

describe('the ranking’s change column', () => {
  it('an arrow up for a better score, down for a worse one, = for none, nothing without a last month', () => {
    expect(changeArrow(2.5)).toEqual({ arrow: '▲', tone: 'up' })
    expect(changeArrow(-0.01)).toEqual({ arrow: '▼', tone: 'down' })
    expect(changeArrow(0)).toEqual({ arrow: '=', tone: 'same' })
    expect(changeArrow(null)).toEqual({ arrow: '', tone: 'none' })
  })
})

describe('a drill-down row as text', () => {
  // the language switch marks the page's language: a stand-in page outside a browser
  vi.stubGlobal('document', { documentElement: { lang: '' } })

  it('says where a shortfall and a figure came from, in the interface language', () => {
    setLanguage('en')
    expect(
      detailText({
        row: 'shortfall',
        cellCode: '410822101201',
        from: '2026-10-03',
        to: '2026-10-09',
        days: 7,
        kind: 'vacant',
        missingChiefs: 1,
        missingMembers: 0,
      }),
    ).toBe('Cell 410822101201: 2026-10-03 to 2026-10-09, 7 days, Vacant (nobody responsible)')
    expect(
      detailText({
        row: 'figure',
        indicator: 'pm10',
        value: 82.5,
        target: 80,
        direction: 'lower_is_better',
        source: '',
      }),
    ).toBe('pm10: 82.5, target 80 (source: —)')
    setLanguage('zh')
    expect(detailText({ row: 'cell_days', cells: 24, daysInMonth: 31 })).toBe('24 个网格 × 31 天')
  })
})
