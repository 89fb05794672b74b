// A patrol walked without a signal, in real headless Chromium on a phone viewport with an emulated
// position, against the real server on the Boai demo. The grid member opens the app once online, goes
// offline, walks past three supervised objects, checks in at two with a photo each, reports a problem,
// reloads the page (the app opens from the service worker and the patrol goes on), ends the patrol and
// comes back online. The server then holds the track, both check-ins with their photos and the flag,
// each exactly once, and the month's patrol completion of the cells counts the two visits — expected
// figures worked out from the object list, not from the completion code. An inspector's report made
// without a signal is kept the same way and sent once when the connection returns, and so is a unit
// officer's ledger entry saved and submitted offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  apiAs,
  launchChromium,
  openPage,
  reloadOffline,
  screenshot,
  skipE2e,
  waitForMap,
  type ApiAs,
} from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'
import type { LedgerEntryDetail, LedgerList } from '../../web/src/api/types.js'

interface ObjectFeature {
  id: number
  properties: {
    id: number
    code: string
    name: string
    status: string
    cellCode: string | null
    visitsPerMonth: number
    anchor: [number, number]
  }
}
interface Patrol {
  id: number
  walkedBy: string
  status: string
  pointsReceived: number
  pointsKept: number
  pointsDropped: Record<string, number>
  track: { type: 'LineString'; coordinates: number[][] } | null
  checkIns: { objectId: number; photos: number; checklist: { code: string; ok: boolean }[] }[]
  problems: { flagId: number; category: string }[]
}

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true }
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)
const EARTH_M_PER_DEG = (2 * Math.PI * 6_371_008.8) / 360
const metres = (a: [number, number], b: [number, number]) =>
  Math.hypot((a[0] - b[0]) * EARTH_M_PER_DEG * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * EARTH_M_PER_DEG)

/** Points from a to b no more than `step` metres apart (b included, a not). */
function leg(a: [number, number], b: [number, number], step = 40): [number, number][] {
  const n = Math.max(1, Math.ceil(metres(a, b) / step))
  return Array.from({ length: n }, (_, i) => [
    a[0] + ((b[0] - a[0]) * (i + 1)) / n,
    a[1] + ((b[1] - a[1]) * (i + 1)) / n,
  ])
}

/** A track's places in order, a place the phone reported twice in a row counted once (6 decimals). */
const places = (coordinates: number[][]) =>
  coordinates.map((c) => `${c[0]!.toFixed(6)},${c[1]!.toFixed(6)}`).filter((c, i, all) => i === 0 || c !== all[i - 1])

/** Offline, reads never made online (a font slice, a cell's coverage asked for the first time) fail and say so. */
const offlineMiss = (p: string) =>
  /net::ERR_(INTERNET_DISCONNECTED|FAILED)$/.test(p) &&
  (p.startsWith('console: Failed to load resource') || /\/(api|fonts)\//.test(p))

/** The month of an instant in the service's time zone (Asia/Shanghai, UTC+8 all year). */
const shanghaiMonth = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7)

