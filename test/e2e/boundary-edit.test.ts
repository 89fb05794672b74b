// Boundary editing in real headless Chromium against the real server on the Boai demo: an admin drags
// one vertex of a village's boundary into its neighbour, previews the change (cells, parcels changing
// hands, gaps and overlaps), gives a reason and saves; the accountability of a parcel in the moved
// strip then names the village and its chief. Which vertex and parcel is worked out from the API here,
// so the test follows the fixture rather than hard-coding coordinates.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { MultiPolygon, Polygon, Position } from 'geojson'
import { idle, launchChromium, openPage, screenshot, skipE2e, waitForMap } from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'
import { ROOT } from '../helpers/templates.js'
import { editableRing, selfIntersection } from '../../web/src/map/draw/polygon-edit.js'

interface Expected {
  staffedPoint: { point: [number, number]; cellCode: string; chiefName: string }
  gaps: { townshipCode: string; villageCodesAround: string[]; kind: string; point: [number, number] }[]
}

interface Person {
  name: string
  role: string
}
interface CellDetail {
  code: string
  name: string
  version: number
  parentCode: string
  geometry: Polygon | MultiPolygon
  people: Person[]
}
interface CellFeature {
  geometry: Polygon | MultiPolygon
  properties: { code: string; staffing: string; people: Person[] }
}
interface ParcelFeature {
  geometry: Polygon | MultiPolygon
  properties: { id: number; externalId: string; status: string; cellCode: string | null }
}

const M_PER_DEG = 111_320

function inRing(p: Position, ring: Position[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    if (yi > p[1]! !== yj > p[1]! && p[0]! < ((xj - xi) * (p[1]! - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}
const parts = (g: Polygon | MultiPolygon) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
const inGeometry = (p: Position, g: Polygon | MultiPolygon) =>
  parts(g).some((rings) => inRing(p, rings[0]!) && !rings.slice(1).some((hole) => inRing(p, hole)))

/** Distance in metres from p to segment ab (equirectangular, fine over a few hundred metres). */
function segmentDistanceM(p: Position, a: Position, b: Position): number {
  const k = Math.cos((p[1]! * Math.PI) / 180)
  const [px, py, ax, ay, bx, by] = [p[0]! * k, p[1]!, a[0]! * k, a[1]!, b[0]! * k, b[1]!]
  const dx = bx - ax
  const dy = by - ay
  const t = dx || dy ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy))) : 0
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy)) * M_PER_DEG
}
const boundaryDistanceM = (p: Position, g: Polygon | MultiPolygon) =>
  Math.min(
    ...parts(g).flatMap((rings) =>
      rings.flatMap((ring) => ring.slice(1).map((b, i) => segmentDistanceM(p, ring[i]!, b))),
    ),
  )

const key = (p: Position) => `${p[0]!.toFixed(7)},${p[1]!.toFixed(7)}`

interface Plan {
  vertex: Position
  target: Position
  neighbour: CellFeature
  parcel: ParcelFeature
  parcelPoint: Position
}

/**
 * A vertex the village shares with one staffed neighbour, a parcel of that neighbour near it, and a
 * spot beyond the parcel to drag the vertex to: inside the neighbour, well clear of every boundary (so
 * snapping leaves it alone), such that the strip the village gains holds the whole parcel.
 */
