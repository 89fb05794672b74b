// The supervision inventory on the map, in real headless Chromium against the real server on the Boai
// demo: a signed-in viewer sees the objects layer and its legend, taps an object and gets its popup
// with the chain of people answering for it — the same cell the parcel under it is matched to, asked
// through the parcel API — on a desktop and on a phone; with the layer switched off a tap asks the
// place instead. (Anonymous visitors are refused the inventory: test/routes/objects-matching.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { apiAs, idle, launchChromium, openPage, screenshot, skipE2e, waitForMap } from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'

interface ObjectFeature {
  id: number
  geometry: { type: string }
  properties: {
    code: string
    name: string
    matchStatus: string
    cellCode: string | null
    anchor: [number, number]
    attributes: { parcel: string }
  }
}

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true }

/** Centres the map on a point (a little above the middle, clear of a phone's bottom sheet) and returns its page position. */
async function centreOn(page: Page, point: [number, number], zoom: number) {
  const at = await page.evaluate(
    ([lon, lat, z]) => {
      const map = window.__everyinch!.map
      map.jumpTo({ center: [lon!, lat!], zoom: z! })
      map.panBy([0, 120], { duration: 0 })
      const xy = map.project([lon!, lat!])
      const r = map.getContainer().getBoundingClientRect()
      return { x: r.left + xy.x, y: r.top + xy.y }
    },
    [point[0], point[1], zoom],
  )
  await idle(page)
  return at
}

describe.skipIf(skipE2e)('supervised objects on the map (browser)', () => {
  let server: E2eServer
  let browser: Browser
  let object: ObjectFeature
  let parcelCell: string

  beforeAll(async () => {
    browser = await launchChromium()
    server = await startE2eServer()
    const viewer = await apiAs(server.url, 'demo-viewer')
    const list = await viewer.get<{ features: ObjectFeature[] }>('/api/objects?match=matched&type=enterprise')
    object = list.features[0]!
    // the parcel the demo object was made from, asked through the parcel API: its cell is the answer
    const parcels = await viewer.get<{ features: { id: number; properties: { externalId: string } }[] }>(
      `/api/parcels?cell=${object.properties.cellCode}&limit=20000`,
    )
    const parcel = parcels.features.find((p) => p.properties.externalId === object.properties.attributes.parcel)!
    const acc = await viewer.get<{ chain: { cell: { code: string } }[] }>(`/api/parcels/${parcel.id}/accountability`)
    parcelCell = acc.chain[0]!.cell.code
    await viewer.dispose()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const [device, options] of [
    ['desktop', {}],
    ['phone', PHONE],
  ] as const) {
    it(`${device}: the layer and its legend; a tap on an object shows who answers for it`, async () => {
      const { context, page, problems } = await openPage(browser, server.url, { ...options, login: 'demo-viewer' })
      await page.goto('/')
      await waitForMap(page)
      await page.waitForFunction(() => window.__everyinch!.objectLoads > 0)
      await expect(page.locator('[data-testid="legend"] input[data-group="objects"]').count()).resolves.toBe(1)
      const at = await centreOn(page, object.properties.anchor, 16)
      const popups = await page.evaluate(() => window.__everyinch!.popups)
      await page.mouse.click(at.x, at.y)
      await page.waitForFunction((n) => window.__everyinch!.popups > n, popups)
      const popup = page.locator(`[data-testid="object-popup"][data-code="${object.properties.code}"]`)
      await expect(popup.count()).resolves.toBe(1)
      await expect(popup.locator(`li.level[data-code="${parcelCell}"]`).count()).resolves.toBe(1)
      await expect(popup.textContent()).resolves.toContain(object.properties.name)
      await idle(page)
      await screenshot(page, `objects-popup-${device}`)
      expect(problems).toEqual([])
      await context.close()
    })
  }

  it('switched off, the layer is gone and a tap asks the place', async () => {
    const { context, page, problems } = await openPage(browser, server.url, { login: 'demo-viewer' })
    await page.goto('/')
    await waitForMap(page)
    await page.waitForFunction(() => window.__everyinch!.objectLoads > 0)
    await page.locator('[data-testid="legend"] input[data-group="objects"]').uncheck()
    const at = await centreOn(page, object.properties.anchor, 16)
    const rendered = await page.evaluate(
      () => window.__everyinch!.map.queryRenderedFeatures(undefined, { layers: ['object-point'] }).length,
    )
    expect(rendered).toBe(0)
    const popups = await page.evaluate(() => window.__everyinch!.popups)
    await page.mouse.click(at.x, at.y)
    await page.waitForFunction((n) => window.__everyinch!.popups > n, popups)
    await expect(page.locator('[data-testid="accountability"]').count()).resolves.toBe(1)
    await expect(page.locator('[data-testid="object-popup"]').count()).resolves.toBe(0)
    expect(problems).toEqual([])
    await context.close()
  })
})
