// Flags in real headless Chromium against the real server on the Boai demo: a supervisor's inbox holds
// only the flags of their own cells; an inspector on a phone reports a problem in a planted gap (photo
// included, the duplicate warning answered), the flag is unowned and goes to the township by the
// fallback rule, and once the server's clock passes the acknowledgement limit and escalation runs, the
// flag shows as escalated. The server's clock is the e2e helper's: sessions are made after moving it.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { apiAs, idle, launchChromium, openPage, screenshot, skipE2e, waitForMap } from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'
import { ROOT } from '../helpers/templates.js'

interface Expected {
  staffedPoint: { point: [number, number]; cellCode: string; chiefName: string }
  vacantPoint: { point: [number, number]; cellCode: string; inheritedByCellCode: string }
  gaps: { townshipCode: string; point: [number, number] }[]
}

interface Flag {
  id: number
  version: number
  state: string
  unowned: boolean
  ackDueAt: string | null
  escalationLevel: number
  routing: { rule: string | null; accountableCellCode: string | null; missingLevel: number | null }
  assignees: { cellCode: string; reason: string }[]
  photos: unknown[]
}

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true }
// a real 1×1 PNG: the server checks photos by their content
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

async function settle(page: Page) {
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => document.fonts.ready)
    await page.waitForTimeout(150)
  }
}

/** Puts a point in the upper part of the map (clear of the bottom sheet) and returns its page position. */
async function showAbove(page: Page, point: [number, number], zoom: number) {
  const at = await page.evaluate(
    ([lon, lat, z]) => {
      const map = window.__everyinch!.map
      map.jumpTo({ center: [lon!, lat!], zoom: z! })
      map.panBy([0, 170], { duration: 0 })
      const xy = map.project([lon!, lat!])
      const r = map.getContainer().getBoundingClientRect()
      return { x: r.left + xy.x, y: r.top + xy.y }
    },
    [point[0], point[1], zoom],
  )
  await idle(page)
  return at
}

