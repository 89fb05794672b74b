// The duty-continuity view's words, zh and en, kept beside the view (the app's language decides).
import { interpolate, lang } from '../../i18n/index.js'

const zh = {
  title: '值守连续性',
  loading: '正在加载值守记录…',
  shortfalls: '缺岗',
  none: '{from} 以来无缺岗',
  vacant: '无人值守',
  understaffed: '人员不足',
  period: '{from} 至 {to}，{days} 天',
  stillOpen: '至今未补',
  missingChiefs: '缺网格长 {n} 名',
  missingMembers: '缺网格员 {n} 名',
  extraChiefs: '网格长多 {n} 名',
  role_grid_chief: '网格长',
  role_grid_member: '网格员',
  role_specialist: '专管员',
  rule: '要求：网格长 {chiefs} 名，网格员至少 {members} 名',
  axis: '{year} 年',
} as const

export type ContinuityKey = keyof typeof zh

const en: Record<ContinuityKey, string> = {
  title: 'Duty continuity',
  loading: 'Loading the duty record…',
  shortfalls: 'Shortfalls',
  none: 'No shortfall since {from}',
  vacant: 'nobody on duty',
  understaffed: 'understaffed',
  period: '{from} to {to}, {days} days',
  stillOpen: 'still open',
  missingChiefs: '{n} grid chief(s) missing',
  missingMembers: '{n} grid member(s) missing',
  extraChiefs: '{n} grid chief(s) too many',
  role_grid_chief: 'Grid chief',
  role_grid_member: 'Grid members',
  role_specialist: 'Specialists',
  rule: 'Rule: {chiefs} grid chief(s), at least {members} grid member(s)',
  axis: '{year}',
}

export const CONTINUITY_MESSAGES: Record<'zh' | 'en', Record<ContinuityKey, string>> = { zh, en }

export function s(key: ContinuityKey, params?: Record<string, string | number>): string {
  return interpolate(CONTINUITY_MESSAGES[lang()][key], params)
}