function planDrag(cell: CellDetail, siblings: CellFeature[], allParcels: ParcelFeature[]): Plan | null {
  const ring = editableRing(cell.geometry).ring
  const n = ring.length - 1
  const ownChief = cell.people.find((p) => p.role === 'grid_chief')?.name
  const k = Math.cos((ring[0]![1]! * Math.PI) / 180)
  const others = siblings.filter((f) => f.properties.code !== cell.code)
  for (let i = 0; i < n; i++) {
    const p = ring[i]!
    const owners = others.filter((s) =>
      parts(s.geometry).some((rings) => rings.some((r) => r.some((q) => key(q) === key(p)))),
    )
    if (owners.length !== 1) continue
    const neighbour = owners[0]!
    const chief = neighbour.properties.people.find((x) => x.role === 'grid_chief')?.name
    if (neighbour.properties.staffing === 'vacant' || !chief || chief === ownChief) continue
    const prev = ring[(i - 1 + n) % n]!
    const next = ring[i + 1]!
    const parcels = allParcels.filter(
      (f) => f.properties.status === 'matched' && f.properties.cellCode === neighbour.properties.code,
    )
    for (const parcel of parcels) {
      const outer = parts(parcel.geometry)[0]![0]!
      const c: Position = [
        outer.slice(0, -1).reduce((sum, q) => sum + q[0]!, 0) / (outer.length - 1),
        outer.slice(0, -1).reduce((sum, q) => sum + q[1]!, 0) / (outer.length - 1),
      ]
      if (!inRing(c, outer)) continue
      for (const stretch of [1.6, 2.2, 3]) {
        const target: Position = [p[0]! + (c[0]! - p[0]!) * stretch, p[1]! + (c[1]! - p[1]!) * stretch]
        const moveM = Math.hypot((target[0]! - p[0]!) * k, target[1]! - p[1]!) * M_PER_DEG
        if (moveM > 450) continue
        if (!inGeometry(target, neighbour.geometry) || boundaryDistanceM(target, neighbour.geometry) < 40) continue
        if (others.some((o) => o !== neighbour && boundaryDistanceM(target, o.geometry) < 40)) continue
        const moved = ring.map((q, j) => (j === i || (i === 0 && j === n) ? target : q))
        if (selfIntersection(moved)) continue
        // the strip the village gains: it must hold the whole parcel
        const gained = [prev, target, next, p, prev]
        if (selfIntersection(gained) || !outer.every((q) => inRing(q, gained))) continue
        return { vertex: p, target, neighbour, parcel, parcelPoint: c }
      }
    }
  }
  return null
}

/** The staffed sample village first, then its siblings, until one has a vertex worth dragging. */
async function findPlan(ctx: BrowserContext, firstCode: string): Promise<{ cell: CellDetail; plan: Plan }> {
  const first = (await (await ctx.request.get(`/api/cells/${firstCode}`)).json()) as CellDetail
  const siblings = (
    (await (await ctx.request.get(`/api/cells?parent=${first.parentCode}&limit=5000`)).json()) as {
      features: CellFeature[]
    }
  ).features
  const township = (await (await ctx.request.get(`/api/cells/${first.parentCode}`)).json()) as { bbox: number[] }
  const parcels = (
    (await (
      await ctx.request.get(`/api/parcels?bbox=${township.bbox.map((v) => v.toFixed(6)).join(',')}&limit=20000`)
    ).json()) as { features: ParcelFeature[] }
  ).features
  for (const code of [firstCode, ...siblings.map((s) => s.properties.code).filter((c) => c !== firstCode)]) {
    const sibling = siblings.find((s) => s.properties.code === code)
    if (sibling && sibling.properties.staffing === 'vacant') continue
    const cell =
      code === firstCode ? first : ((await (await ctx.request.get(`/api/cells/${code}`)).json()) as CellDetail)
    if (!cell.people.some((p) => p.role === 'grid_chief')) continue
    const plan = planDrag(cell, siblings, parcels)
    if (plan) return { cell, plan }
  }
  throw new Error(
    `no village in ${first.parentCode} has a shared vertex that can be dragged over a whole parcel of a staffed neighbour`,
  )
}

/** Screen position (page pixels) of a map coordinate. */
const screenOf = (page: Page, p: Position) =>
  page.evaluate(([lon, lat]) => {
    const map = window.__everyinch!.map
    const xy = map.project([lon!, lat!])
    const r = map.getContainer().getBoundingClientRect()
    return { x: r.left + xy.x, y: r.top + xy.y }
  }, p)

async function settle(page: Page) {
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => document.fonts.ready)
    await page.waitForTimeout(150)
  }
}

