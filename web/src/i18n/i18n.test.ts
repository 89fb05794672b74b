import { describe, expect, it } from 'vitest'
import { en as mapEn } from './en.js'
import { fieldEn } from './field-en.js'
import { fieldZh } from './field-zh.js'
import { inspectEn } from './inspect-en.js'
import { inspectZh } from './inspect-zh.js'
import { loopEn } from './loop-en.js'
import { loopZh } from './loop-zh.js'
import { zh as mapZh } from './zh.js'
import { interpolate, languageFromBrowser } from './index.js'

const zh = { ...mapZh, ...loopZh, ...fieldZh, ...inspectZh }
const en: Record<string, string> = { ...mapEn, ...loopEn, ...fieldEn, ...inspectEn }
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('i18n', () => {
  it('zh and en have exactly the same keys', () => {
    expect(Object.keys(mapEn).sort()).toEqual(Object.keys(mapZh).sort())
    expect(Object.keys(loopEn).sort()).toEqual(Object.keys(loopZh).sort())
    expect(Object.keys(fieldEn).sort()).toEqual(Object.keys(fieldZh).sort())
    expect(Object.keys(inspectEn).sort()).toEqual(Object.keys(inspectZh).sort())
  })

  it('the loop’s strings and the map’s do not share a key', () => {
    expect(Object.keys(loopZh).filter((k) => k in mapZh)).toEqual([])
    expect(Object.keys(fieldZh).filter((k) => k in mapZh || k in loopZh)).toEqual([])
    expect(Object.keys(inspectZh).filter((k) => k in mapZh || k in loopZh || k in fieldZh)).toEqual([])
  })

  it('no string is empty and both languages use the same placeholders', () => {
    for (const key of Object.keys(zh) as (keyof typeof zh)[]) {
      expect(zh[key].trim(), key).not.toBe('')
      expect(en[key]!.trim(), key).not.toBe('')
      expect(placeholders(en[key]!), key).toEqual(placeholders(zh[key]))
    }
  })

  it('follows the browser language: any Chinese locale is zh, else en', () => {
    expect(languageFromBrowser(['zh-CN'])).toBe('zh')
    expect(languageFromBrowser(['zh-TW', 'en'])).toBe('zh')
    expect(languageFromBrowser(['en-GB', 'zh-CN'])).toBe('en')
    expect(languageFromBrowser(['fr-FR', 'zh'])).toBe('zh')
    expect(languageFromBrowser(['de'])).toBe('en')
    expect(languageFromBrowser(undefined)).toBe('en')
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{a} of {b}', { a: 1, b: 'x' })).toBe('1 of x')
    expect(interpolate('{a} {missing}', { a: 1 })).toBe('1 {missing}')
  })
})
