// The web app in real headless Chromium against the real server and the Boai demo. The planted
// answers come from fixtures/boai/expected.json. Screenshots go to test-artifacts/screenshots/.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { idle, launchChromium, openPage, screenshot, skipE2e, waitForMap } from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'
import { ROOT } from '../helpers/templates.js'

interface Expected {
  staffedPoint: { point: [number, number]; cellCode: string; chiefName: string }
  vacantPoint: { point: [number, number]; cellCode: string; inheritedByCellCode: string }
  gaps: { townshipCode: string; kind: string; areaM2: number; point: [number, number] }[]
  overlaps: { cellCodes: string[]; areaM2: number; point: [number, number] }[]
  counts: { cells: { township: number; village: number } }
  straddlingParcels: { externalId: string }[]
}

const expected = (): Expected =>
  JSON.parse(readFileSync(path.join(ROOT, 'fixtures/boai/expected.json'), 'utf8')) as Expected

/** Moves the map to a point (no animation) and clicks it; returns once the popup has its answer. */
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

/** Fonts for new text load on demand; wait until the page has every one it asked for. */
async function settle(page: Page) {
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => document.fonts.ready)
    await page.waitForTimeout(150)
  }
}

/** From the region's coverage (one row: the county), selects the county and shows its coverage: its townships ranked. */
async function openCountyRanking(page: Page) {
  await page.locator('[data-testid=coverage-ranking] .row button').first().click()
  await page.waitForFunction(() => window.__everyinch!.state().selection?.kind === 'cell')
  await page.locator('.scope-switch button').nth(1).click()
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=coverage-ranking] .row').length > 1)
}

const rendered = (page: Page, layers: string[]) =>
  page.evaluate(
    (ids) =>
      window
        .__everyinch!.map.queryRenderedFeatures({ layers: ids })
        .map((f) => ({ layer: f.layer.id, props: f.properties as Record<string, unknown> })),
    layers,
  )

