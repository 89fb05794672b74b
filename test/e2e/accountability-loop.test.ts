// The accountability loop in real headless Chromium against the real server on the Boai demo: a unit
// officer on a phone fills their unit's ledger for a month (a photo included) and submits it; the line's
// lead unit returns one entry with a reason and accepts another; another township misses the deadline
// (the server's clock passes it, escalation runs) and its entry shows as overdue; an admin closes the
// month; the dashboard ranks the townships as the API does; a tap on a township shows its figures; the
// bulletin downloads as XLSX and PDF whose figures equal the API's. Every screen is shot in zh and en
// (test-artifacts/screenshots/loop-*.png). Waits are on the app's DOM state, never on fixed times.
import { execFileSync } from 'node:child_process'
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { Measure, Plan } from '../../server/src/contract/units.js'
import type { Indicator, LedgerEntry, LedgerList, MonthAssessment, Unit } from '../../web/src/api/types.js'
import { apiAs, idle, launchChromium, openPage, screenshot, skipE2e, waitForMap } from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'
import { ROOT } from '../helpers/templates.js'

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true }
// a real 1×1 PNG: the server checks evidence by its content
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

interface Expected {
  staffedPoint: { point: [number, number]; cellCode: string }
}

/** Fonts for new text load on demand: wait until the page has them and has painted. */
async function settle(page: Page) {
  await page.evaluate(async () => {
    await document.fonts.ready
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
    await document.fonts.ready
  })
}

/** Labels, names and alternatives the way axe checks them: every control in `scope` can be told apart. */
async function unlabelled(page: Page, scope: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel)
    if (!root) return [`${sel} missing`]
    const problems: string[] = []
    for (const el of root.querySelectorAll<HTMLInputElement>('input, select, textarea')) {
      const named = (el.labels?.length ?? 0) > 0 || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
      if (!named) problems.push(`${el.tagName.toLowerCase()}#${el.id} has no label`)
    }
    for (const el of root.querySelectorAll<HTMLElement>('button, a[href]'))
      if (!(el.textContent ?? '').trim() && !el.getAttribute('aria-label'))
        problems.push(`${el.outerHTML.slice(0, 60)} has no name`)
    for (const img of root.querySelectorAll('img')) if (!img.getAttribute('alt')) problems.push('img without alt')
    for (const c of root.querySelectorAll('canvas'))
      if (c.getAttribute('role') !== 'img' || !c.getAttribute('aria-label'))
        problems.push('chart without a text alternative')
    for (const th of root.querySelectorAll('th')) if (!th.getAttribute('scope')) problems.push('th without scope')
    return problems
  }, scope)
}

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

async function switchLanguage(page: Page, to: 'zh' | 'en') {
  const now = await page.evaluate(() => document.documentElement.lang)
  if (now.startsWith(to)) return
  await page.click('[data-testid=lang-switch]')
  await page.waitForFunction((l) => document.documentElement.lang.startsWith(l), to)
}

/** A value the indicator takes (its planned value when it has one). */
function valueFor(e: LedgerEntry): number {
  const { minValue, maxValue } = e.measure.indicator
  let v = e.plannedValue ?? e.measure.targetValue
  if (minValue !== null && v < minValue) v = minValue
  if (maxValue !== null && v > maxValue) v = maxValue
  return v
}

