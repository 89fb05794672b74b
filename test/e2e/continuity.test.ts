// The duty-continuity timeline in the popup, in real headless Chromium against the Boai demo: a
// planted shortfall period (fixtures/boai/expected.json `shortfallPeriods`) shows in its cell's timeline.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { idle, launchChromium, openPage, screenshot, skipE2e, waitForMap } from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'
import { ROOT } from '../helpers/templates.js'

interface Planted {
  cellCode: string
  from: string
  to: string
  days: number
  kind: string
  plantedFor: string
  point?: [number, number]
}
const expected = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/boai/expected.json'), 'utf8'))
const planted = (expected.shortfallPeriods.periods as Planted[]).filter((p) => p.plantedFor === 'continuity')

async function clickAt(page: Page, point: [number, number], zoom: number) {
  const before = await page.evaluate(() => window.__everyinch!.popups)
  const xy = await page.evaluate(
    ([lon, lat, z]) => {
      const map = window.__everyinch!.map
      map.jumpTo({ center: [lon!, lat!], zoom: z! })
      const p = map.project([lon!, lat!])
      const r = map.getContainer().getBoundingClientRect()
      return { x: r.left + p.x, y: r.top + p.y }
    },
    [point[0], point[1], zoom],
  )
  await idle(page)
  await page.mouse.click(xy.x, xy.y)
  await page.waitForFunction((n) => window.__everyinch!.popups > n, before)
  return page.locator('[data-testid=accountability]')
}

// The popup grows (and may re-anchor) when the township's figures arrive; a click on the summary at that
// moment lands on the map instead and opens a fresh popup with the section closed. So: wait for the
// figures first, then open the section and check that it is open.
async function openTimeline(popup: Locator, cellCode: string) {
  const figures = popup.locator('[data-testid=township-figures]')
  await figures
    .locator('.fig-title')
    .or(figures.getByText(/No assessment figures yet|暂无考核数据/))
    .waitFor({ timeout: 120_000 })
  const details = popup.locator(`[data-testid=continuity][data-cell="${cellCode}"]`)
  await details.locator('summary').click()
  await popup.locator(`[data-testid=continuity][data-cell="${cellCode}"][open]`).waitFor()
  return details.locator('[data-testid=shortfall-period]')
}

// The popup shows the current year so far; the planted periods lie in the demo's year (2026). The
// server clock stays real (a session cookie set by a clock days behind would be expired in the browser).
const demoYear = expected.referenceDate.slice(0, 4)
const sameYear = new Date().toISOString().slice(0, 4) === demoYear

describe.skipIf(skipE2e || !sameYear)('duty continuity (browser)', () => {
  let server: E2eServer
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
    server = await startE2eServer()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('on a phone, opens a planted cell and sees its shortfall period in the timeline', async () => {
    const gap = planted.find((p) => p.kind === 'understaffed' && p.to < expected.referenceDate)!
    const { context, page, problems } = await openPage(browser, server.url, {
      login: 'demo-viewer',
      viewport: { width: 390, height: 844 },
      isMobile: true,
    })
    await page.goto('/')
    await waitForMap(page, 180_000)
    const popup = await clickAt(page, gap.point!, 15)
    const period = await openTimeline(popup, gap.cellCode)
    // the popup also asks for the township's figures (a whole-county assessment on a single embedded
    // connection), so the timeline may queue behind them on a loaded machine
    await period.first().waitFor({ timeout: 120_000 })
    expect(await period.count()).toBe(1)
    expect(await period.getAttribute('data-from')).toBe(gap.from)
    expect(await period.getAttribute('data-to')).toBe(gap.to)
    expect(await period.innerText()).toContain(String(gap.days))
    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'continuity-phone')
    await screenshot(page, 'continuity-timeline-phone', popup)
    expect(problems).toEqual([])
    await context.close()
  }, 240_000)

  it('in English, shows the period still open today', async () => {
    const open = planted.find((p) => p.to === expected.referenceDate)!
    const { context, page, problems } = await openPage(browser, server.url, { login: 'demo-viewer', locale: 'en-GB' })
    await page.goto('/')
    await waitForMap(page, 180_000)
    const popup = await clickAt(page, open.point!, 15)
    const period = await openTimeline(popup, open.cellCode)
    // the popup also asks for the township's figures (a whole-county assessment on a single embedded
    // connection), so the timeline may queue behind them on a loaded machine
    await period.first().waitFor({ timeout: 120_000 })
    // still open: it runs from its planted start to today
    expect(await period.getAttribute('data-from')).toBe(open.from)
    expect((await period.getAttribute('data-to'))! >= open.to).toBe(true)
    expect(await period.innerText()).toContain('still open')
    await screenshot(page, 'continuity-timeline-en', popup)
    expect(problems).toEqual([])
    await context.close()
  }, 240_000)
})
