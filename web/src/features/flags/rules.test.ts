import { describe, expect, it } from 'vitest'
import { flagRules, isOpenFilter, needsComment, useFlagRules, type FlagRules } from './rules.js'

// rules as a server might send them, deliberately unlike today's defaults so nothing here can pass by
// reading a constant the web kept for itself
const rules: FlagRules = {
  photos: { maxBytes: 2048, maxCount: 3, types: ['image/png'] },
  commentRequired: ['reject', 'verify'],
  openStates: ['dispatched', 'in_progress'],
}

describe('needsComment', () => {
  it('asks for a comment exactly on the actions the server lists', () => {
    expect(needsComment(rules, 'reject')).toBe(true)
    expect(needsComment(rules, 'verify')).toBe(true)
    expect(needsComment(rules, 'feedback')).toBe(false)
    expect(needsComment(rules, 'register')).toBe(false)
    expect(needsComment({ commentRequired: [] }, 'reject')).toBe(false)
  })
})

describe('isOpenFilter', () => {
  it('recognises the server’s open states in any order, and nothing else', () => {
    expect(isOpenFilter(rules, ['dispatched', 'in_progress'])).toBe(true)
    expect(isOpenFilter(rules, ['in_progress', 'dispatched'])).toBe(true)
    expect(isOpenFilter(rules, ['dispatched'])).toBe(false)
    expect(isOpenFilter(rules, ['dispatched', 'in_progress', 'feedback'])).toBe(false)
    expect(isOpenFilter(rules, ['dispatched', 'closed'])).toBe(false)
    expect(isOpenFilter(rules, undefined)).toBe(false)
  })
})

describe('flagRules', () => {
  it('hands out the rules given at boot', () => {
    useFlagRules(rules)
    expect(flagRules()).toBe(rules)
  })
})