describe.skipIf(skipE2e)('web app (browser)', () => {
  let server: E2eServer
  let browser: Browser
  let x: Expected

  beforeAll(async () => {
    x = expected()
    browser = await launchChromium()
    server = await startE2eServer()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('opens with a sign-in form that offers the demo accounts, and signs in', async () => {
    const { context, page, problems } = await openPage(browser, server.url)
    await page.goto('/')
    await page.locator('[data-testid=demo-accounts]').waitFor()
    await settle(page)
    await screenshot(page, 'signin')
    await page.locator('[data-testid=demo-accounts] button', { hasText: 'demo-viewer' }).click()
    await page.locator('form.signin button[type=submit]').click()
    await waitForMap(page)
    expect(await page.locator('.signin-overlay').count()).toBe(0)
    expect(problems).toEqual([])
    await context.close()
  })

  it('draws the cells, labels, gaps and overlaps on the map (overview)', async () => {
    const { context, page, problems } = await openPage(browser, server.url, { login: 'demo-admin' })
    await page.goto('/')
    await waitForMap(page)
    const villages = await rendered(page, ['village-fill'])
    const codes = new Set(villages.map((f) => f.props.code))
    expect(codes.size).toBeGreaterThan(x.counts.cells.village * 0.9)
    expect(codes).toContain(x.staffedPoint.cellCode)
    expect(villages.find((f) => f.props.code === x.vacantPoint.cellCode)?.props.staffing).toBe('vacant')
    expect(new Set((await rendered(page, ['township-line'])).map((f) => f.props.code)).size).toBe(
      x.counts.cells.township,
    )
    // symbols are placed only once their glyphs exist: rendered labels mean the fonts work offline
    expect((await rendered(page, ['township-label'])).length).toBeGreaterThanOrEqual(x.counts.cells.township / 2)
    expect((await rendered(page, ['overlap-fill'])).length).toBeGreaterThanOrEqual(1)
    // gaps and overlaps are tiny at this zoom: a ring marks each one
    expect(new Set((await rendered(page, ['gap-marker'])).map((f) => f.props.id)).size).toBe(x.gaps.length)
    expect(new Set((await rendered(page, ['overlap-marker'])).map((f) => f.props.id)).size).toBe(x.overlaps.length)
    // zoomed in, village labels (Chinese name + digit code) render too
    await page.evaluate(
      ([lon, lat]) => window.__everyinch!.map.jumpTo({ center: [lon!, lat!], zoom: 12.5 }),
      x.staffedPoint.point,
    )
    await idle(page)
    expect((await rendered(page, ['village-label'])).map((f) => f.props.code)).toContain(x.staffedPoint.cellCode)
    await page.evaluate(() => window.__everyinch!.map.jumpTo({ center: [113.06, 35.17], zoom: 9.6 }))
    await idle(page)
    await settle(page)
    await screenshot(page, 'overview')
    expect(problems).toEqual([])
    await context.close()
  })

  it("a click on a village shows its chain of responsibility with the chief's name (popup)", async () => {
    const { context, page } = await openPage(browser, server.url, { login: 'demo-admin' })
    await page.goto('/')
    await waitForMap(page)
    const popup = await clickAt(page, x.staffedPoint.point, 15)
    const text = await popup.innerText()
    expect(text).toContain(x.staffedPoint.chiefName)
    expect(text).toContain(x.staffedPoint.cellCode)
    expect(text).toContain('网格长')
    expect(await popup.getAttribute('data-covered')).toBe('true')
    expect(await page.locator('[data-testid=accountability] a.tel').count()).toBeGreaterThan(0)
    // parcels are loaded at this zoom
    await page.waitForFunction(
      () => window.__everyinch!.map.queryRenderedFeatures({ layers: ['parcel-fill'] }).length > 0,
    )
    await settle(page)
    await screenshot(page, 'popup')
    // the popup point is in the URL: a reload opens it again
    expect(await page.evaluate(() => location.hash)).toContain('pt=')
    // tile mode (what a view with more parcels than the GeoJSON cap gets): the same spot is drawn
    // from the server's vector tiles, and the GeoJSON parcel layer is hidden
    await page.evaluate(([lon, lat]) => {
      window.__everyinch!.parcelMode = 'tiles'
      window.__everyinch!.map.jumpTo({ center: [lon! + 0.0005, lat!], zoom: 15 })
    }, x.staffedPoint.point)
    await page.waitForFunction(
      () => window.__everyinch!.map.queryRenderedFeatures({ layers: ['parcel-tile-fill'] }).length > 0,
    )
    const tiled = await rendered(page, ['parcel-tile-fill', 'parcel-fill'])
    expect(tiled.every((f) => f.layer === 'parcel-tile-fill')).toBe(true)
    expect(typeof tiled[0]!.props.externalId).toBe('string')
    await context.close()
  })

  it('a click in a planted gap says plainly that no village cell covers it', async () => {
    const { context, page } = await openPage(browser, server.url, { login: 'demo-admin' })
    await page.goto('/')
    await waitForMap(page)
    for (const gap of x.gaps) {
      const popup = await clickAt(page, gap.point, 16)
      expect(await popup.getAttribute('data-covered')).toBe('false')
      const notice = page.locator('[data-testid=gap-notice]')
      expect(await notice.innerText()).toContain('没有村级网格覆盖')
      expect(await notice.innerText()).toContain(gap.townshipCode)
    }
    await settle(page)
    await screenshot(page, 'gap-popup')
    await context.close()
  })

  it('the search flies to a cell and highlights it; the link restores it', async () => {
    const { context, page } = await openPage(browser, server.url, { login: 'demo-admin', locale: 'en-US' })
    await page.goto('/')
    await waitForMap(page)
    await page.fill('[data-testid=search-input]', x.staffedPoint.cellCode)
    await page.locator(`[data-testid=search-results] button[data-key="${x.staffedPoint.cellCode}"]`).click()
    await page.waitForFunction((code) => location.hash.includes(`sel=cell:${code}`), x.staffedPoint.cellCode)
    // the map flies there: the cell under the map's centre becomes the one searched for
    await page.waitForFunction((code) => {
      const map = window.__everyinch!.map
      const under = map.queryRenderedFeatures(map.project(map.getCenter()), { layers: ['village-fill'] })
      return !map.isMoving() && under.some((f) => f.properties.code === code)
    }, x.staffedPoint.cellCode)
    await idle(page)
    expect(await page.evaluate(() => window.__everyinch!.map.getZoom())).toBeGreaterThan(12)
    expect((await rendered(page, ['highlight-line'])).length).toBeGreaterThan(0)
    // the interface is in English here (browser language)
    expect(await page.locator('[data-panel=coverage]').innerText()).toBe('Coverage')
    // reload: the hash brings back the view and the selection
    const hash = await page.evaluate(() => location.hash)
    await page.reload()
    await waitForMap(page)
    expect(await page.evaluate(() => window.__everyinch!.state().selection)).toEqual({
      kind: 'cell',
      code: x.staffedPoint.cellCode,
    })
    await page.waitForFunction(
      () => window.__everyinch!.map.queryRenderedFeatures({ layers: ['highlight-line'] }).length > 0,
    )
    expect(hash).toMatch(/^#map=/)
    // a parcel id: the map goes there, outlines it and says who is accountable for it
    const parcel = x.straddlingParcels[0]!.externalId
    await page.fill('[data-testid=search-input]', parcel)
    await page.locator(`[data-testid=search-results] button[data-key="${parcel}"]`).click()
    await page.locator('[data-testid=accountability]', { hasText: parcel }).waitFor()
    await page.waitForFunction(() => window.__everyinch!.state().selection?.kind === 'parcel')
    await page.waitForFunction(
      () =>
        !window.__everyinch!.map.isMoving() &&
        window.__everyinch!.map.queryRenderedFeatures({ layers: ['highlight-line'] }).length > 0,
    )
    expect(await page.locator('[data-testid=accountability]').innerText()).toContain('straddling')
    await context.close()
  })

  it("the supervisor view opens on a signed-in supervisor's own cells", async () => {
    const { context, page } = await openPage(browser, server.url, { login: 'demo-supervisor' })
    await page.goto('/')
    await waitForMap(page)
    const cells = page.locator(`[data-testid=supervisor-cells] [data-cell="${x.staffedPoint.cellCode}"]`)
    await cells.waitFor()
    await page.locator(`[data-cell="${x.staffedPoint.cellCode}"] [data-testid=parcel-counts]`).waitFor()
    expect(await page.locator('[data-testid=supervisor-person]').innerText()).toContain(x.staffedPoint.chiefName)
    const listed = await page
      .locator('[data-testid=supervisor-cells] [data-cell]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-cell')))
    expect(listed).toContain(x.staffedPoint.cellCode)
    await page.waitForFunction(
      () =>
        !window.__everyinch!.map.isMoving() &&
        window.__everyinch!.map.queryRenderedFeatures({ layers: ['highlight-line'] }).length > 0,
    )
    await idle(page)
    expect(await page.evaluate(() => location.hash)).toMatch(/sel=person:\d+&panel=supervisor/)
    await settle(page)
    await screenshot(page, 'supervisor')
    await context.close()
  })

  it('the coverage panel ranks the townships by coverage', async () => {
    const { context, page } = await openPage(browser, server.url, { login: 'demo-admin' })
    await page.goto('/')
    await waitForMap(page)
    await page.click('[data-panel=coverage]')
    const rows = page.locator('[data-testid=coverage-ranking] .row')
    await rows.first().waitFor()
    // the region ranks its one top-level cell, the county; the county ranks its townships
    expect(await rows.count()).toBe(1)
    await openCountyRanking(page)
    expect(await rows.count()).toBe(x.counts.cells.township)
    const pcts = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-pct'))))
    expect(pcts).toEqual([...pcts].sort((a, b) => b - a))
    expect(await page.locator('[data-testid=overlap-list] li').count()).toBe(x.overlaps.length)
    expect(await page.locator('[data-testid=covered-pct] .value').innerText()).toMatch(/^\d+(\.\d+)?%$/)
    expect(await page.locator('[data-testid=vacant-cells] .value').innerText()).toMatch(/^[1-9]\d*$/)
    expect(await page.evaluate(() => location.hash)).toContain('panel=coverage')
    await settle(page)
    await screenshot(page, 'coverage')
    // a township in the ranking selects it; the panel then offers its own coverage
    const township = await rows.first().getAttribute('data-code')
    await rows.first().locator('button').click()
    await page.waitForFunction((code) => {
      const s = window.__everyinch!.state().selection
      return s?.kind === 'cell' && s.code === code
    }, township)
    await page.locator('.scope-switch button').nth(1).click()
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=coverage-scope]')?.textContent?.includes('（'),
    )
    await context.close()
  })

  it('the planted gaps are hatched on the map and listed in the coverage panel, each zooming to itself', async () => {
    const { context, page } = await openPage(browser, server.url, { login: 'demo-admin' })
    await page.goto('/#panel=coverage')
    await waitForMap(page)
    await page.locator('[data-testid=coverage-ranking] .row').first().waitFor()
    await openCountyRanking(page)
    const pcts = await page
      .locator('[data-testid=coverage-ranking] .row')
      .evaluateAll((els) =>
        els.map((e) => ({ code: e.getAttribute('data-code')!, pct: Number(e.getAttribute('data-pct')) })),
      )
    expect(await page.locator('[data-testid=gap-list] li').count()).toBe(x.gaps.length)
    for (const gap of x.gaps) expect(pcts.find((p) => p.code === gap.townshipCode)!.pct).toBeLessThan(100)
    expect((await rendered(page, ['gap-hatch'])).length).toBeGreaterThanOrEqual(1)
    await page.locator('[data-testid=gap-list] button').first().click()
    await page.waitForFunction(() => !window.__everyinch!.map.isMoving() && window.__everyinch!.map.getZoom() > 13)
    await idle(page)
    expect((await rendered(page, ['gap-hatch'])).length).toBeGreaterThan(0)
    await settle(page)
    await screenshot(page, 'coverage-gap')
    await context.close()
  })

  it('works on a phone: panels become a bottom sheet and the map stays usable', async () => {
    const { context, page } = await openPage(browser, server.url, {
      login: 'demo-admin',
      viewport: { width: 390, height: 844 },
      isMobile: true,
    })
    await page.goto('/')
    await waitForMap(page)
    expect(await page.locator('[data-testid=legend]').evaluate((e) => e.classList.contains('collapsed'))).toBe(true)
    await page.click('[data-panel=coverage]')
    await page.locator('[data-testid=coverage-ranking] .row').first().waitFor()
    const sheet = await page.locator('[data-testid=side-panel]').boundingBox()
    const map = await page.locator('[data-testid=map]').boundingBox()
    expect(sheet!.width).toBe(390)
    expect(sheet!.y + sheet!.height).toBeCloseTo(844, 0)
    expect(map!.height).toBeGreaterThan(600)
    const horizontalScroll = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
    expect(horizontalScroll).toBe(false)
    await settle(page)
    await screenshot(page, 'phone')
    await context.close()
  })

  it("a failed request shows the server's error message; the language switch works", async () => {
    const { context, page } = await openPage(browser, server.url, { login: 'demo-admin' })
    await page.goto('/#sel=cell:NOPE999')
    await waitForMap(page)
    const toast = page.locator('.toast')
    await toast.first().waitFor()
    expect(await toast.first().innerText()).toContain('cell "NOPE999" was not found')
    // the language switch changes the interface and the map labels at once
    await page.click('[data-testid=lang-switch]')
    expect(await page.locator('[data-panel=coverage]').innerText()).toBe('Coverage')
    expect(
      await page.evaluate(() =>
        JSON.stringify(window.__everyinch!.map.getLayoutProperty('village-label', 'text-field')),
      ),
    ).toContain('nameEn')
    await page.click('[data-testid=lang-switch]')
    expect(await page.locator('[data-panel=coverage]').innerText()).toBe('覆盖')
    await context.close()
  })
})