describe.skipIf(skipE2e)('boundary editing (browser)', () => {
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

  it('an admin drags a shared vertex into the neighbour, previews who gains which parcel, saves with a reason, and the parcel answers to the village', async () => {
    const { context, page, problems } = await openPage(browser, server.url, { login: 'demo-admin' })
    const { cell, plan } = await findPlan(context, x.staffedPoint.cellCode)
    const code = cell.code
    const chief = cell.people.find((p) => p.role === 'grid_chief')!.name
    const neighbourChief = plan.neighbour.properties.people.find((p) => p.role === 'grid_chief')!.name
    expect(chief).not.toBe(neighbourChief)

    await page.goto(`/#sel=cell:${code}&panel=edit`)
    await waitForMap(page)
    await page.locator('[data-testid=edit-cell]', { hasText: code }).waitFor()
    await page.click('[data-tool=reshape]')
    await page.locator('[data-testid=tool-reshape]').waitFor()
    await page.waitForFunction(() => window.__everyinch!.drawing.active && !window.__everyinch!.map.isMoving())
    // a fixed view: the vertex in the middle, zoom 15 (about 2 m a pixel: the target is on screen, and
    // snapping, 12 px, reaches 25 m, short of the 40 m the target keeps from every boundary)
    await page.evaluate(([lon, lat]) => window.__everyinch!.map.jumpTo({ center: [lon!, lat!], zoom: 15 }), plan.vertex)
    await idle(page)
    await page.waitForTimeout(200)

    const from = await screenOf(page, plan.vertex)
    const to = await screenOf(page, plan.target)
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    await page.mouse.move(to.x, to.y, { steps: 15 })
    await page.mouse.up()
    // the ring now has the vertex where it was dropped (no snap: the spot is clear of every boundary)
    const moved = await page.evaluate(() => (window.__everyinch!.drawing.geometry() as Polygon).coordinates[0]!)
    const nearest = Math.min(
      ...moved.map((q) => Math.hypot((q[0]! - plan.target[0]!) * 0.82, q[1]! - plan.target[1]!) * 111_320),
    )
    expect(nearest).toBeLessThan(5)
    expect(moved.some((q) => key(q) === key(plan.vertex))).toBe(false)

    // preview: the village grows, the neighbour is trimmed, the parcel changes hands
    await page.click('[data-testid=edit-preview-button]')
    const preview = page.locator('[data-testid=edit-preview]')
    await preview.waitFor()
    expect(await page.locator(`[data-testid=preview-cells] tr[data-code="${code}"]`).count()).toBe(1)
    expect(
      await page
        .locator(`[data-testid=preview-cells] tr[data-code="${plan.neighbour.properties.code}"]`)
        .getAttribute('data-change'),
    ).toBe('trimmed')
    const row = page.locator(`[data-testid=preview-parcels] li[data-parcel="${plan.parcel.properties.externalId}"]`)
    expect(await row.getAttribute('data-reassigned')).toBe('true')
    const [before, after] = await row.locator('.acc-state').allInnerTexts()
    expect(before).toContain(plan.neighbour.properties.code)
    expect(before).toContain(neighbourChief)
    expect(after).toContain(code)
    expect(after).toContain(chief)
    // the save button waits for a reason
    expect(await page.locator('[data-testid=edit-save]').isDisabled()).toBe(true)
    await page.locator('[data-testid=edit-review]').scrollIntoViewIfNeeded()
    await settle(page)
    await screenshot(page, 'edit-preview', page.locator('[data-testid=side-panel]'))
    // and the whole window: the moved vertex on the map beside the preview
    await screenshot(page, 'edit-preview-map')

    await page.fill('[data-testid=edit-reason]', 'e2e: village boundary follows the new field road')
    await page.click('[data-testid=edit-save]')
    await page.locator('[data-testid=edit-notice]').waitFor()
    expect(await page.locator('[data-testid=edit-cell]').innerText()).toContain('v2')

    // the history keeps who, when and why, and shows an old outline on the map
    await page.click('[data-tool=history]')
    const v2 = page.locator('[data-testid=tool-history] li[data-version="2"]')
    await v2.waitFor()
    expect(await v2.innerText()).toContain('e2e: village boundary follows the new field road')
    expect(await v2.innerText()).toContain('demo-admin')
    await page.locator('[data-testid=tool-history] li[data-version="1"] [data-testid=history-outline]').click()
    await page.waitForFunction(
      () => window.__everyinch!.map.queryRenderedFeatures({ layers: ['history-line'] }).length > 0,
    )
    expect(
      await page.locator('[data-testid=tool-history] li[data-version="1"] [data-testid=history-restore]').count(),
    ).toBe(1)

    // the parcel's place now answers to the village and its chief
    await page.click('[data-testid=panel-close]')
    const popups = await page.evaluate(() => window.__everyinch!.popups)
    const at = await page.evaluate(([lon, lat]) => {
      const map = window.__everyinch!.map
      map.jumpTo({ center: [lon!, lat!], zoom: 17 })
      const xy = map.project([lon!, lat!])
      const r = map.getContainer().getBoundingClientRect()
      return { x: r.left + xy.x, y: r.top + xy.y }
    }, plan.parcelPoint)
    await idle(page)
    await page.mouse.click(at.x, at.y)
    await page.waitForFunction((n) => window.__everyinch!.popups > n, popups)
    const popup = await page.locator('[data-testid=accountability]').innerText()
    expect(popup).toContain(plan.parcel.properties.externalId)
    expect(popup).toContain(code)
    expect(popup).toContain(chief)
    expect(popup).not.toContain(neighbourChief)

    // "Undo this change" on v2 puts back both cells (the village and the neighbour it trimmed),
    // through the same preview and confirmation
    const neighbourCode = plan.neighbour.properties.code
    await page.goto(`/#sel=cell:${code}&panel=edit`)
    await page.locator('[data-testid=edit-cell]', { hasText: code }).waitFor()
    await page.click('[data-tool=history]')
    await page.locator('[data-testid=tool-history] li[data-version="2"] [data-testid=history-undo]').click()
    await page.locator('[data-testid=edit-preview]').waitFor()
    expect(await page.locator(`[data-testid=preview-cells] tr[data-code="${code}"]`).getAttribute('data-change')).toBe(
      'restored',
    )
    expect(
      await page.locator(`[data-testid=preview-cells] tr[data-code="${neighbourCode}"]`).getAttribute('data-change'),
    ).toBe('restored')
    expect(await page.locator('[data-testid=edit-save]').isDisabled()).toBe(true)
    await screenshot(page, 'edit-undo-preview', page.locator('[data-testid=side-panel]'))
    await page.fill('[data-testid=edit-reason]', 'e2e: the field road was not built')
    await page.click('[data-testid=edit-save]')
    await page.locator('[data-testid=edit-notice]').waitFor()
    expect(await page.locator('[data-testid=edit-cell]').innerText()).toContain('v3')
    const history = (await (await context.request.get(`${server.url}/api/cells/${neighbourCode}/history`)).json()) as {
      areaM2: number
      reason: string
    }[]
    expect(history.at(-1)!.reason).toBe('e2e: the field road was not built')
    expect(history.at(-1)!.areaM2).toBeCloseTo(history.at(-3)!.areaM2, 0)
    expect(problems).toEqual([])
    await context.close()
    // edit, then undo: two previews and two saves in one story
  }, 180_000)

  it('a gap from the coverage panel is given to its neighbour through the same preview and confirmation', async () => {
    const gap = x.gaps.find((g) => g.kind === 'hole')!
    const neighbour = gap.villageCodesAround[0]!
    const { context, page, problems } = await openPage(browser, server.url, { login: 'demo-admin' })
    await page.goto('/#panel=coverage')
    await waitForMap(page)
    const item = page.locator(`[data-testid=gap-list] li[data-gap-item^="${gap.townshipCode}-"]`)
    await item.waitFor()
    await item.locator('[data-testid=gap-give]').click()
    await page.selectOption('[data-testid=gap-give-select]', neighbour)
    await item.locator('[data-testid=gap-give-preview]').click()
    // the edit panel previews it: the neighbour grows, the gap closes
    await page.locator('[data-testid=edit-preview]').waitFor()
    expect(
      await page.locator(`[data-testid=preview-cells] tr[data-code="${neighbour}"]`).getAttribute('data-change'),
    ).toBe('grown')
    expect(await page.locator('[data-testid=preview-gaps] li.good').count()).toBe(1)
    await page.fill('[data-testid=edit-reason]', 'e2e: the hole belongs to the village around it')
    await page.click('[data-testid=edit-save]')
    await page.locator('[data-testid=edit-notice]').waitFor()
    // the coverage panel and the map no longer have that gap
    await page.click('[data-panel=coverage]')
    await page.locator('[data-testid=gap-list] li').first().waitFor()
    expect(await page.locator(`[data-testid=gap-list] li[data-gap-item^="${gap.townshipCode}-"]`).count()).toBe(0)
    expect(await page.locator('[data-testid=gap-list] li').count()).toBe(x.gaps.length - 1)
    expect(problems).toEqual([])
    await context.close()
  })
})
