// The notifications bell in real headless Chromium on the Boai demo: a flag dispatched to the demo
// supervisor's cell shows in their bell (badge = unread count, the item titled in the interface
// language); clicking it marks it read (the badge goes down by one) and opens the flag in the flags panel.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { apiAs, launchChromium, openPage, screenshot, skipE2e, waitForMap } from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'
import { ROOT } from '../helpers/templates.js'

interface Expected {
  staffedPoint: { point: [number, number]; cellCode: string }
}
interface Notification {
  id: number | null
  kind: string
  subject: { type: string; id: number }
  readAt: string | null
}

describe.skipIf(skipE2e)('notifications bell (browser)', () => {
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

  it('a dispatched flag rings the bell; clicking it marks it read and opens the flag', async () => {
    const inspector = await apiAs(server.url, 'demo-inspector')
    const admin = await apiAs(server.url, 'demo-admin')
    const supervisor = await apiAs(server.url, 'demo-supervisor')
    const flag = await inspector.post<{ id: number; version: number }>('/api/flags', {
      category: 'dumping',
      lon: x.staffedPoint.point[0],
      lat: x.staffedPoint.point[1],
      description: '路边堆放建筑垃圾',
    })
    await admin.post(`/api/flags/${flag.id}/register`, { version: flag.version })
    const before = await supervisor.get<{ unread: number }>('/api/notifications/summary')
    expect(before.unread).toBeGreaterThanOrEqual(1)

    const { context, page, problems } = await openPage(browser, server.url, { login: 'demo-supervisor' })
    await page.goto('/')
    await waitForMap(page)
    const badge = page.locator('[data-testid=bell-badge]')
    await badge.waitFor()
    expect(await badge.innerText()).toBe(before.unread > 99 ? '99+' : String(before.unread))

    await page.click('[data-testid=bell]')
    const item = page.locator(`[data-testid=bell-panel] .bell-item[data-kind=flag_dispatched]`).first()
    await item.waitFor()
    expect(await item.innerText()).toContain(
      `问题 #${flag.id}（垃圾倾倒（暴露垃圾））已派发到 ${x.staffedPoint.cellCode}`,
    )
    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'notifications-bell')

    await item.click()
    await page.locator(`[data-testid=flag-detail][data-flag="${flag.id}"]`).waitFor()
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid=bell-badge]')?.textContent === String(n),
      before.unread - 1,
    )
    const mine = await supervisor.get<{ items: Notification[] }>('/api/notifications?limit=200')
    const event = mine.items.find((n) => n.kind === 'flag_dispatched' && n.subject.id === flag.id)!
    expect(event.readAt).not.toBeNull()
    await screenshot(page, 'notifications-opened-flag')
    expect(problems).toEqual([])
    for (const a of [inspector, admin, supervisor]) await a.dispose()
    await context.close()
  })

  it('on a phone, in English: the bell and its panel fit the screen', async () => {
    const admin = await apiAs(server.url, 'demo-admin')
    const inspector = await apiAs(server.url, 'demo-inspector')
    const flag = await inspector.post<{ id: number; version: number }>('/api/flags', {
      category: 'burning',
      lon: x.staffedPoint.point[0] + 0.0003,
      lat: x.staffedPoint.point[1],
      description: 'straw burning by the road',
    })
    await admin.post(`/api/flags/${flag.id}/register`, { version: flag.version })
    const { context, page, problems } = await openPage(browser, server.url, {
      login: 'demo-supervisor',
      locale: 'en-US',
      viewport: { width: 390, height: 844 },
      isMobile: true,
    })
    await page.goto('/')
    await waitForMap(page)
    await page.locator('[data-testid=bell-badge]').waitFor()
    await page.click('[data-testid=bell]')
    const item = page.locator(`[data-testid=bell-panel] .bell-item[data-kind=flag_dispatched]`).first()
    await item.waitFor()
    expect(await item.innerText()).toContain(`Flag #${flag.id} (Open burning) dispatched to ${x.staffedPoint.cellCode}`)
    const box = (await page.locator('[data-testid=bell-panel]').boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    await page.evaluate(() => document.fonts.ready)
    await screenshot(page, 'notifications-bell-phone-en')
    expect(problems).toEqual([])
    for (const a of [inspector, admin]) await a.dispose()
    await context.close()
  })
})
