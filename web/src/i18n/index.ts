// The interface language: follows the browser (navigator.language) unless the user picked one with
// the switch (kept in localStorage). Pure helpers are exported for tests.
import { en } from './en.js'
import { fieldEn } from './field-en.js'
import { fieldZh, type FieldMessageKey } from './field-zh.js'
import { inspectEn } from './inspect-en.js'
import { inspectZh, type InspectMessageKey } from './inspect-zh.js'
import { loopEn } from './loop-en.js'
import { loopZh, type LoopMessageKey } from './loop-zh.js'
import { zh, type MapMessageKey } from './zh.js'

export type Lang = 'zh' | 'en'
/** the map's strings (zh.ts) and the accountability loop's (loop-zh.ts), kept apart to stay readable */
export type MessageKey = MapMessageKey | LoopMessageKey | FieldMessageKey | InspectMessageKey
export const MESSAGES: Record<Lang, Record<MessageKey, string>> = {
  zh: { ...zh, ...loopZh, ...fieldZh, ...inspectZh },
  en: { ...en, ...loopEn, ...fieldEn, ...inspectEn },
}

const STORAGE_KEY = 'everyinch.lang'

/** zh for any Chinese browser language, en otherwise. */
export function languageFromBrowser(languages: readonly string[] | undefined): Lang {
  for (const l of languages ?? []) {
    const lower = l.toLowerCase()
    if (lower.startsWith('zh')) return 'zh'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}

export function interpolate(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m))
}

let current: Lang = 'zh'
const listeners = new Set<(lang: Lang) => void>()

export function initLanguage(): Lang {
  let stored: string | null = null
  try {
    stored = localStorage.getItem(STORAGE_KEY)
  } catch {
    // storage disabled: follow the browser
  }
  current =
    stored === 'zh' || stored === 'en'
      ? stored
      : languageFromBrowser(navigator.languages?.length ? navigator.languages : [navigator.language])
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en'
  return current
}

export const lang = () => current

export function setLanguage(next: Lang) {
  current = next
  try {
    localStorage.setItem(STORAGE_KEY, next)
  } catch {
    // not kept: fine
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en'
  for (const l of listeners) l(next)
}

export function onLanguageChange(listener: (lang: Lang) => void) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return interpolate(MESSAGES[current][key], params)
}

/** A translation for a key built at run time (e.g. `role_${role}`), or the fallback. */
export function tKey(key: string, fallback: string, params?: Record<string, string | number>): string {
  const table = MESSAGES[current] as Record<string, string>
  return key in table ? interpolate(table[key]!, params) : fallback
}

export function formatArea(m2: number): string {
  const locale = current === 'zh' ? 'zh-CN' : 'en'
  const fmt = (n: number, digits: number) => n.toLocaleString(locale, { maximumFractionDigits: digits })
  if (m2 >= 1_000_000) return t('area_km2', { n: fmt(m2 / 1_000_000, 2) })
  if (m2 >= 10_000) return t('area_ha', { n: fmt(m2 / 10_000, 1) })
  return t('area_m2', { n: fmt(m2, 0) })
}

/** A coverage percentage as the server gives it (rounded down to two decimals): always two decimals. */
export function formatPct(pct: number): string {
  // the epsilon keeps 99.99 (float 9998.999…) at 99.99; anything under 100 stays under 100
  const shown = pct >= 100 ? 100 : Math.min(99.99, Math.floor(pct * 100 + 1e-6) / 100)
  return t('percent', { n: shown.toFixed(2) })
}

/** The display name of something with a Chinese name and an optional English one. */
export function displayName(item: { name: string; nameEn?: string | null }): string {
  return current === 'en' && item.nameEn ? item.nameEn : item.name
}
