// The demo's assessment: the 2026 scheme and monthly PM10/PM2.5 means per township for the months of
// 2026 before today's month, so a new user sees a real ranking. The figures are deterministic: each
// township's letter target (or a county default) × a seasonal factor (winter heating raises particulate
// levels in northern Henan, summer rain lowers them) × a per-township, per-month factor taken from a hash
// of (unit, month, indicator) — the same demo every time, no randomness. Loading twice writes nothing new.
import type { Kysely } from 'kysely'
import type { SchemeBody } from '../../contract/assessment.js'
import type { DB } from '../../db/schema.js'
import { SYSTEM_ACTOR } from '../../db/repositories/audit.repository.js'
import { isoDay } from '../../services/dates.js'
import * as repo from './repository.js'
import { letterTargets } from './repository-facts.js'
import { putScheme, writeFigures, type FigureInput } from './service-scheme.js'

export const DEMO_YEAR = 2026

/**
 * The demo scheme. Townships: the ledger counts for half (timeliness 25, completion 25), flags for 20
 * (closure 10, on time 10), the grid itself for 15 (gaps 5, vacancy 5, understaffing 5), air quality for
 * 15 against the letter's targets (PM2.5 10, PM10 5). Departments have no land: only their ledger counts.
 * Red and black lists: three each.
 */
export function demoScheme(pm: { pm10?: string; pm25?: string }): SchemeBody {
  const ind = (
    code: string,
    kind: SchemeBody['indicators'][number]['kind'],
    name: string,
    nameEn: string,
    weight: number,
    appliesTo: 'all' | 'township',
    indicatorCode?: string,
  ) => ({
    code,
    kind,
    name,
    nameEn,
    weight,
    appliesTo,
    ...(indicatorCode ? { indicatorCode } : {}),
  })
  return {
    redListSize: 3,
    blackListSize: 3,
    indicators: [
      ind('ledger_timeliness', 'ledger_timeliness', '台账报送及时率', 'Ledger timeliness', 25, 'all'),
      ind('ledger_completion', 'ledger_completion', '台账任务完成率', 'Ledger completion', 25, 'all'),
      ind('flag_closure', 'flag_closure', '问题办结率', 'Flag closure', 10, 'township'),
      ind('flag_on_time', 'flag_on_time', '问题按时办结率', 'Flags closed on time', 10, 'township'),
      ind('gap_area', 'gap_area', '网格覆盖空白', 'Coverage gaps', 5, 'township'),
      ind('vacancy_days', 'vacancy_days', '网格空岗天数', 'Vacancy days', 5, 'township'),
      ind('understaffed_days', 'understaffed_days', '网格缺员天数', 'Understaffed days', 5, 'township'),
      ...(pm.pm25 ? [ind('pm25', 'environment', 'PM2.5月均浓度', 'PM2.5 monthly mean', 10, 'township', pm.pm25)] : []),
      ...(pm.pm10 ? [ind('pm10', 'environment', 'PM10月均浓度', 'PM10 monthly mean', 5, 'township', pm.pm10)] : []),
    ],
  }
}

// monthly factor on the annual target: heating season high, rainy summer low (mean ≈ 1)
const SEASON = [1.45, 1.3, 1.1, 0.95, 0.85, 0.75, 0.7, 0.72, 0.8, 0.95, 1.15, 1.35]
// county defaults (µg/m³) when a township's letter sets no target
const DEFAULT_TARGET: Record<'pm10' | 'pm25', number> = { pm10: 85, pm25: 48 }

/** FNV-1a, 32 bits: a stable number from a text. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

/** PM means of one township and month: target × season × 0.85..1.15 from the hash, one decimal. */
export function demoFigure(unitCode: string, month: string, indicator: string, target: number): number {
  const season = SEASON[Number(month.slice(5, 7)) - 1]!
  const spread = 0.85 + (0.3 * hash(`${unitCode}|${month}|${indicator}`)) / 0xffffffff
  return Math.round(target * season * spread * 10) / 10
}

export async function loadAssessmentDemo(
  db: Kysely<DB>,
  now: Date,
  timeZone = 'Asia/Shanghai',
): Promise<{ scheme: boolean; figures: number }> {
  const known = new Set((await repo.findIndicators(db, ['pm10', 'pm25'])).map((i) => i.code))
  const pm = { pm10: known.has('pm10') ? 'pm10' : undefined, pm25: known.has('pm25') ? 'pm25' : undefined }
  let scheme = false
  if (!(await repo.findScheme(db, DEMO_YEAR))) {
    await putScheme(db, DEMO_YEAR, demoScheme(pm), SYSTEM_ACTOR, now)
    scheme = true
  }
  const today = isoDay(now, timeZone)
  const lastMonth =
    today.slice(0, 4) > String(DEMO_YEAR) ? 12 : today.startsWith(String(DEMO_YEAR)) ? Number(today.slice(5, 7)) - 1 : 0
  const indicators = (['pm10', 'pm25'] as const).filter((c) => known.has(c))
  if (lastMonth === 0 || indicators.length === 0) return { scheme, figures: 0 }

  const townships = (await repo.listUnits(db)).filter((u) => u.kind === 'township')
  const targets = new Map(
    (await letterTargets(db, DEMO_YEAR)).map((t) => [`${t.unit_id}|${t.indicator_code}`, Number(t.target_value)]),
  )
  const existing = new Set(
    (await repo.listFigures(db, { from: `${DEMO_YEAR}-01-01`, to: `${DEMO_YEAR}-12-01` })).map(
      (f) => `${f.unit_id}|${String(f.month).slice(0, 7)}|${f.indicator_code}`,
    ),
  )
  const rows: FigureInput[] = []
  for (let m = 1; m <= lastMonth; m++) {
    const month = `${DEMO_YEAR}-${String(m).padStart(2, '0')}`
    for (const unit of townships)
      for (const indicator of indicators) {
        if (existing.has(`${unit.id}|${month}|${indicator}`)) continue
        const target = targets.get(`${unit.id}|${indicator}`) ?? DEFAULT_TARGET[indicator]
        rows.push({
          where: `${unit.code} ${month} ${indicator}`,
          unit: unit.code,
          month,
          indicator,
          value: demoFigure(unit.code, month, indicator, target),
          source: '县环境监测站（演示数据）',
        })
      }
  }
  if (rows.length === 0) return { scheme, figures: 0 }
  const { written } = await writeFigures(db, rows, SYSTEM_ACTOR, now, 'import')
  return { scheme, figures: written }
}