describe.skipIf(skipE2e)('a patrol walked offline on a phone (browser)', () => {
  let server: E2eServer
  let browser: Browser
  let admin: ApiAs
  let route: ObjectFeature[]
  let objects: ObjectFeature[]

  beforeAll(async () => {
    browser = await launchChromium()
    server = await startE2eServer()
    admin = await apiAs(server.url, 'demo-admin')
    objects = (await admin.get<{ features: ObjectFeature[] }>('/api/objects?limit=20000')).features
    // three accepted objects a short walk apart: A, its nearest neighbour B, and C nearest to B
    const usable = objects.filter((o) => o.properties.status === 'accepted' && o.properties.cellCode)
    const nearest = (from: ObjectFeature, not: ObjectFeature[]) =>
      usable
        .filter((o) => !not.includes(o) && metres(o.properties.anchor, from.properties.anchor) > 150)
        .sort(
          (p, q) =>
            metres(p.properties.anchor, from.properties.anchor) - metres(q.properties.anchor, from.properties.anchor),
        )[0]!
    const a = usable[0]!
    const b = nearest(a, [a])
    const c = nearest(b, [a, b])
    route = [a, b, c]
  })

  afterAll(async () => {
    await admin?.dispose()
    await browser?.close()
    await server?.close()
  })

  /** Moves the emulated position and waits until the app has recorded the fix. */
  async function walkTo(context: BrowserContext, page: Page, point: [number, number]) {
    const before = await page.evaluate(() => window.__everyinch!.field.recorded)
    await context.setGeolocation({ longitude: point[0], latitude: point[1], accuracy: 5 })
    await page.waitForFunction((n) => window.__everyinch!.field.recorded > n, before)
  }

  async function checkIn(page: Page, object: ObjectFeature, photo: string) {
    await page.click(`[data-testid=check-in-${object.properties.code}]`)
    await page.setInputFiles('[data-testid=check-in-photos]', { name: photo, mimeType: 'image/png', buffer: PNG })
    await page.click('[data-testid=check-in-save]')
    await page.locator('.patrol-panel .notice').waitFor()
  }

  it(
    'keeps the track, check-ins, photos and a problem through a reload, and sends each once',
    { timeout: 240_000 },
    async () => {
      const [a, b, c] = route as [ObjectFeature, ObjectFeature, ObjectFeature]
      const flagsBefore = (await admin.get<{ total: number }>('/api/flags?limit=1')).total
      const { context, page, problems } = await openPage(browser, server.url, {
        ...PHONE,
        login: 'demo-supervisor',
        geolocation: { longitude: a.properties.anchor[0], latitude: a.properties.anchor[1], accuracy: 5 },
      })
      await page.goto('/')
      await waitForMap(page)
      // the service worker keeps what the app needs to open without a connection
      await page.waitForFunction(() => window.__everyinch!.offlineReady === true, undefined, { timeout: 60_000 })
      await page.click('[data-panel=patrol]')
      await page.locator('[data-testid=patrol-start]').waitFor()
      await context.setOffline(true)
      await page.locator('[data-testid=connection-banner][data-offline=true]').waitFor()
      await page.click('[data-testid=patrol-start]')
      await walkTo(context, page, a.properties.anchor)
      await checkIn(page, a, 'a.png')

      const walked: [number, number][] = [a.properties.anchor]
      for (const p of leg(a.properties.anchor, b.properties.anchor)) {
        await walkTo(context, page, p)
        walked.push(p)
      }
      await checkIn(page, b, 'b.png')
      // a problem seen at B
      await page.click('[data-testid=patrol-problem]')
      await page.selectOption('[data-testid=problem-category]', 'dumping')
      await page.fill('[data-testid=problem-description]', '巡查发现路边堆放建筑垃圾')
      await page.setInputFiles('[data-testid=problem-photos]', { name: 'dump.png', mimeType: 'image/png', buffer: PNG })
      await page.click('[data-testid=problem-save]')
      await page.locator('.patrol-panel .notice').waitFor()
      const half = leg(b.properties.anchor, c.properties.anchor)
      for (const p of half.slice(0, Math.ceil(half.length / 2))) {
        await walkTo(context, page, p)
        walked.push(p)
      }
      // the map draws the walk: the track so far and the phone's position at its end
      // (the map takes GeoJSON in a worker: polled until it has the last fix; a place the phone
      // reported twice in a row, as a new watch may, is one place)
      const drawn = () =>
        page.evaluate(async () => {
          const source = window.__everyinch!.map.getSource('patrol-walk') as unknown as {
            getData(): Promise<{ features: { geometry: { type: string; coordinates: number[][] | number[] } }[] }>
          }
          return (await source.getData()).features.map((f) => f.geometry)
        })
      await expect
        .poll(async () => {
          const [line, point] = await drawn()
          return [
            line?.type,
            places(line?.coordinates as number[][]),
            point?.type,
            places([point?.coordinates as number[]]),
          ]
        })
        .toEqual(['LineString', places(walked), 'Point', places([walked.at(-1)!])])
      await screenshot(page, 'patrol-offline-phone')
      // a reload without a connection: the app opens from the service worker, the patrol goes on
      const signal = await reloadOffline(page)
      await waitForMap(page).catch(async (e) => {
        await screenshot(page, 'patrol-debug')
        console.log('PROBLEMS', problems.join('\n'))
        console.log('BODY', await page.locator('body').innerText())
        throw e
      })
      await page
        .locator('[data-testid=patrol-end]')
        .waitFor()
        .catch(async (e) => {
          await screenshot(page, 'patrol-debug')
          console.log('URL', page.url())
          throw e
        })
      const waiting = await page.evaluate(() => window.__everyinch!.field)
      expect(waiting.sent).toBe(0)
      // start, two check-ins, the problem (and the track batches packed so far)
      expect(waiting.queued).toBeGreaterThanOrEqual(4)
      for (const p of half.slice(Math.ceil(half.length / 2))) {
        await walkTo(context, page, p)
        walked.push(p)
      }
      // every place walked was recorded (a place may have come twice, as separate fixes)
      expect(await page.evaluate(() => window.__everyinch!.field.recorded)).toBeGreaterThanOrEqual(walked.length)
      // C is passed, not checked in at
      await page.click('[data-testid=patrol-end]')
      await page.click('[data-testid=patrol-end]')
      await page.locator('[data-testid=patrol-start]').waitFor()
      expect(
        (await admin.get<{ patrols: unknown[] }>(`/api/patrols?month=${shanghaiMonth(new Date())}`)).patrols,
      ).toEqual([])
      await signal.online()
      await page.waitForFunction(() => {
        const o = window.__everyinch!.field
        return o.sent > 0 && o.queued === 0 && o.conflicts === 0
      })
      await page
        .locator('[data-testid=connection-banner]')
        .waitFor({ state: 'hidden' })
        .catch(async (e) => {
          console.log('OUTBOX', JSON.stringify(await page.evaluate(() => window.__everyinch!.field)))
          console.log('ONLINE', await page.evaluate(() => navigator.onLine))
          console.log(
            'ITEMS',
            await page.evaluate(async () => {
              const r = indexedDB.open('everyinch-field')
              const db: IDBDatabase = await new Promise((ok) => (r.onsuccess = () => ok(r.result)))
              const all: unknown[] = await new Promise((ok) => {
                const q = db.transaction('outbox').objectStore('outbox').getAll()
                q.onsuccess = () => ok(q.result)
              })
              return JSON.stringify(all.map((i) => ({ ...(i as object), body: undefined })))
            }),
          )
          console.log('PATROLS', JSON.stringify(await admin.get(`/api/patrols?month=${shanghaiMonth(new Date())}`)))
          await screenshot(page, 'patrol-debug')
          throw e
        })

      // the server's view: one patrol, every point, both check-ins with a photo each, one flag
      const month = shanghaiMonth(new Date())
      const list = await admin.get<{ patrols: { id: number; walkedBy: string }[] }>(`/api/patrols?month=${month}`)
      expect(list.patrols.map((p) => p.walkedBy)).toEqual(['demo-supervisor'])
      const patrol = await admin.get<Patrol>(`/api/patrols/${list.patrols[0]!.id}`)
      expect(patrol.status).toBe('ended')
      // no batch sent twice (a resent point would be counted as a dropped duplicate), none lost: the
      // track passes every place walked, in order
      expect(patrol.pointsDropped).toEqual({ duplicate: 0, future: 0, beforeStart: 0, poorAccuracy: 0, jump: 0 })
      expect(patrol.pointsKept).toBe(patrol.pointsReceived)
      expect(patrol.pointsKept).toBeGreaterThanOrEqual(walked.length)
      expect(places(patrol.track!.coordinates)).toEqual(places(walked))
      expect(patrol.checkIns.map((ci) => [ci.objectId, ci.photos])).toEqual([
        [a.id, 1],
        [b.id, 1],
      ])
      expect(patrol.problems).toHaveLength(1)
      expect(patrol.problems[0]!.category).toBe('dumping')
      const flag = await admin.get<{ photos: unknown[]; description: string }>(
        `/api/flags/${patrol.problems[0]!.flagId}`,
      )
      expect(flag.description).toBe('巡查发现路边堆放建筑垃圾')
      expect(flag.photos).toHaveLength(1)
      expect((await admin.get<{ total: number }>('/api/flags?limit=1')).total).toBe(flagsBefore + 1)

      // completion of A's and B's cells: required is the sum of the cells' accepted objects' visits a
      // month (from the object list); made is one visit each for A and B (one a day, within what is due)
      for (const cell of new Set([a.properties.cellCode!, b.properties.cellCode!])) {
        const inCell = objects.filter((o) => o.properties.status === 'accepted' && o.properties.cellCode === cell)
        const required = inCell.reduce((n, o) => n + o.properties.visitsPerMonth, 0)
        const made = [a, b].filter((o) => o.properties.cellCode === cell).length
        const completion = await admin.get<{
          cells: { code: string; requiredVisits: number; visitsMade: number; patrols: number }[]
        }>(`/api/patrol-completion?month=${month}&cell=${cell}`)
        expect(completion.cells).toEqual([
          expect.objectContaining({ code: cell, requiredVisits: required, visitsMade: made, patrols: 1 }),
        ])
      }
      // offline, reads never made online (a font slice, a cell's coverage asked for the first time)
      // fail and say so; nothing else may: no page error, no other console error
      expect(problems.filter((p) => !offlineMiss(p))).toEqual([])

      // the patrol screen in English: not a word of Chinese in it (the queue is empty, nothing is walked)
      await page.click('[data-testid=lang-switch]')
      await page.locator('[data-panel=patrol]', { hasText: 'Patrol' }).waitFor()
      const panelText = await page.locator('[data-testid=patrol-panel]').innerText()
      expect(panelText).toContain('Start patrol')
      expect(panelText).not.toMatch(/[\u4e00-\u9fff]/)
      await screenshot(page, 'patrol-phone-en')
      await context.close()
    },
  )

  it(
    "an inspector's report made without a signal is kept through a reload and sent once, photo included",
    { timeout: 240_000 },
    async () => {
      const c = route[2]!
      const flagsBefore = (await admin.get<{ total: number }>('/api/flags?limit=1')).total
      const { context, page, problems } = await openPage(browser, server.url, {
        ...PHONE,
        login: 'demo-inspector',
        geolocation: { longitude: c.properties.anchor[0], latitude: c.properties.anchor[1], accuracy: 8 },
      })
      await page.goto('/')
      await waitForMap(page)
      await page.waitForFunction(() => window.__everyinch!.offlineReady === true, undefined, { timeout: 60_000 })
      await page.click('[data-testid=report-fab]')
      await page.locator('[data-testid=report-category] option[value=burning]').waitFor({ state: 'attached' })

      await context.setOffline(true)
      await page.click('[data-testid=report-locate]')
      await page.locator('[data-testid=report-location]').waitFor()
      await page.selectOption('[data-testid=report-category]', 'burning')
      await page.fill('[data-testid=report-description]', '离线上报：工地旁焚烧垃圾冒黑烟')
      await page.setInputFiles('[data-testid=report-photos]', { name: 'smoke.png', mimeType: 'image/png', buffer: PNG })
      await page.click('[data-testid=report-submit]')
      await page.locator('[data-testid=report-queued]').waitFor()
      await page.waitForFunction(() => window.__everyinch!.field.queued === 1)
      await screenshot(page, 'report-queued-offline-phone')

      const signal = await reloadOffline(page)
      await waitForMap(page)
      await page.locator('[data-testid=connection-banner][data-queued="1"][data-offline=true]').waitFor()
      expect((await admin.get<{ total: number }>('/api/flags?limit=1')).total).toBe(flagsBefore)

      await signal.online()
      await page.waitForFunction(() => window.__everyinch!.field.sent === 1 && window.__everyinch!.field.queued === 0)
      const list = await admin.get<{ total: number; flags: { id: number; description: string }[] }>(
        '/api/flags?limit=500',
      )
      expect(list.total).toBe(flagsBefore + 1)
      const mine = list.flags.filter((f) => f.description === '离线上报：工地旁焚烧垃圾冒黑烟')
      expect(mine).toHaveLength(1)
      const flag = await admin.get<{ photos: unknown[]; category: string }>(`/api/flags/${mine[0]!.id}`)
      expect(flag).toMatchObject({ category: 'burning' })
      expect(flag.photos).toHaveLength(1)
      expect(problems.filter((p) => !offlineMiss(p))).toEqual([])
      await context.close()
    },
  )

  it(
    "a unit officer's ledger entry saved and submitted without a signal is sent in order once it returns",
    { timeout: 240_000 },
    async () => {
      const officer = await apiAs(server.url, 'demo-unit')
      const month = (await officer.get<{ today: string }>('/api/map-config')).today.slice(0, 7)
      const drafts = (await officer.get<LedgerList>(`/api/ledgers?month=${month}`)).entries.filter(
        (e) => e.state === 'draft',
      )
      const entry = await officer.get<LedgerEntryDetail>(`/api/ledgers/${drafts[0]!.id}`)
      const value = entry.measure.indicator.minValue ?? 0
      const { context, page, problems } = await openPage(browser, server.url, { ...PHONE, login: 'demo-unit' })
      await page.goto('/')
      await waitForMap(page)
      await page.waitForFunction(() => window.__everyinch!.offlineReady === true, undefined, { timeout: 60_000 })
      await page.click('[data-panel=ledger]')
      await page.fill('[data-testid=ledger-month]', month)
      await page.locator(`[data-testid=ledger-list] button[data-entry="${entry.id}"]`).click()
      await page.locator(`[data-testid=ledger-entry][data-entry="${entry.id}"] [data-testid=ledger-form]`).waitFor()

      await context.setOffline(true)
      // saved once, then corrected and submitted, all offline: the second save follows the first
      await page.fill('[data-testid=ledger-value]', String(value))
      await page.fill('[data-testid=ledger-text]', '离线填报：初稿')
      await page.click('[data-testid=ledger-save]')
      await page.locator('[data-testid=ledger-panel][data-last-action=queued]').waitFor()
      await page.waitForFunction(() => window.__everyinch!.field.queued === 1)
      await page.fill('[data-testid=ledger-text]', '离线填报：本月节点已完成。')
      await page.selectOption('[data-testid=ledger-progress]', 'done')
      await page.click('[data-testid=ledger-submit]')
      await page.waitForFunction(() => window.__everyinch!.field.queued === 3)
      const signal = await reloadOffline(page)
      await waitForMap(page)
      await page.locator('[data-testid=connection-banner][data-queued="3"][data-offline=true]').waitFor()
      expect(await officer.get<LedgerEntryDetail>(`/api/ledgers/${entry.id}`)).toMatchObject({
        state: 'draft',
        version: entry.version,
      })

      await signal.online()
      await page.waitForFunction(
        () =>
          window.__everyinch!.field.sent === 3 &&
          window.__everyinch!.field.queued === 0 &&
          window.__everyinch!.field.conflicts === 0,
      )
      // saved twice (a version each), then submitted naming the version the second save made: three
      expect(await officer.get<LedgerEntryDetail>(`/api/ledgers/${entry.id}`)).toMatchObject({
        state: 'submitted',
        doneValue: value,
        doneText: '离线填报：本月节点已完成。',
        progress: 'done',
        version: entry.version + 3,
      })
      expect(problems.filter((p) => !offlineMiss(p))).toEqual([])
      await officer.dispose()
      await context.close()
    },
  )

  it('a report whose answer was lost, kept for later, is not stored twice', { timeout: 240_000 }, async () => {
    const b = route[1]!
    const flagsBefore = (await admin.get<{ total: number }>('/api/flags?limit=1')).total
    const { context, page, problems } = await openPage(browser, server.url, {
      ...PHONE,
      login: 'demo-inspector',
      geolocation: { longitude: b.properties.anchor[0], latitude: b.properties.anchor[1], accuracy: 8 },
    })
    // the first report reaches the server, but its answer never reaches the phone
    let reports = 0
    await page.route('**/api/flags', async (r) => {
      if (r.request().method() !== 'POST' || reports++ > 0) return r.continue()
      await r.fetch()
      await r.abort('connectionreset')
    })
    await page.goto('/')
    await waitForMap(page)
    await page.click('[data-testid=report-fab]')
    await page.locator('[data-testid=report-category] option[value=dust]').waitFor({ state: 'attached' })
    await page.click('[data-testid=report-locate]')
    await page.locator('[data-testid=report-location]').waitFor()
    await page.selectOption('[data-testid=report-category]', 'dust')
    await page.fill('[data-testid=report-description]', '回复丢失的上报：工地扬尘')
    await page.click('[data-testid=report-submit]')
    await page.click('[data-testid=report-keep]')
    await page.locator('[data-testid=report-queued]').waitFor()
    // the kept copy goes with the same key: the server says it had it, and the phone lets it go
    await page.waitForFunction(() => window.__everyinch!.field.sent === 1 && window.__everyinch!.field.queued === 0)
    expect(reports).toBe(2)
    const list = await admin.get<{ total: number; flags: { description: string }[] }>('/api/flags?limit=500')
    expect(list.total).toBe(flagsBefore + 1)
    expect(list.flags.filter((f) => f.description === '回复丢失的上报：工地扬尘')).toHaveLength(1)
    // the aborted answer is the only failure the page saw
    expect(problems.filter((p) => !p.includes('/api/flags') && !p.includes('Failed to load resource'))).toEqual([])
    await context.close()
  })
})
