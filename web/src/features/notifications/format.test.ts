import { describe, expect, it, vi } from 'vitest'
import type { Notification } from '../../api/types.js'
import { setLanguage } from '../../i18n/index.js'
import { notificationTitle } from './format.js'

const base = {
  id: 1,
  key: 'k',
  reminder: false,
  createdAt: '2026-12-01T02:00:00.000Z',
  readAt: null,
} as const
const c = { timeZone: 'Asia/Shanghai', categoryName: (code: string) => (code === 'other' ? '其他' : code) }

describe('notificationTitle', () => {
  // the language switch marks the page's language: a stand-in page outside a browser
  vi.stubGlobal('document', { documentElement: { lang: '' } })

  it('names the flag, its category and the cell, in either language', () => {
    const n: Notification = {
      ...base,
      kind: 'flag_escalated',
      subject: { type: 'flag', id: 12 },
      payload: { category: 'other', cellCode: 'C01', limit: 'ack' },
    }
    setLanguage('zh')
    expect(notificationTitle(n, c)).toBe('问题 #12（其他）签收超时，已上报到 C01')
    setLanguage('en')
    expect(notificationTitle(n, c)).toBe('Flag #12 (其他) escalated to C01: acknowledgement limit missed')
  })

  it('a ledger deadline in the service time zone; patrols with the visits still owed', () => {
    setLanguage('en')
    const due: Notification = {
      ...base,
      kind: 'deadline_soon',
      reminder: true,
      subject: { type: 'ledger_entry', id: 3 },
      // 10:00 UTC is 18:00 in Shanghai
      payload: { limit: 'ledger', dueAt: '2026-11-06T10:00:00.000Z', measureCode: 'AIR-1', month: '2026-10' },
    }
    expect(notificationTitle(due, c)).toBe('Ledger AIR-1 (2026-10) due 06/11, 18:00, not handed in')
    const patrol: Notification = {
      ...base,
      kind: 'patrol_due',
      reminder: true,
      subject: { type: 'supervised_object', id: 5 },
      payload: { objectCode: 'O1', objectName: '锅炉', cellCode: 'PT-A', requiredVisits: 4, visitsMade: 1 },
    }
    expect(notificationTitle(patrol, c)).toBe('锅炉 (PT-A): 1 of 4 patrols this month, 3 to go')
  })
})
