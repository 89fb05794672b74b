import { describe, expect, it } from 'vitest'
import { parseChecklist } from './campaign-form.js'

describe('the checklist as typed', () => {
  it('takes one item a line: the code, then the label; blank lines skipped, a bare code its own label', () => {
    expect(parseChecklist(' A1 工地 围挡\n\nA2\tdust on roads \n  B3  ')).toEqual([
      { code: 'A1', label: '工地 围挡' },
      { code: 'A2', label: 'dust on roads' },
      { code: 'B3', label: 'B3' },
    ])
    expect(parseChecklist('\n  \n')).toEqual([])
  })
})