describe.skipIf(skipE2e)('the accountability loop (browser)', () => {
  let server: E2eServer
  let browser: Browser
  let x: Expected

  beforeAll(async () => {
    x = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/boai/expected.json'), 'utf8')) as Expected
    browser = await launchChromium()
    server = await startE2eServer()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('ledger, review, deadline, close, ranking, township figures and the bulletin', async () => {
    // ---- the world: two measures of the air line (led by 生态环境局, demo-reviewer's unit), carried
    // by the officer's township and one other, so this month has entries to fill whatever the demo holds
    const admin = await apiAs(server.url, 'demo-admin')
    const officerApi = await apiAs(server.url, 'demo-unit')
    const today = (await admin.get<{ today: string }>('/api/map-config')).today
    const year = Number(today.slice(0, 4))
    const month = today.slice(0, 7)
    const [mine] = await officerApi.get<Unit[]>('/api/units/mine')
    expect(mine, 'demo-unit is an officer of a township').toBeDefined()
    const units = await admin.get<Unit[]>('/api/units')
    const other = units.find((u) => u.kind === 'township' && u.code !== mine!.code)!
    const lead = units.find((u) => u.leads.includes('air'))!
    const indicators = await admin.get<Indicator[]>('/api/indicators')
    const indicator = indicators.find((i) => i.minValue !== null && i.minValue >= 0) ?? indicators[0]!
    let plan = (await admin.get<Plan[]>(`/api/plans?year=${year}`)).find((p) => p.lineCode === 'air')
    plan ??= await admin.post<Plan>('/api/plans', { lineCode: 'air', year, title: `${year} 大气污染防治` })
    const measure = (code: string, title: string) =>
      admin.post<Measure>(`/api/plans/${plan!.id}/measures`, {
        code,
        title,
        titleEn: `E2E ${code}`,
        leadUnitCode: lead.code,
        indicatorCode: indicator.code,
        targetValue: 12,
        responsiblePersonId: lead.head!.id,
        unitCodes: [mine!.code, other.code],
        milestones: [{ month: Number(month.slice(5)), description: '完成本月巡查并上报台账', plannedValue: 1 }],
      })
    const toReturn = await measure('E2E-1', '裸露土地苫盖巡查')
    const toAccept = await measure('E2E-2', '餐饮油烟净化设施检查')

    const officerEntries = (await officerApi.get<LedgerList>(`/api/ledgers?month=${month}`)).entries.filter(
      (e) => e.unit.code === mine!.code && (e.state === 'draft' || e.state === 'returned'),
    )
    const entryOf = (m: { id: number }, unit: string) =>
      admin.get<LedgerList>(`/api/ledgers?month=${month}&unit=${unit}&measure=${m.id}`).then((l) => l.entries[0]!)
    const returnEntry = await entryOf(toReturn, mine!.code)
    const acceptEntry = await entryOf(toAccept, mine!.code)
    const missedEntry = await entryOf(toReturn, other.code)
    expect(officerEntries.map((e) => e.id)).toEqual(expect.arrayContaining([returnEntry.id, acceptEntry.id]))

    // ---- 1. the unit officer, on a phone, fills the month's ledger (a photo on the first entry) ------
    const phone = await openPage(browser, server.url, { login: 'demo-unit', ...PHONE })
    const p = phone.page
    await p.goto('/')
    await waitForMap(p)
    await p.click('[data-panel=ledger]')
    await p.locator('[data-tab=mine][aria-pressed=true]').waitFor()
    await p.fill('[data-testid=ledger-month]', month)
    const list = p.locator('[data-testid=ledger-list]')
    await list.locator(`button[data-entry="${returnEntry.id}"]`).waitFor()
    expect(await noSideScroll(p)).toBe(true)
    await settle(p)
    await screenshot(p, 'loop-ledger-phone-zh')
    let first = true
    for (const e of officerEntries) {
      await list.locator(`button[data-entry="${e.id}"]`).click()
      await p.locator(`[data-testid=ledger-entry][data-entry="${e.id}"] [data-testid=ledger-form]`).waitFor()
      await p.fill('[data-testid=ledger-value]', String(valueFor(e)))
      await p.fill('[data-testid=ledger-text]', `${e.measure.code}：本月已按节点完成，见佐证材料。`)
      await p.selectOption('[data-testid=ledger-progress]', 'on_track')
      if (first) {
        await p.setInputFiles('[data-testid=ledger-evidence]', { name: 'site.png', mimeType: 'image/png', buffer: PNG })
        await p.locator('[data-testid=ledger-evidence-list] li img').waitFor()
        // what was typed before the upload is still there
        expect(await p.inputValue('[data-testid=ledger-value]')).toBe(String(valueFor(e)))
        expect(await unlabelled(p, '[data-testid=ledger-panel]')).toEqual([])
        expect(await noSideScroll(p)).toBe(true)
        await p.locator('[data-testid=ledger-submit]').scrollIntoViewIfNeeded()
        await settle(p)
        await screenshot(p, 'loop-entry-form-phone-zh')
        first = false
      }
      await p.click('[data-testid=ledger-submit]')
      await p.locator(`[data-testid=ledger-entry][data-entry="${e.id}"][data-state=submitted]`).waitFor()
      await p.click('[data-testid=ledger-back]')
      await list.locator(`button[data-entry="${e.id}"][data-state=submitted]`).waitFor()
    }
    const submitted = await officerApi.get<LedgerList>(`/api/ledgers?month=${month}&unit=${mine!.code}`)
    for (const e of submitted.entries.filter((s) => officerEntries.some((o) => o.id === s.id))) {
      expect(e.state).toBe('submitted')
      expect(e.onTime).toBe(true)
    }
    expect((await admin.get<{ evidence: unknown[] }>(`/api/ledgers/${officerEntries[0]!.id}`)).evidence).toHaveLength(1)

    // ---- 2. the lead unit's reviewer returns one entry with a reason and accepts another -------------
    const desk = await openPage(browser, server.url, { login: 'demo-reviewer' })
    const d = desk.page
    await d.goto('/')
    await waitForMap(d)
    await d.click('[data-panel=ledger]')
    await d.click('[data-tab=review]')
    const queue = d.locator('[data-testid=ledger-list]')
    await queue.locator(`button[data-entry="${returnEntry.id}"]`).waitFor()
    await settle(d)
    await screenshot(d, 'loop-review-queue-zh')
    await queue.locator(`button[data-entry="${returnEntry.id}"]`).click()
    await d.locator(`[data-testid=ledger-entry][data-entry="${returnEntry.id}"] [data-testid=ledger-review]`).waitFor()
    const reason = '佐证照片看不清苫盖范围，请补充全景照片。'
    await d.fill('[data-testid=ledger-reason]', reason)
    expect(await unlabelled(d, '[data-testid=ledger-panel]')).toEqual([])
    await settle(d)
    await screenshot(d, 'loop-review-entry-zh')
    await d.click('[data-testid=ledger-return]')
    await d.locator(`[data-testid=ledger-entry][data-entry="${returnEntry.id}"][data-state=returned]`).waitFor()
    expect(await d.locator('[data-testid=ledger-return-reason]').innerText()).toContain(reason)
    await d.click('[data-testid=ledger-back]')
    await queue.locator(`button[data-entry="${acceptEntry.id}"]`).click()
    await d.locator(`[data-testid=ledger-entry][data-entry="${acceptEntry.id}"] [data-testid=ledger-accept]`).waitFor()
    await switchLanguage(d, 'en')
    await settle(d)
    await screenshot(d, 'loop-review-entry-en')
    await d.click('[data-testid=ledger-accept]')
    await d.locator(`[data-testid=ledger-entry][data-entry="${acceptEntry.id}"][data-state=accepted]`).waitFor()
    expect(desk.problems).toEqual([])
    await desk.context.close()
    expect((await admin.get<LedgerEntry>(`/api/ledgers/${returnEntry.id}`)).returnReason).toBe(reason)
    expect((await admin.get<LedgerEntry>(`/api/ledgers/${acceptEntry.id}`)).state).toBe('accepted')

    // the officer's phone shows the entry came back, and why
    await p.click('[data-tab=mine]') // the tab loads its list again
    await list
      .locator(`button[data-entry="${returnEntry.id}"][data-state=returned] [data-testid=entry-return-reason]`)
      .waitFor()
    await switchLanguage(p, 'en')
    await list.locator(`button[data-entry="${returnEntry.id}"] [data-testid=entry-return-reason]`).waitFor()
    await settle(p)
    await screenshot(p, 'loop-ledger-returned-phone-en')
    expect(phone.problems).toEqual([])
    await phone.context.close()
    await officerApi.dispose()
    await admin.dispose()

    // ---- 3. the other township misses the deadline: the server's clock passes it, escalation runs ----
    server.clock.set(new Date(Date.parse(missedEntry.dueAt) + 60 * 60_000))
    const later = await apiAs(server.url, 'demo-admin')
    const run = await later.post<{ escalated: { entryId: number }[] }>('/api/ledgers/escalate', {})
    expect(run.escalated.map((e) => e.entryId)).toContain(missedEntry.id)
    const missed = await later.get<LedgerEntry>(`/api/ledgers/${missedEntry.id}`)
    expect(missed).toMatchObject({ state: 'draft', overdue: true, escalationLevel: 1 })
    // on time, still: what the officer submitted before the deadline
    expect((await later.get<LedgerEntry>(`/api/ledgers/${acceptEntry.id}`)).onTime).toBe(true)

    // ---- 4. an admin sees it overdue, closes the month, and the dashboard ranks the townships --------
    const adminPage = await openPage(browser, server.url, { login: 'demo-admin', locale: 'en-GB' })
    const a = adminPage.page
    await a.goto('/')
    await waitForMap(a)
    await a.click('[data-panel=ledger]')
    await a.click('[data-tab=all]')
    await a.fill('[data-testid=ledger-month]', month)
    const overdueCell = a.locator(`[data-testid=ledger-summary] tr[data-unit="${other.code}"] td.late`)
    await overdueCell.waitFor()
    await a.locator(`[data-testid=ledger-summary] tr[data-unit="${other.code}"] button`).click()
    await a
      .locator(`[data-testid=ledger-list] button[data-entry="${missedEntry.id}"] [data-testid=entry-overdue]`)
      .waitFor()
    await settle(a)
    await screenshot(a, 'loop-overdue-en')
    await switchLanguage(a, 'zh')
    await a
      .locator(`[data-testid=ledger-list] button[data-entry="${missedEntry.id}"] [data-testid=entry-overdue]`)
      .waitFor()
    await settle(a)
    await screenshot(a, 'loop-overdue-zh')
    await switchLanguage(a, 'en')

    await a.click('[data-panel=assessment]')
    await a.fill('[data-testid=assess-month]', month)
    await a.locator(`[data-testid=assess-ranking][data-month="${month}"][data-closed=false]`).waitFor()
    await a.click('[data-testid=assess-close]')
    await a.click('[data-testid=assess-close-confirm]')
    await a.locator(`[data-testid=assess-ranking][data-month="${month}"][data-closed=true]`).waitFor()
    await a.locator('[data-testid=assess-closed]').waitFor()
    const api = await later.get<MonthAssessment>(`/api/assessment/${month}`)
    expect(api.closed).toBe(true)
    expect(api.groups.township.length).toBeGreaterThan(1)
    const shown = await a.locator('[data-testid=ranking-township] tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        code: r.getAttribute('data-unit'),
        rank: r.getAttribute('data-rank'),
        score: r.getAttribute('data-score'),
      })),
    )
    expect(shown).toEqual(
      api.groups.township.map((r) => ({ code: r.unit.code, rank: String(r.rank ?? ''), score: String(r.score ?? '') })),
    )
    // ranked best first, ties sharing a rank
    const scores = api.groups.township.filter((r) => r.score !== null).map((r) => r.score!)
    expect(scores).toEqual([...scores].sort((s, t) => t - s))
    await a.locator('[data-testid=score-chart-township] canvas[data-drawn]').waitFor()
    expect(await unlabelled(a, '[data-testid=assessment-panel]')).toEqual([])
    await settle(a)
    await screenshot(a, 'loop-dashboard-en')

    // a score explains itself: the drill-down lists the entries it came from; the trend is drawn
    await a.click(`[data-testid=ranking-township] [data-open-unit="${other.code}"]`)
    await a.locator(`[data-testid=drill-down][data-unit="${other.code}"]`).waitFor()
    await a.locator('[data-testid=trend-chart] canvas[data-drawn]').waitFor()
    const drill = a.locator('[data-part] details')
    for (let i = 0; i < (await drill.count()); i++)
      await drill.nth(i).evaluate((el) => ((el as HTMLDetailsElement).open = true))
    await settle(a)
    await screenshot(a, 'loop-drilldown-en')
    await switchLanguage(a, 'zh')
    await a.click('[data-testid=assess-back]')
    await a.locator('[data-testid=score-chart-township] canvas[data-drawn]').waitFor()
    await settle(a)
    await screenshot(a, 'loop-dashboard-zh')

    // ---- 5. the bulletin, as XLSX and PDF: the figures equal the API's ---------------------------------
    const dir = mkdtempSync(path.join(tmpdir(), 'everyinch-bulletin-'))
    try {
      const download = async (format: 'xlsx' | 'pdf') => {
        const [file] = await Promise.all([a.waitForEvent('download'), a.click(`[data-testid=bulletin-${format}]`)])
        expect(file.suggestedFilename()).toBe(`bulletin-${month}.${format}`)
        const to = path.join(dir, file.suggestedFilename())
        await file.saveAs(to)
        return to
      }
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.readFile(await download('xlsx'))
      const sheet = workbook.worksheets.find((s) => s.name.startsWith('乡镇排名'))!
      expect(sheet, 'the township ranking sheet').toBeDefined()
      const sheetRows: { rank: unknown; name: unknown; score: unknown }[] = []
      sheet.eachRow((row, n) => {
        if (n > 1)
          sheetRows.push({ rank: row.getCell(1).value, name: row.getCell(2).value, score: row.getCell(3).value })
      })
      expect(sheetRows).toEqual(api.groups.township.map((r) => ({ rank: r.rank, name: r.unit.name, score: r.score })))
      const overdueSheet = workbook.worksheets.find((s) => s.name.startsWith('逾期台账明细'))!
      const overdueRows: string[] = []
      overdueSheet.eachRow((row) => overdueRows.push(`${String(row.getCell(1).value)}|${String(row.getCell(2).value)}`))
      expect(overdueRows).toContain(`${other.name}|${toReturn.code}`)

      const text = execFileSync('pdftotext', ['-layout', await download('pdf'), '-'], { encoding: 'utf8' })
      expect(text).toContain('环境网格化监管考核通报')
      for (const r of api.groups.township.filter((row) => row.score !== null)) {
        const line = text.split('\n').find((l) => l.includes(r.unit.name) && l.includes(r.score!.toFixed(2)))
        expect(line, `${r.unit.name} ${r.score} in the PDF`).toBeDefined()
        expect(line!.trim().startsWith(String(r.rank))).toBe(true)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }

    // ---- 6. units and letters: a unit's letter and its progress month by month -------------------------
    await a.click('[data-panel=units]')
    await a.locator(`[data-testid=units-township] button[data-unit="${mine!.code}"]`).click()
    await a.locator(`[data-testid=unit-page][data-unit="${mine!.code}"] [data-testid=letter]`).waitFor()
    expect(await unlabelled(a, '[data-testid=units-panel]')).toEqual([])
    await settle(a)
    await screenshot(a, 'loop-unit-letter-zh')
    await switchLanguage(a, 'en')
    await settle(a)
    await screenshot(a, 'loop-unit-letter-en')
    expect(adminPage.problems).toEqual([])
    await adminPage.context.close()

    // ---- 7. a tap on the map: the township's score, rank, ledger and vacancy-days ----------------------
    const acc = await later.get<{ chain: { level: number; cell: { code: string } }[] }>(
      `/api/accountability?lon=${x.staffedPoint.point[0]}&lat=${x.staffedPoint.point[1]}`,
    )
    const township = acc.chain.find((l) => l.level === 2)!.cell.code
    const row = api.groups.township.find((r) => r.unit.code === township)!
    const viewer = await openPage(browser, server.url, { login: 'demo-reviewer' })
    const v = viewer.page
    await v.goto('/')
    await waitForMap(v)
    const at = await v.evaluate(([lon, lat]) => {
      const map = window.__everyinch!.map
      map.jumpTo({ center: [lon!, lat!], zoom: 14 })
      // the point near the top: the popup opens below it, with room for the township's figures
      map.panBy([0, 280], { duration: 0 })
      const xy = map.project([lon!, lat!])
      const r = map.getContainer().getBoundingClientRect()
      return { x: r.left + xy.x, y: r.top + xy.y }
    }, x.staffedPoint.point)
    await idle(v)
    await v.mouse.click(at.x, at.y)
    const figures = v.locator(`[data-testid=township-figures][data-township="${township}"]`)
    await figures.locator('[data-testid=township-score]').waitFor()
    expect(await figures.locator('[data-testid=township-score]').innerText()).toBe(String(row.score ?? '—'))
    expect(await figures.locator('[data-testid=township-rank]').innerText()).toContain(String(row.rank))
    const vacancy = await later.get<{ townships: { township: { code: string }; vacantDays: number }[] }>(
      `/api/continuity/vacancy-days?month=${month}`,
    )
    const vacant = vacancy.townships.find((t) => t.township.code === township)!.vacantDays
    expect(await figures.locator('[data-testid=township-vacancy]').innerText()).toContain(String(vacant))
    await settle(v)
    await screenshot(v, 'loop-township-popup-zh')
    await switchLanguage(v, 'en')
    await figures.locator('[data-testid=township-score]').waitFor()
    await settle(v)
    await screenshot(v, 'loop-township-popup-en')
    expect(viewer.problems).toEqual([])
    await viewer.context.close()

    // ---- 8. the dashboard on a phone --------------------------------------------------------------------
    const small = await openPage(browser, server.url, { login: 'demo-unit', ...PHONE })
    await small.page.goto('/#panel=assessment')
    await waitForMap(small.page)
    await small.page.locator(`[data-testid=assess-ranking][data-month="${month}"]`).waitFor()
    await small.page.locator('[data-testid=score-chart-township] canvas[data-drawn]').waitFor()
    expect(await noSideScroll(small.page)).toBe(true)
    await settle(small.page)
    await screenshot(small.page, 'loop-dashboard-phone-zh')
    expect(small.problems).toEqual([])
    await small.context.close()
    await later.dispose()
  }, 900_000)
})
