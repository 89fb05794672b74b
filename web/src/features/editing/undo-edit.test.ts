import { describe, expect, it } from 'vitest'
import { undoChange } from './undo-edit.js'

describe('undoChange', () => {
  it('undoes the saved edit that wrote a version', () => {
    expect(undoChange({ version: 3, editId: 17 })?.change).toEqual({ operation: 'undo', editId: 17 })
  })
  it('offers nothing for a version no saved edit wrote', () => {
    expect(undoChange({ version: 1, editId: null })).toBeNull()
  })
})