describe.skipIf(skipE2e)('flags (browser)', () => {
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

  it("a supervisor's inbox holds the flags of their own cells and none from elsewhere", async () => {
    const inspector = await apiAs(server.url, 'demo-inspector')
    const admin = await apiAs(server.url, 'demo-admin')
    const mine = await inspector.post<Flag>('/api/flags', {
      category: 'dumping',
      lon: x.staffedPoint.point[0],
      lat: x.staffedPoint.point[1],
      description: '路边堆放建筑垃圾',
    })
    const elsewhere = await inspector.post<Flag>('/api/flags', {
      category: 'dumping',
      lon: x.vacantPoint.point[0],
      lat: x.vacantPoint.point[1],
      description: '河沟旁有生活垃圾',
    })
    for (const f of [mine, elsewhere]) await admin.post(`/api/flags/${f.id}/register`, { version: f.version })

    const { context, page, problems } = await openPage(browser, server.url, { login: 'demo-supervisor' })
    await page.goto('/')
    await waitForMap(page)
    await page.click('[data-panel=flags]')
    const list = page.locator('[data-testid=flag-list]')
    await list.locator(`button[data-flag="${mine.id}"]`).waitFor()
    expect(await list.locator(`button[data-flag="${elsewhere.id}"]`).count()).toBe(0)
    const listed = await list
      .locator('button[data-flag]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-flag'))))
    // every flag listed is dispatched to the supervisor's own cell
    for (const id of listed)
      expect((await admin.get<Flag>(`/api/flags/${id}`)).routing.accountableCellCode).toBe(x.staffedPoint.cellCode)
    expect(await page.locator('[data-testid=inbox-counts] [data-state=dispatched]').innerText()).toMatch(
      new RegExp(`${listed.length}$`),
    )
    // the flag is on the map, in the state's colour; the other one is not even sent
    await page.waitForFunction(
      (id) => window.__everyinch!.map.querySourceFeatures('flags').some((f) => f.properties.id === id),
      mine.id,
    )
    expect(
      await page.evaluate(
        (id) => window.__everyinch!.map.querySourceFeatures('flags').some((f) => f.properties.id === id),
        elsewhere.id,
      ),
    ).toBe(false)
    await settle(page)
    await screenshot(page, 'supervisor-inbox')

    // the workflow: the supervisor acknowledges their flag; the other is refused by the server
    await list.locator(`button[data-flag="${mine.id}"]`).click()
    await page.locator(`[data-testid=flag-detail][data-flag="${mine.id}"]`).waitFor()
    expect(
      await page
        .locator('[data-testid=flag-actions] button[data-action]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-action'))),
    ).toEqual(['acknowledge'])
    await page.click('[data-action=acknowledge]')
    await page.click('[data-testid=flag-action-confirm]')
    await page.locator('[data-testid=flag-detail][data-state=in_progress]').waitFor()
    expect(await page.locator('[data-testid=flag-timeline] li[data-action=acknowledge]').count()).toBe(1)
    const refused = await page.evaluate(async (id) => (await fetch(`/api/flags/${id}`)).status, elsewhere.id)
    expect(refused).toBe(403)
    // Chromium logs every 4xx; the one refusal asked for above is the only one
    expect(problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ])
    await context.close()
    await inspector.dispose()
    await admin.dispose()
  })

  it('an inspector on a phone reports a problem in a planted gap; it goes to the township by the fallback rule and shows as escalated once the limit passes', async () => {
    const gap = x.gaps[0]!
    const { context, page, problems } = await openPage(browser, server.url, { login: 'demo-inspector', ...PHONE })
    await page.goto('/')
    await waitForMap(page)
    await page.click('[data-testid=report-fab]')
    await page.locator('[data-testid=report-category] option[value=unowned_land]').waitFor({ state: 'attached' })
    const at = await showAbove(page, gap.point, 16)
    await page.touchscreen.tap(at.x, at.y)
    await page.locator('[data-testid=report-location]').waitFor()
    await page.selectOption('[data-testid=report-category]', 'unowned_land')
    await page.fill('[data-testid=report-description]', '这块地没有网格覆盖，堆有杂物，无人管理。')
    await page.setInputFiles('[data-testid=report-photos]', { name: 'site.png', mimeType: 'image/png', buffer: PNG })
    await page.locator('[data-testid=report-photo-list] li').waitFor()
    // the form fits the phone: nothing scrolls sideways
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false)
    // the sheet scrolled to the end of the form: photo, description and the submit button in view
    await page.locator('[data-testid=report-submit]').scrollIntoViewIfNeeded()
    await settle(page)
    await screenshot(page, 'flag-form-phone')

    await page.click('[data-testid=report-submit]')
    const result = page.locator('[data-testid=report-result]')
    await result.waitFor()
    const id = Number(await result.getAttribute('data-flag'))
    expect(await page.locator('[data-testid=report-routing]').getAttribute('data-rule')).toBe('fallback_gap')
    expect(await page.locator('[data-testid=report-unowned]').count()).toBe(1)
    expect(await page.locator('[data-testid=report-routing]').innerText()).toContain(gap.townshipCode)

    // the same spot again: the server warns of a duplicate; "same as #id" adds the report to it
    await page.click('[data-testid=report-another]')
    await showAbove(page, gap.point, 16)
    await page.touchscreen.tap(at.x, at.y)
    await page.locator('[data-testid=report-location]').waitFor()
    await page.selectOption('[data-testid=report-category]', 'unowned_land')
    await page.click('[data-testid=report-submit]')
    await page.locator(`[data-testid=report-duplicates] [data-candidate="${id}"]`).waitFor()
    await page.click(`[data-candidate="${id}"] [data-testid=report-same-as]`)
    await page.locator(`[data-testid=report-result][data-kind=same_as][data-flag="${id}"]`).waitFor()
    // the duplicate warning is a 409 the form answers: the only failed request
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 409 (Conflict)'])
    await context.close()

    const inspector = await apiAs(server.url, 'demo-inspector')
    const reported = await inspector.get<Flag>(`/api/flags/${id}`)
    expect(reported).toMatchObject({
      state: 'reported',
      unowned: true,
      routing: { rule: 'fallback_gap', accountableCellCode: gap.townshipCode, missingLevel: 3 },
    })
    expect(reported.photos).toHaveLength(1)
    await inspector.dispose()

    // a county officer registers it: dispatched to the township, by the fallback rule
    const admin = await apiAs(server.url, 'demo-admin')
    const dispatched = await admin.post<Flag>(`/api/flags/${id}/register`, { version: reported.version })
    expect(dispatched).toMatchObject({
      state: 'dispatched',
      escalationLevel: 0,
      routing: { rule: 'fallback_gap', accountableCellCode: gap.townshipCode },
    })
    expect(dispatched.assignees.length).toBeGreaterThan(0)
    expect(dispatched.assignees.every((a) => a.cellCode === gap.townshipCode && a.reason === 'dispatch')).toBe(true)
    await admin.dispose()

    // nobody acknowledges it in time: the server's clock passes the limit, and escalation runs
    server.clock.set(new Date(Date.parse(dispatched.ackDueAt!) + 60_000))
    const later = await apiAs(server.url, 'demo-admin')
    const run = await later.post<{ escalated: { flagId: number; toCellCode: string | null }[] }>(
      '/api/flags/escalate',
      {},
    )
    expect(run.escalated.map((e) => e.flagId)).toContain(id)
    await later.dispose()

    // the inspector's phone (a new session on the server's clock) shows it escalated
    const second = await openPage(browser, server.url, { login: 'demo-inspector', ...PHONE })
    await second.page.goto(`/#sel=flag:${id}`)
    await waitForMap(second.page)
    const banner = second.page.locator('[data-testid=flag-escalation]')
    await banner.waitFor()
    expect(await banner.innerText()).toMatch(/已升级/)
    expect(await second.page.locator('[data-testid=flag-detail] [data-testid=badge-escalated]').count()).toBe(1)
    expect(await second.page.locator('[data-testid=flag-timeline] li[data-action=escalate]').count()).toBe(1)
    await second.page.waitForFunction(
      (flagId) =>
        !window.__everyinch!.map.isMoving() &&
        window
          .__everyinch!.map.queryRenderedFeatures({ layers: ['flag-escalated'] })
          .some((f) => f.properties.id === flagId),
      id,
    )
    await settle(second.page)
    await screenshot(second.page, 'flag-escalated')
    // the coverage panel lists it among the defects: an open flag nobody answers for directly
    await second.page.click('[data-panel=coverage]')
    await second.page.locator(`[data-testid=unowned-flags] button[data-flag="${id}"]`).click()
    await second.page.locator(`[data-testid=flag-detail][data-flag="${id}"]`).waitFor()
    expect(second.problems).toEqual([])
    // the buttons are the flag's allowedActions for this user: acknowledging is the township's (or an
    // admin's) to do, so the inspector who reported it gets none
    expect(await second.page.locator('[data-testid=flag-actions]').count()).toBe(0)
    await second.context.close()
  })
})
